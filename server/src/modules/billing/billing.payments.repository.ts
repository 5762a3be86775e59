// The SQL of payments: orders and their items, the status flips that make crediting and closing
// happen once, refunds, and the log of gateway notifications.
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { BillingTables, PaymentRow } from './billing.tables.js';

export class PaymentsRepository {
  constructor(private db: Db) {}

  private get t() {
    return tablesOf<BillingTables>(this.db);
  }

  /** A payment and the bills it covers (each with what it asks at the time). */
  async insert(tx: Tx, p: PaymentRow, items: { billId: string; amountFen: number }[]) {
    const t = txOf<BillingTables>(tx);
    await t.insertInto('payments').values(p).execute();
    await t
      .insertInto('payment_items')
      .values(items.map((i) => ({ payment_id: p.id, bill_id: i.billId, amount_fen: i.amountFen, applied_fen: 0 })))
      .execute();
  }
  async logNotification(n: {
    id: string;
    outTradeNo: string | null;
    tradeNo: string | null;
    outcome: string;
    reason: string | null;
    params: string;
    at: string;
  }) {
    await this.t
      .insertInto('gateway_notifications')
      .values({ id: n.id, out_trade_no: n.outTradeNo, trade_no: n.tradeNo, outcome: n.outcome, reason: n.reason, params: n.params, received_at: n.at })
      .execute();
  }
  /** pending → closed; the number of rows changed (0 when it was paid or closed meanwhile). */
  async closePending(id: string): Promise<number> {
    const u = await this.t.updateTable('payments').set({ status: 'closed' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(u.numUpdatedRows);
  }
  /** pending or closed → paid; false when another copy of the notification did it first. */
  async markPaid(tx: Tx, id: string, tradeNo: string | null, paidAt: string): Promise<boolean> {
    const r = await txOf<BillingTables>(tx)
      .updateTable('payments')
      .set({ status: 'paid', trade_no: tradeNo, paid_at: paidAt })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'closed'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async setReceiptNo(tx: Tx, id: string, receiptNo: string) {
    await txOf<BillingTables>(tx).updateTable('payments').set({ receipt_no: receiptNo }).where('id', '=', id).execute();
  }
  /** Add a refund unless it would exceed the amount paid; false then. Marks the payment refunded when all of it is. */
  async addRefund(
    tx: Tx,
    p: Pick<PaymentRow, 'id' | 'amount_fen'>,
    r: { id: string; outRequestNo: string; amountFen: number; reason: string; by: string | null; at: string },
  ): Promise<boolean> {
    const t = txOf<BillingTables>(tx);
    const upd = await t
      .updateTable('payments')
      .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', r.amountFen) }))
      .where('id', '=', p.id)
      .where('refunded_fen', '<=', p.amount_fen - r.amountFen)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) return false;
    await t.updateTable('payments').set({ status: 'refunded' }).where('id', '=', p.id).whereRef('refunded_fen', '=', 'amount_fen').execute();
    await t
      .insertInto('refunds')
      .values({
        id: r.id,
        payment_id: p.id,
        out_request_no: r.outRequestNo,
        amount_fen: r.amountFen,
        reason: r.reason,
        status: 'done',
        created_by: r.by,
        created_at: r.at,
      })
      .execute();
    return true;
  }
  /** Gateway orders still pending past their expiry. */
  expiredPending(nowIso: string, limit: number): Promise<PaymentRow[]> {
    return this.t
      .selectFrom('payments')
      .selectAll()
      .where('status', '=', 'pending')
      .where('channel', '=', 'gateway')
      .where('expires_at', '<', nowIso)
      .limit(limit)
      .execute();
  }
}
