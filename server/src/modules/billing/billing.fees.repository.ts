// The SQL of fee items, per-house quantities (fee_subscriptions) and meter readings.
import type { Db } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { BillingTables, FeeItemRow, ReadingRow } from './billing.tables.js';

export class FeesRepository {
  constructor(private db: Db) {}

  private get t() {
    return tablesOf<BillingTables>(this.db);
  }

  feeItem(id: string): Promise<FeeItemRow | undefined> {
    return this.t.selectFrom('fee_items').selectAll().where('id', '=', id).executeTakeFirst();
  }
  feeItems(communityId: string): Promise<FeeItemRow[]> {
    return this.t.selectFrom('fee_items').selectAll().where('community_id', '=', communityId).orderBy('code').execute();
  }
  /** false when the community has an item with that code already. */
  async insertFeeItem(row: FeeItemRow): Promise<boolean> {
    const r = await this.t
      .insertInto('fee_items')
      .values(row)
      .onConflict((oc) => oc.columns(['community_id', 'code']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  async updateFeeItem(id: string, patch: Partial<FeeItemRow>) {
    await this.t.updateTable('fee_items').set(patch).where('id', '=', id).execute();
  }

  /** A house's quantity of an item; 0 removes it. */
  async setSubscription(s: { id: string; feeItemId: string; houseId: string; quantity: number; note: string | null; at: string }) {
    await this.t.deleteFrom('fee_subscriptions').where('fee_item_id', '=', s.feeItemId).where('house_id', '=', s.houseId).execute();
    if (s.quantity > 0)
      await this.t
        .insertInto('fee_subscriptions')
        .values({ id: s.id, fee_item_id: s.feeItemId, house_id: s.houseId, quantity: s.quantity, note: s.note, created_at: s.at })
        .execute();
  }

  /** The latest good reading of a house's item before a period. */
  async previousReading(houseId: string, feeItemId: string, period: string): Promise<number | null> {
    const r = await this.t
      .selectFrom('meter_readings')
      .select(['reading'])
      .where('house_id', '=', houseId)
      .where('fee_item_id', '=', feeItemId)
      .where('period', '<', period)
      .where('status', 'in', ['ok', 'accepted'])
      .orderBy('period', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? Number(r.reading) : null;
  }
  async billed(houseId: string, feeItemId: string, period: string): Promise<boolean> {
    return !!(await this.t
      .selectFrom('bills')
      .select('id')
      .where('house_id', '=', houseId)
      .where('fee_item_id', '=', feeItemId)
      .where('period', '=', period)
      .executeTakeFirst());
  }
  /** A corrected reading for the same month replaces the earlier one. */
  async replaceReading(row: ReadingRow) {
    await this.t.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('meter_readings')
        .where('house_id', '=', row.house_id)
        .where('fee_item_id', '=', row.fee_item_id)
        .where('period', '=', row.period)
        .execute();
      await tx.insertInto('meter_readings').values(row).execute();
    });
  }
  reading(id: string): Promise<ReadingRow | undefined> {
    return this.t.selectFrom('meter_readings').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async review(id: string, status: 'accepted' | 'rejected', by: string, at: string) {
    await this.t.updateTable('meter_readings').set({ status, reviewed_by: by, reviewed_at: at }).where('id', '=', id).where('status', '=', 'flagged').execute();
  }
  readings(communityId: string, period: string | undefined, status: string | undefined): Promise<ReadingRow[]> {
    let q = this.t.selectFrom('meter_readings').selectAll().where('community_id', '=', communityId);
    if (period) q = q.where('period', '=', period);
    if (status) q = q.where('status', '=', status as ReadingRow['status']);
    return q.orderBy('period', 'desc').orderBy('place_path').limit(2000).execute();
  }
}
