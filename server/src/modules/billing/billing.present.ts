// How bills and payments look in API answers.
import type { Lang } from '../../kernel/http/i18n.js';
import { outstanding, type BillRow, type PaymentRow } from './billing.repository.js';
import type * as S from './billing.schema.js';

export function billView(b: BillRow, lang: Lang, houseName?: string | null): S.Bill {
  return {
    id: b.id,
    number: b.number,
    communityId: b.community_id,
    houseId: b.house_id,
    houseName: houseName ?? null,
    residentId: b.resident_id,
    feeItemId: b.fee_item_id,
    feeKind: b.fee_kind,
    period: b.period,
    runId: b.run_id,
    source: b.source,
    sourceRef: b.source_ref,
    subject: lang === 'en' ? b.subject_en : b.subject_zh,
    detail: JSON.parse(b.detail || '{}'),
    grossFen: b.gross_fen,
    discountFen: b.discount_fen,
    amountFen: b.amount_fen,
    lateFeeFen: b.late_fee_fen,
    adjustFen: b.adjust_fen,
    paidFen: b.paid_fen,
    outstandingFen: outstanding(b),
    status: b.status,
    dueDate: b.due_date,
    issuedAt: b.issued_at,
    paidAt: b.paid_at,
  };
}

export function paymentView(p: PaymentRow, items: { bill_id: string; amount_fen: number; applied_fen: number }[] = []): S.Payment {
  return {
    id: p.id,
    communityId: p.community_id,
    residentId: p.resident_id,
    channel: p.channel,
    outTradeNo: p.out_trade_no,
    tradeNo: p.trade_no,
    amountFen: p.amount_fen,
    refundedFen: p.refunded_fen,
    status: p.status,
    receiptNo: p.receipt_no,
    offlineRef: p.offline_ref,
    expiresAt: p.expires_at,
    paidAt: p.paid_at,
    createdAt: p.created_at,
    items: items.map((i) => ({ billId: i.bill_id, amountFen: i.amount_fen, appliedFen: i.applied_fen })),
  };
}
