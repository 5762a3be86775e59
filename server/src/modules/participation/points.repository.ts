// The only code that touches the points, rewards and honours tables.
import { sql } from 'kysely';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { ParticipationTables } from './participation.tables.js';
import { startsWith } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { AppError } from '../../kernel/http/errors.js';

export type LedgerRow = Selectable<ParticipationTables['pt_points_ledger']>;
export type RuleRow = Selectable<ParticipationTables['pt_point_rules']>;
export type RewardRow = Selectable<ParticipationTables['pt_rewards']>;
export type RedemptionRow = Selectable<ParticipationTables['pt_redemptions']>;
export type HonourRow = Selectable<ParticipationTables['pt_honours']>;

/** PostgreSQL may hand numeric columns back as text: make them numbers. */
const num = <T extends object>(r: T, keys: (keyof T)[]): T => {
  const o = { ...r } as Record<keyof T, unknown>;
  for (const k of keys) if (o[k] != null) o[k] = Number(o[k]);
  return o as T;
};

// literal SQL rather than bound booleans: better-sqlite3 cannot bind true/false
export const reachWhere =
  (col: string, reach: Reachable) =>
  <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) =>
    reach.all ? sql<boolean>`1 = 1` : reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith(col, p))) : sql<boolean>`1 = 0`;

/** The kernel's handle (or a transaction of it) seen through participation's tables. */
const own = (db: Db | Tx) => tablesOf<ParticipationTables>(db);

export class PointsRepository {
  constructor(private database: Database) {}
  get db(): Db {
    return this.database.db;
  }
  private get own() {
    return own(this.database.db);
  }
  get isPg() {
    return this.database.dialect === 'postgres';
  }

  // ---------- rules ----------
  async rules(communityId: string) {
    return (await this.own.selectFrom('pt_point_rules').selectAll().where('community_id', '=', communityId).execute()).map((r) =>
      num(r, ['points', 'daily_cap', 'enabled']),
    );
  }
  async rule(communityId: string, component: string, action: string) {
    const r = await this.own
      .selectFrom('pt_point_rules')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('component', '=', component)
      .where('action', '=', action)
      .executeTakeFirst();
    return r ? num(r, ['points', 'daily_cap', 'enabled']) : undefined;
  }
  async upsertRule(r: RuleRow) {
    await this.own
      .insertInto('pt_point_rules')
      .values(r)
      .onConflict((oc) =>
        oc
          .columns(['community_id', 'component', 'action'])
          .doUpdateSet({ points: r.points, daily_cap: r.daily_cap, enabled: r.enabled, updated_by: r.updated_by, updated_at: r.updated_at }),
      )
      .execute();
  }

