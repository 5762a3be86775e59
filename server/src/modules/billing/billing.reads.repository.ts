// The SQL of billing's read side: lists for the console and the portal within the actor's reach,
// and what arrears, reconciliation, reading import and telemetry readings look up.
import type { SelectQueryBuilder } from 'kysely';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Db } from '../../kernel/db/index.js';
import { noRows, startsWith } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { BillingTables, BillRow, PaymentRow, PaymentStatus } from './billing.tables.js';
import type * as S from './billing.schema.js';

/** WHERE place_path LIKE 'prefix%' for each reachable prefix (nothing when the reach is everything). */
function inReach<T extends 'bills' | 'payments', O>(q: SelectQueryBuilder<BillingTables, T, O>, reach: Reachable): SelectQueryBuilder<BillingTables, T, O> {
  if (reach.all) return q;
  return q.where((eb) => (reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith('place_path', p))) : noRows()));
}

export class ReadsRepository {
  constructor(private db: Db) {}

  private get t() {
    return tablesOf<BillingTables>(this.db);
  }

  residentBills(houseIds: string[], residentId: string): Promise<BillRow[]> {
    return this.t
      .selectFrom('bills')
      .selectAll()
      .where('status', '!=', 'draft')
      .where((eb) => eb.or([...(houseIds.length ? [eb('house_id', 'in', houseIds)] : []), eb('resident_id', '=', residentId)]))
      .orderBy('status', 'asc')
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  /** A resident's payments: made by them, or paid (e.g. at the office) for a bill of a house they live in. */
  residentPayments(residentId: string, houseIds: string[]): Promise<PaymentRow[]> {
    return this.t
      .selectFrom('payments')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('resident_id', '=', residentId),
          ...(houseIds.length
            ? [
                eb.exists(
                  eb
                    .selectFrom('payment_items')
                    .innerJoin('bills', 'bills.id', 'payment_items.bill_id')
                    .select('bills.id')
                    .whereRef('payment_items.payment_id', '=', 'payments.id')
                    .where('bills.house_id', 'in', houseIds),
                ),
              ]
            : []),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
  }

  async bills(reach: Reachable, f: S.BillsQuery): Promise<{ items: BillRow[]; total: number }> {
    let q = inReach(this.t.selectFrom('bills'), reach);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.houseId) q = q.where('house_id', '=', f.houseId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.period) q = q.where('period', '=', f.period);
    if (f.runId) q = q.where('run_id', '=', f.runId);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const items = await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return { items, total };
  }

  async payments(reach: Reachable, f: S.PaymentsQuery): Promise<{ items: PaymentRow[]; total: number }> {
    let q = inReach(this.t.selectFrom('payments'), reach);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    // the query accepts any status text (an unknown one matches nothing), as it always has
    if (f.status) q = q.where('status', '=', f.status as PaymentStatus);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const items = await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return { items, total };
  }

  /** Open bills of a community due on or before a day (arrears). */
  openBillsDueBy(communityId: string, today: string): Promise<BillRow[]> {
    return this.t.selectFrom('bills').selectAll().where('community_id', '=', communityId).where('status', '=', 'open').where('due_date', '<=', today).execute();
  }
  /** What was billed and paid on each issued bill of a community (collection rate). */
  issuedAmounts(communityId: string) {
    return this.t
      .selectFrom('bills')
      .select(['place_path', 'period', 'issued_at', 'amount_fen', 'adjust_fen', 'late_fee_fen', 'paid_fen'])
      .where('community_id', '=', communityId)
      .where('status', '!=', 'draft')
      .execute();
  }
  /** Gateway payments credited in a community (reconciliation). */
  creditedGatewayPayments(communityId: string): Promise<PaymentRow[]> {
    return this.t
      .selectFrom('payments')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('channel', '=', 'gateway')
      .where('status', 'in', ['paid', 'refunded'])
      .execute();
  }
  /** Is there a payment with this order number in any community? */
  async orderExists(outTradeNo: string): Promise<boolean> {
    return !!(await this.t.selectFrom('payments').select('id').where('out_trade_no', '=', outTradeNo).executeTakeFirst());
  }
  /** A community's fee item ids by code (reading import). */
  async feeItemIdsByCode(communityId: string): Promise<Map<string, string>> {
    return new Map((await this.t.selectFrom('fee_items').select(['id', 'code']).where('community_id', '=', communityId).execute()).map((f) => [f.code, f.id]));
  }
  /** A community's active items of these kinds (meter readings from telemetry). */
  activeItemsOfKinds(communityId: string, kinds: BillingTables['fee_items']['kind'][]) {
    return this.t
      .selectFrom('fee_items')
      .select(['id', 'kind'])
      .where('community_id', '=', communityId)
      .where('kind', 'in', kinds)
      .where('active', '=', 1)
      .execute();
  }
  /** Where a house's reading of an item for a period came from, if there is one. */
  async readingSource(houseId: string, feeItemId: string, period: string): Promise<string | undefined> {
    return (
      await this.t
        .selectFrom('meter_readings')
        .select('source')
        .where('house_id', '=', houseId)
        .where('fee_item_id', '=', feeItemId)
        .where('period', '=', period)
        .executeTakeFirst()
    )?.source;
  }
}
