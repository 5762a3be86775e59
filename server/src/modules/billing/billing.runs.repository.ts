// The SQL of billing runs: the run rows, what a preview reads (subscriptions, readings, bills
// already issued) and the writes of preview, approve and publish.
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { insertMany } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { BillingTables, BillRow, RunRow } from './billing.tables.js';

export class RunsRepository {
  constructor(
    private db: Db,
    private database: Database,
  ) {}

  private get t() {
    return tablesOf<BillingTables>(this.db);
  }

  run(id: string): Promise<RunRow | undefined> {
    return this.t.selectFrom('billing_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }
  runsOf(communityId: string): Promise<RunRow[]> {
    return this.t.selectFrom('billing_runs').selectAll().where('community_id', '=', communityId).orderBy('period', 'desc').execute();
  }

  /** The run of a community's period, made in preview if there is none yet (one per period: unique key). */
  async ensureRun(r: { id: string; communityId: string; placePath: string; period: string; createdBy: string; at: string }): Promise<RunRow> {
    await this.t
      .insertInto('billing_runs')
      .values({
        id: r.id,
        community_id: r.communityId,
        place_path: r.placePath,
        period: r.period,
        status: 'preview',
        created_by: r.createdBy,
        created_at: r.at,
      })
      .onConflict((oc) => oc.columns(['community_id', 'period']).doNothing())
      .execute();
    return this.t.selectFrom('billing_runs').selectAll().where('community_id', '=', r.communityId).where('period', '=', r.period).executeTakeFirstOrThrow();
  }

  subscriptions(itemIds: string[]) {
    return this.t.selectFrom('fee_subscriptions').select(['fee_item_id', 'house_id', 'quantity']).where('fee_item_id', 'in', itemIds).execute();
  }
  /** Readings of these meter items up to a period, oldest period first. */
  readingsUpTo(itemIds: string[], period: string) {
    return this.t
      .selectFrom('meter_readings')
      .select(['house_id', 'fee_item_id', 'period', 'reading', 'status'])
      .where('fee_item_id', 'in', itemIds)
      .where('period', '<=', period)
      .orderBy('period')
      .execute();
  }
  /** (house, fee item) of the bills of a period already out of draft. */
  issued(communityId: string, period: string) {
    return this.t
      .selectFrom('bills')
      .select(['house_id', 'fee_item_id'])
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .where('status', '!=', 'draft')
      .execute();
  }

  async status(tx: Tx, id: string) {
    return (await txOf<BillingTables>(tx).selectFrom('billing_runs').select('status').where('id', '=', id).executeTakeFirst())?.status;
  }
  async dropDrafts(tx: Tx, runId: string) {
    await txOf<BillingTables>(tx).deleteFrom('bills').where('run_id', '=', runId).where('status', '=', 'draft').execute();
  }
  insertBills(tx: Tx, bills: BillRow[]) {
    return insertMany(this.database, tx, 'bills', bills);
  }
  async setTotals(tx: Tx, runId: string, v: { count: number; total: number; skipped: string }) {
    await txOf<BillingTables>(tx)
      .updateTable('billing_runs')
      .set({ bill_count: v.count, total_fen: v.total, skipped: v.skipped })
      .where('id', '=', runId)
      .execute();
  }

  /** preview → approved; false when the run was not in preview. */
  async approve(id: string, by: string): Promise<boolean> {
    const u = await this.t
      .updateTable('billing_runs')
      .set({ status: 'approved', approved_by: by })
      .where('id', '=', id)
      .where('status', '=', 'preview')
      .executeTakeFirst();
    return Number(u.numUpdatedRows) === 1;
  }
  /** approved → published and its drafts open; false when the run was not approved. */
  async publish(tx: Tx, id: string, by: string, at: string): Promise<boolean> {
    const t = txOf<BillingTables>(tx);
    const u = await t
      .updateTable('billing_runs')
      .set({ status: 'published', published_by: by, published_at: at })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) return false;
    await t.updateTable('bills').set({ status: 'open', issued_at: at }).where('run_id', '=', id).where('status', '=', 'draft').execute();
    return true;
  }
  billsOfRun(tx: Tx, id: string) {
    return txOf<BillingTables>(tx).selectFrom('bills').select(['house_id', 'fee_item_id', 'amount_fen']).where('run_id', '=', id).execute();
  }
}
