// The only code that touches the billing tables' rows directly for bills and counters;
// the ledger (billing.ledger.ts) writes its own two tables.
import { sql } from 'kysely';
import type { Db } from '../../kernel/db/index.js';

export interface BillRow {
  id: string;
  number: string;
  community_id: string;
  place_path: string;
  house_id: string | null;
  resident_id: string | null;
  fee_item_id: string | null;
  fee_kind: string;
  period: string | null;
  run_id: string | null;
  source: string;
  source_ref: string | null;
  subject_zh: string;
  subject_en: string;
  detail: string;
  gross_fen: number;
  discount_fen: number;
  amount_fen: number;
  late_fee_fen: number;
  adjust_fen: number;
  paid_fen: number;
  status: 'draft' | 'open' | 'paid';
  due_date: string | null;
  late_grace_days: number;
  late_rate_bp: number;
  late_cap_bp: number;
  issued_at: string | null;
  paid_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export interface PaymentRow {
  id: string;
  community_id: string;
  place_path: string;
  resident_id: string | null;
  user_id: string | null;
  channel: 'gateway' | 'cash' | 'transfer';
  out_trade_no: string;
  trade_no: string | null;
  amount_fen: number;
  refunded_fen: number;
  status: 'pending' | 'paid' | 'closed' | 'refunded';
  receipt_no: string | null;
  offline_ref: string | null;
  expires_at: string | null;
  paid_at: string | null;
  created_by: string | null;
  created_at: string;
}

export interface FeeItemRow {
  id: string;
  community_id: string;
  place_path: string;
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'property' | 'water' | 'electricity' | 'parking' | 'one_off' | 'deposit';
  unit_price: number;
  tiers: string;
  rounding: 'half_up' | 'down' | 'up';
  rounding_unit: 'fen' | 'jiao';
  due_days: number;
  late_grace_days: number;
  late_rate_bp: number;
  late_cap_bp: number;
  max_jump: number | null;
  discounts: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** What is still owed on a bill. */
export const outstanding = (b: Pick<BillRow, 'amount_fen' | 'late_fee_fen' | 'adjust_fen' | 'paid_fen'>) => b.amount_fen + b.late_fee_fen + b.adjust_fen - b.paid_fen;

/** The holder of a bill's receivable account. */
export const holderOf = (b: Pick<BillRow, 'house_id' | 'resident_id'>) => (b.house_id ?? b.resident_id)!;

export class BillingRepository {
  constructor(private db: Db) {}

  bill(id: string, db: Db = this.db) {
    return db.selectFrom('bills').selectAll().where('id', '=', id).executeTakeFirst() as Promise<BillRow | undefined>;
  }
  bills(ids: string[], db: Db = this.db) {
    if (!ids.length) return Promise.resolve([] as BillRow[]);
    return db.selectFrom('bills').selectAll().where('id', 'in', ids).execute() as Promise<BillRow[]>;
  }
  billBySource(source: string, ref: string, db: Db = this.db) {
    return db.selectFrom('bills').selectAll().where('source', '=', source).where('source_ref', '=', ref).executeTakeFirst() as Promise<BillRow | undefined>;
  }
  feeItem(id: string, db: Db = this.db) {
    return db.selectFrom('fee_items').selectAll().where('id', '=', id).executeTakeFirst() as Promise<FeeItemRow | undefined>;
  }
  feeItems(communityId: string) {
    return this.db.selectFrom('fee_items').selectAll().where('community_id', '=', communityId).orderBy('code').execute() as Promise<FeeItemRow[]>;
  }
  payment(id: string, db: Db = this.db) {
    return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PaymentRow | undefined>;
  }
  paymentByOutTradeNo(no: string, db: Db = this.db) {
    return db.selectFrom('payments').selectAll().where('out_trade_no', '=', no).executeTakeFirst() as Promise<PaymentRow | undefined>;
  }
  paymentItems(paymentId: string, db: Db = this.db) {
    return db.selectFrom('payment_items').selectAll().where('payment_id', '=', paymentId).orderBy('bill_id').execute() as Promise<{ payment_id: string; bill_id: string; amount_fen: number; applied_fen: number }[]>;
  }

  /** Next value of a named counter (bill and receipt numbers), inside the caller's transaction. */
  async next(db: Db, name: string): Promise<number> {
    await db.insertInto('billing_counters').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const r = await db.updateTable('billing_counters').set({ value: sql`value + 1` }).where('name', '=', name).returning('value').executeTakeFirstOrThrow();
    return Number(r.value);
  }

  /** A batch of numbers at once (billing runs). */
  async reserve(db: Db, name: string, n: number): Promise<number> {
    await db.insertInto('billing_counters').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const r = await db.updateTable('billing_counters').set({ value: sql`value + ${n}` }).where('name', '=', name).returning('value').executeTakeFirstOrThrow();
    return Number(r.value) - n + 1;
  }
}

export const billNumber = (year: string, n: number) => `ZD${year}${String(n).padStart(7, '0')}`;
export const receiptNumber = (year: string, n: number) => `SJ${year}${String(n).padStart(7, '0')}`;
