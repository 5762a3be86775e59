// The only code that touches the billing tables' rows directly for bills and counters;
// the ledger (billing.ledger.ts) writes its own two tables.
import { sql } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { BillingTables, BillRow } from './billing.tables.js';

export type { BillRow, PaymentRow, FeeItemRow } from './billing.tables.js';

/** What is still owed on a bill. */
export const outstanding = (b: Pick<BillRow, 'amount_fen' | 'late_fee_fen' | 'adjust_fen' | 'paid_fen'>) =>
  b.amount_fen + b.late_fee_fen + b.adjust_fen - b.paid_fen;

/** The holder of a bill's receivable account. */
export const holderOf = (b: Pick<BillRow, 'house_id' | 'resident_id'>) => (b.house_id ?? b.resident_id)!;

/** The billing tables through the kernel's handle or a transaction (a Tx is a Db too). */
const bt = (db: Db) => tablesOf<BillingTables>(db);

export class BillingRepository {
  constructor(private db: Db) {}

  bill(id: string, db: Db = this.db) {
    return bt(db).selectFrom('bills').selectAll().where('id', '=', id).executeTakeFirst();
  }
  bills(ids: string[], db: Db = this.db) {
    if (!ids.length) return Promise.resolve<BillRow[]>([]);
    return bt(db).selectFrom('bills').selectAll().where('id', 'in', ids).execute();
  }
  billBySource(source: string, ref: string, db: Db = this.db) {
    return bt(db).selectFrom('bills').selectAll().where('source', '=', source).where('source_ref', '=', ref).executeTakeFirst();
  }
  feeItem(id: string, db: Db = this.db) {
    return bt(db).selectFrom('fee_items').selectAll().where('id', '=', id).executeTakeFirst();
  }
  feeItems(communityId: string) {
    return bt(this.db).selectFrom('fee_items').selectAll().where('community_id', '=', communityId).orderBy('code').execute();
  }
  payment(id: string, db: Db = this.db) {
    return bt(db).selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  }
  paymentByOutTradeNo(no: string, db: Db = this.db) {
    return bt(db).selectFrom('payments').selectAll().where('out_trade_no', '=', no).executeTakeFirst();
  }
  paymentItems(paymentId: string, db: Db = this.db) {
    return bt(db).selectFrom('payment_items').selectAll().where('payment_id', '=', paymentId).orderBy('bill_id').execute();
  }

  adjustments(billId: string) {
    return bt(this.db).selectFrom('bill_adjustments').selectAll().where('bill_id', '=', billId).orderBy('created_at').execute();
  }
  /** The payments that paid (part of) a bill, with what each applied to it. */
  paymentsOfBill(billId: string) {
    return bt(this.db)
      .selectFrom('payment_items')
      .innerJoin('payments', 'payments.id', 'payment_items.payment_id')
      .select(['payments.id', 'payments.status', 'payments.channel', 'payments.receipt_no', 'payments.paid_at', 'payment_items.applied_fen'])
      .where('payment_items.bill_id', '=', billId)
      .execute();
  }

  /** Insert a bill; false when a charge with the same (source, source_ref) exists already. */
  async insertBill(db: Db, row: BillRow): Promise<boolean> {
    // the (source, source_ref) key is a partial index, so the conflict target names its condition
    const r = await bt(db)
      .insertInto('bills')
      .values(row)
      .onConflict((oc) => oc.columns(['source', 'source_ref']).where('source_ref', 'is not', null).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  async setAdjusted(tx: Tx, billId: string, v: { adjustFen: number; status: 'open' | 'paid'; paidAt: string | null }) {
    await txOf<BillingTables>(tx).updateTable('bills').set({ adjust_fen: v.adjustFen, status: v.status, paid_at: v.paidAt }).where('id', '=', billId).execute();
  }
  /** What a payment applied to one of its bills, and the bill's new paid amount and status. */
  async applyToBill(tx: Tx, paymentId: string, billId: string, v: { appliedFen: number; paidFen: number; status: 'open' | 'paid'; paidAt: string | null }) {
    await txOf<BillingTables>(tx).updateTable('bills').set({ paid_fen: v.paidFen, status: v.status, paid_at: v.paidAt }).where('id', '=', billId).execute();
    await txOf<BillingTables>(tx)
      .updateTable('payment_items')
      .set({ applied_fen: v.appliedFen })
      .where('payment_id', '=', paymentId)
      .where('bill_id', '=', billId)
      .execute();
  }

  /** Open bills past their due date, in pages by id (the late-fee job). */
  overdueBills(today: string, afterId: string, limit: number): Promise<BillRow[]> {
    return bt(this.db)
      .selectFrom('bills')
      .selectAll()
      .where('status', '=', 'open')
      .where('due_date', '<', today)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
  /** Raise a bill's late fee from the value read to the new one; false when another node did it first. */
  async raiseLateFee(tx: Tx, b: Pick<BillRow, 'id' | 'late_fee_fen'>, to: number): Promise<boolean> {
    const u = await txOf<BillingTables>(tx)
      .updateTable('bills')
      .set({ late_fee_fen: to })
      .where('id', '=', b.id)
      .where('late_fee_fen', '=', b.late_fee_fen)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(u.numUpdatedRows) === 1;
  }
  async addAdjustment(db: Db, a: { id: string; billId: string; kind: string; amountFen: number; reason: string; createdBy: string | null; at: string }) {
    await bt(db)
      .insertInto('bill_adjustments')
      .values({ id: a.id, bill_id: a.billId, kind: a.kind, amount_fen: a.amountFen, reason: a.reason, created_by: a.createdBy, created_at: a.at })
      .execute();
  }
  async markReminded(billId: string, at: string) {
    await bt(this.db).updateTable('bills').set({ reminded_at: at }).where('id', '=', billId).execute();
  }

  /** Next value of a named counter (bill and receipt numbers), inside the caller's transaction. */
  async next(db: Db, name: string): Promise<number> {
    await bt(db)
      .insertInto('billing_counters')
      .values({ name, value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const r = await bt(db)
      .updateTable('billing_counters')
      .set({ value: sql`value + 1` })
      .where('name', '=', name)
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  }

  /** A batch of numbers at once (billing runs). */
  async reserve(db: Db, name: string, n: number): Promise<number> {
    await bt(db)
      .insertInto('billing_counters')
      .values({ name, value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const r = await bt(db)
      .updateTable('billing_counters')
      .set({ value: sql`value + ${n}` })
      .where('name', '=', name)
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value) - n + 1;
  }
}

export const billNumber = (year: string, n: number) => `ZD${year}${String(n).padStart(7, '0')}`;
export const receiptNumber = (year: string, n: number) => `SJ${year}${String(n).padStart(7, '0')}`;