  // ---------- ledger ----------
  async ensureBalance(residentId: string, communityId: string, placePath: string) {
    await this.own
      .insertInto('pt_point_balances')
      .values({ resident_id: residentId, community_id: communityId, place_path: placePath, balance: 0, earned: 0 })
      .onConflict((oc) => oc.column('resident_id').doNothing())
      .execute();
  }
  /** Lock the resident's balance row for the rest of the transaction (PostgreSQL; SQLite runs one writer). */
  async lockBalance(tx: Tx, residentId: string) {
    if (this.isPg) await sql`select balance from pt_point_balances where resident_id = ${residentId} for update`.execute(tx);
  }
  async earnedOn(tx: Tx, residentId: string, component: string, action: string, day: string) {
    const r = await own(tx)
      .selectFrom('pt_points_ledger')
      .select(sql<number>`coalesce(sum(delta), 0)`.as('s'))
      .where('resident_id', '=', residentId)
      .where('component', '=', component)
      .where('action', '=', action)
      .where('day', '=', day)
      .where('delta', '>', 0)
      .executeTakeFirst();
    return Number(r?.s ?? 0);
  }
  /** Insert a ledger row; false when this (component, action, ref, resident) is already there. */
  async insertLedger(tx: Tx, r: LedgerRow): Promise<boolean> {
    const res = await own(tx)
      .insertInto('pt_points_ledger')
      .values(r)
      .onConflict((oc) => oc.columns(['component', 'action', 'ref', 'resident_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  /** Apply a change; a debit that would go below zero changes nothing and returns false. */
  async applyDelta(tx: Tx, residentId: string, delta: number): Promise<boolean> {
    let q = tx
      .updateTable('pt_point_balances')
      .set({ balance: sql`balance + ${delta}`, earned: delta > 0 ? sql`earned + ${delta}` : sql`earned` })
      .where('resident_id', '=', residentId);
    if (delta < 0) q = q.where('balance', '>=', -delta);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  async balance(residentId: string) {
    const r = await this.own.selectFrom('pt_point_balances').selectAll().where('resident_id', '=', residentId).executeTakeFirst();
    return r ? { balance: Number(r.balance), earned: Number(r.earned), communityId: r.community_id, placePath: r.place_path } : null;
  }
  async ledger(residentId: string, limit: number) {
    return (
      await this.own
        .selectFrom('pt_points_ledger')
        .selectAll()
        .where('resident_id', '=', residentId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    ).map((r) => num(r, ['delta']));
  }
  async setOptOut(residentId: string, optOut: boolean) {
    await this.own
      .updateTable('pt_point_balances')
      .set({ leaderboard_opt_out: optOut ? 1 : 0 })
      .where('resident_id', '=', residentId)
      .execute();
  }
  /** Residents of a building who take part in its leaderboard, most lifetime points first. */
  async leaderboard(buildingPath: string, limit: number) {
    return (
      await this.own
        .selectFrom('pt_point_balances')
        .select(['resident_id', 'earned'])
        .where(startsWith('place_path', buildingPath))
        .where('leaderboard_opt_out', '=', 0)
        .where('earned', '>', 0)
        .orderBy('earned', 'desc')
        .orderBy('resident_id')
        .limit(limit)
        .execute()
    ).map((r) => ({ residentId: r.resident_id, earned: Number(r.earned) }));
  }
  async optedOut(residentId: string) {
    const r = await this.own.selectFrom('pt_point_balances').select('leaderboard_opt_out').where('resident_id', '=', residentId).executeTakeFirst();
    return !!Number(r?.leaderboard_opt_out ?? 0);
  }
  async balancesInReach(reach: Reachable, limit: number) {
    return (
      await this.own.selectFrom('pt_point_balances').selectAll().where(reachWhere('place_path', reach)).orderBy('earned', 'desc').limit(limit).execute()
    ).map((r) => num(r, ['balance', 'earned']));
  }

  // ---------- rewards ----------
  async insertReward(r: RewardRow) {
    await this.own.insertInto('pt_rewards').values(r).execute();
  }
  async reward(id: string) {
    const r = await this.own.selectFrom('pt_rewards').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? num(r, ['cost', 'stock', 'active']) : undefined;
  }
  async rewards(reach: Reachable, communityId: string | null) {
    let q = this.own.selectFrom('pt_rewards').selectAll();
    q = communityId ? q.where('community_id', '=', communityId) : q.where(reachWhere('place_path', reach));
    return (await q.orderBy('cost').execute()).map((r) => num(r, ['cost', 'stock', 'active']));
  }
  /** Take one unit of stock and the points in one transaction; the conditional updates make one winner of the last unit. */
  async redeem(tx: Tx, reward: RewardRow, residentId: string, row: RedemptionRow, ledger: LedgerRow) {
    const s = await own(tx)
      .updateTable('pt_rewards')
      .set({ stock: sql`stock - 1` })
      .where('id', '=', reward.id)
      .where('stock', '>=', 1)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (Number(s.numUpdatedRows) !== 1) throw new AppError(409, 'points.out_of_stock');
    if (!(await this.applyDelta(tx, residentId, -reward.cost))) throw new AppError(409, 'points.not_enough');
    await own(tx).insertInto('pt_redemptions').values(row).execute();
    await this.insertLedger(tx, ledger);
  }
  async redemption(id: string) {
    const r = await this.own.selectFrom('pt_redemptions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? num(r, ['cost']) : undefined;
  }
  async redemptions(reach: Reachable, residentId: string | null) {
    let q = this.own.selectFrom('pt_redemptions').selectAll();
    q = residentId ? q.where('resident_id', '=', residentId) : q.where(reachWhere('place_path', reach));
    return (await q.orderBy('created_at', 'desc').limit(200).execute()).map((r) => num(r, ['cost']));
  }
  async fulfil(id: string, by: string, at: string) {
    const r = await this.own
      .updateTable('pt_redemptions')
      .set({ status: 'fulfilled', fulfilled_at: at, fulfilled_by: by })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ---------- honours ----------
  async insertHonour(h: HonourRow) {
    await this.own.insertInto('pt_honours').values(h).execute();
  }
  async honour(id: string) {
    const r = await this.own.selectFrom('pt_honours').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? num(r, ['threshold']) : undefined;
  }
  async honours(reach: Reachable, communityId: string | null) {
    let q = this.own.selectFrom('pt_honours').selectAll();
    q = communityId ? q.where('community_id', '=', communityId) : q.where(reachWhere('place_path', reach));
    return (await q.orderBy('threshold').orderBy('name').execute()).map((r) => num(r, ['threshold']));
  }
  async award(honourId: string, residentId: string, at: string, by: string | null): Promise<boolean> {
    const r = await this.own
      .insertInto('pt_honour_awards')
      .values({ honour_id: honourId, resident_id: residentId, awarded_at: at, awarded_by: by })
      .onConflict((oc) => oc.columns(['honour_id', 'resident_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  async awardsOf(residentId: string) {
    return this.own
      .selectFrom('pt_honour_awards as a')
      .innerJoin('pt_honours as h', 'h.id', 'a.honour_id')
      .select(['h.id', 'h.name', 'h.description', 'h.threshold', 'a.awarded_at'])
      .where('a.resident_id', '=', residentId)
      .orderBy('a.awarded_at')
      .execute();
  }
  async reachedThresholds(communityId: string, earned: number) {
    return await this.own
      .selectFrom('pt_honours')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('threshold', 'is not', null)
      .where('threshold', '<=', earned)
      .execute();
  }
}
