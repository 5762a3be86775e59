// The only code that touches the access tables (setup, credentials, keys, nonces, passes).
// The decision log and allow-list snapshots are in access.log.repository.ts.
import { sql, type Expression, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { AccessDb, AccessTables } from './access.tables.js';
import { startsWith, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';

export type PointRow = Selectable<AccessTables['access_points']>;

export type DoorGroupRow = Selectable<AccessTables['access_door_groups']>;

export type PersonGroupRow = Selectable<AccessTables['access_person_groups']>;

export type ScheduleRow = Selectable<AccessTables['access_schedules']>;

export type RuleRow = Selectable<AccessTables['access_rules']>;

export type CredentialRow = Selectable<AccessTables['access_credentials']>;

export type KeyRow = Selectable<AccessTables['access_keys']>;

export type PassRow = Selectable<AccessTables['access_visitor_passes']>;

export type MemberRow = Selectable<AccessTables['access_door_group_members']>;

/** Rows in reach: the column starts with one of its prefixes, or (`residentCol`) the row is the actor's own. */
export function inReach(col: string, reach: Reachable, residentCol?: string): Expression<SqlBool> {
  const ors = reach.prefixes.map((p) => startsWith(col, p));
  if (residentCol && reach.residentId) ors.push(sql<boolean>`${sql.ref(residentCol)} = ${reach.residentId}`);
  return ors.length ? sql<boolean>`(${sql.join(ors, sql` or `)})` : noRows();
}

export function reachWhere<Q extends { where(e: Expression<SqlBool>): Q }>(q: Q, col: string, reach: Reachable, residentCol?: string): Q {
  return reach.all ? q : q.where(inReach(col, reach, residentCol));
}

export class AccessRepository {
  readonly db: AccessDb;
  constructor(db: Db) {
    this.db = tablesOf<AccessTables>(db);
  }

  // ----- points and groups -----
  insertPoint(r: Insertable<AccessTables['access_points']>) {
    return this.db.insertInto('access_points').values(r).execute();
  }
  updatePoint(id: string, patch: Updateable<AccessTables['access_points']>) {
    return this.db.updateTable('access_points').set(patch).where('id', '=', id).execute();
  }
  point(id: string) {
    return this.db.selectFrom('access_points').selectAll().where('id', '=', id).executeTakeFirst();
  }
  pointsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<PointRow[]>([]);
    return this.db.selectFrom('access_points').selectAll().where('id', 'in', ids).execute();
  }
  points(reach: Reachable, communityId?: string) {
    let q = reachWhere(this.db.selectFrom('access_points').selectAll(), 'place_path', reach);
    if (communityId) q = q.where('community_id', '=', communityId);
    return q.orderBy('place_path').orderBy('name').execute();
  }
  pointsOfController(controllerId: string) {
    return this.db.selectFrom('access_points').selectAll().where('controller_id', '=', controllerId).orderBy('id').execute();
  }

  insertDoorGroup(r: Insertable<AccessTables['access_door_groups']>) {
    return this.db.insertInto('access_door_groups').values(r).execute();
  }
  updateDoorGroup(id: string, patch: Updateable<AccessTables['access_door_groups']>) {
    return this.db.updateTable('access_door_groups').set(patch).where('id', '=', id).execute();
  }
  doorGroup(id: string) {
    return this.db.selectFrom('access_door_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }
  doorGroups(reach: Reachable) {
    return reachWhere(this.db.selectFrom('access_door_groups').selectAll(), 'place_path', reach).orderBy('name').execute();
  }
  doorGroupsOfCommunity(communityId: string) {
    return this.db.selectFrom('access_door_groups').selectAll().where('community_id', '=', communityId).execute();
  }
  doorGroupsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<DoorGroupRow[]>([]);
    return this.db.selectFrom('access_door_groups').selectAll().where('id', 'in', ids).execute();
  }
  async setDoorGroupMembers(groupId: string, pointIds: string[]) {
    await this.db.transaction().execute(async (t) => {
      await t.deleteFrom('access_door_group_members').where('group_id', '=', groupId).execute();
      if (pointIds.length)
        await t
          .insertInto('access_door_group_members')
          .values(pointIds.map((p) => ({ group_id: groupId, point_id: p })))
          .execute();
    });
  }
  async membersOfGroups(groupIds: string[]): Promise<MemberRow[]> {
    if (!groupIds.length) return [];
    return this.db.selectFrom('access_door_group_members').selectAll().where('group_id', 'in', groupIds).execute();
  }
  async membersOfPoints(pointIds: string[]): Promise<MemberRow[]> {
    if (!pointIds.length) return [];
    return this.db.selectFrom('access_door_group_members').selectAll().where('point_id', 'in', pointIds).execute();
  }
  async groupsOfPoint(pointId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('access_door_group_members').select('group_id').where('point_id', '=', pointId).execute();
    return rows.map((r) => r.group_id);
  }

  insertPersonGroup(r: Insertable<AccessTables['access_person_groups']>) {
    return this.db.insertInto('access_person_groups').values(r).execute();
  }
  personGroups(communityId: string) {
    return this.db.selectFrom('access_person_groups').selectAll().where('community_id', '=', communityId).execute();
  }
  personGroupsReach(reach: Reachable) {
    return reachWhere(this.db.selectFrom('access_person_groups').selectAll(), 'place_path', reach).orderBy('name').execute();
  }

  insertSchedule(r: Insertable<AccessTables['access_schedules']>) {
    return this.db.insertInto('access_schedules').values(r).execute();
  }
  schedule(id: string) {
    return this.db.selectFrom('access_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  }
  schedules(communityId: string) {
    return this.db.selectFrom('access_schedules').selectAll().where('community_id', '=', communityId).execute();
  }
  schedulesReach(reach: Reachable) {
    return reachWhere(this.db.selectFrom('access_schedules').selectAll(), 'place_path', reach).orderBy('name').execute();
  }

  insertRule(r: Insertable<AccessTables['access_rules']>) {
    return this.db.insertInto('access_rules').values(r).execute();
  }
  rule(id: string) {
    return this.db.selectFrom('access_rules').selectAll().where('id', '=', id).executeTakeFirst();
  }
  deleteRule(id: string) {
    return this.db.deleteFrom('access_rules').where('id', '=', id).execute();
  }
  rules(communityId: string) {
    return this.db.selectFrom('access_rules').selectAll().where('community_id', '=', communityId).orderBy('created_at').execute();
  }
  rulesReach(reach: Reachable) {
    return reachWhere(this.db.selectFrom('access_rules').selectAll(), 'place_path', reach).orderBy('created_at').execute();
  }

  // ----- credentials -----
  /** Inside the caller's transaction when one is given. */
  insertCredential(r: Insertable<AccessTables['access_credentials']>, t?: Tx) {
    return (t ? txOf<AccessTables>(t) : this.db).insertInto('access_credentials').values(r).execute();
  }
  credential(id: string) {
    return this.db.selectFrom('access_credentials').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** Active credentials first: a revoked card's number may be given to someone else later. */
  credentialByValue(communityId: string, type: CredentialRow['type'], bidx: string) {
    return this.db
      .selectFrom('access_credentials')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('type', '=', type)
      .where('value_bidx', '=', bidx)
      .orderBy('status')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }
  /** Every credential of a community (active and revoked), a page at a time by id (the decision image). */
  credentialsPage(communityId: string, afterId: string, limit: number) {
    return this.db
      .selectFrom('access_credentials')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
  credentialsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<CredentialRow[]>([]);
    return this.db.selectFrom('access_credentials').selectAll().where('id', 'in', ids).execute();
  }
  credentialsOf(residentId: string) {
    return this.db.selectFrom('access_credentials').selectAll().where('resident_id', '=', residentId).orderBy('created_at').execute();
  }
  credentialsOfCommunity(communityId: string) {
    return this.db.selectFrom('access_credentials').selectAll().where('community_id', '=', communityId).where('status', '=', 'active').orderBy('id').execute();
  }
  revokeCredentials(ids: string[], at: string, reason: string) {
    if (!ids.length) return Promise.resolve();
    return this.db
      .updateTable('access_credentials')
      .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
      .where('id', 'in', ids)
      .where('status', '=', 'active')
      .execute();
  }

  // ----- signing keys and the replay cache -----
  keyOf(communityId: string) {
    return this.db.selectFrom('access_keys').selectAll().where('community_id', '=', communityId).executeTakeFirst();
  }
  keyById(id: string) {
    return this.db.selectFrom('access_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** Insert unless a key exists (two nodes creating one at once: the unique key keeps the first). */
  async insertKey(r: Insertable<AccessTables['access_keys']>) {
    await this.db
      .insertInto('access_keys')
      .values(r)
      .onConflict((oc) => oc.column('community_id').doNothing())
      .execute();
  }
  /** true if the nonce was new (this use is the first). */
  async claimNonce(nonce: string, expiresAt: string): Promise<boolean> {
    const r = await this.db
      .insertInto('access_qr_nonces')
      .values({ nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.column('nonce').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  purgeNonces(before: string) {
    return this.db.deleteFrom('access_qr_nonces').where('expires_at', '<', before).executeTakeFirst();
  }

  // ----- anti-passback -----
  /** `t`: read inside the caller's transaction. */
  apb(groupId: string, holder: string, t?: Tx) {
    return (t ? txOf<AccessTables>(t) : this.db)
      .selectFrom('access_apb')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('holder', '=', holder)
      .executeTakeFirst();
  }
  async setApb(groupId: string, holder: string, direction: 'in' | 'out', at: string, t?: Tx) {
    await (t ? txOf<AccessTables>(t) : this.db)
      .insertInto('access_apb')
      .values({ group_id: groupId, holder, direction, at })
      .onConflict((oc) => oc.columns(['group_id', 'holder']).doUpdateSet({ direction, at }))
      .execute();
  }

  // ----- visitor passes -----
  /** Inside the caller's transaction when one is given. */
  insertPass(r: Insertable<AccessTables['access_visitor_passes']>, t?: Tx) {
    return (t ? txOf<AccessTables>(t) : this.db).insertInto('access_visitor_passes').values(r).execute();
  }
  pass(id: string) {
    return this.db.selectFrom('access_visitor_passes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  passByCode(code: string) {
    return this.db.selectFrom('access_visitor_passes').selectAll().where('link_code', '=', code).executeTakeFirst();
  }
  passes(reach: Reachable, f: { from?: string; until?: string; hostResidentId?: string }, limit: number) {
    let q = reachWhere(this.db.selectFrom('access_visitor_passes').selectAll(), 'place_path', reach, 'host_resident_id');
    if (f.hostResidentId) q = q.where('host_resident_id', '=', f.hostResidentId);
    // passes whose window overlaps [from, until)
    if (f.until) q = q.where('valid_from', '<', f.until);
    if (f.from) q = q.where('valid_until', '>', f.from);
    return q.orderBy('valid_from', 'desc').limit(limit).execute();
  }
  /** Count one use if any is left; false when used up (atomic, so two gates cannot both take the last). */
  async takeUse(id: string, t?: Tx): Promise<boolean> {
    const r = await (t ? txOf<AccessTables>(t) : this.db)
      .updateTable('access_visitor_passes')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', id)
      .whereRef('uses', '<', 'max_uses')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  revokePass(id: string) {
    return this.db.updateTable('access_visitor_passes').set({ status: 'revoked' }).where('id', '=', id).execute();
  }
}
