// The only code that touches users, role_grants, sessions, api_tokens, otp_codes, login_failures.
import type { Insertable, Selectable, Updateable } from 'kysely';
import { escapeLike, like, startsWith, type Db, type Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { IdentityDb, IdentityTables } from './identity.tables.js';
import type { Role } from '../../kernel/authz/index.js';

/** A user as stored (identity.tables.ts). */
export type UserRow = Selectable<IdentityTables['users']>;
export type GrantRow = Selectable<IdentityTables['role_grants']>;
export type SessionRow = Selectable<IdentityTables['sessions']>;

export class IdentityRepository {
  private db: IdentityDb;
  constructor(db: Db | Tx) {
    this.db = tablesOf<IdentityTables>(db);
  }

  userById(id: string) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }
  userByUsername(username: string) {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }
  userByPhone(bidx: string) {
    return this.db.selectFrom('users').selectAll().where('phone_bidx', '=', bidx).executeTakeFirst();
  }
  userByResident(residentId: string) {
    return this.db.selectFrom('users').selectAll().where('resident_id', '=', residentId).executeTakeFirst();
  }
  async insertUser(u: Insertable<IdentityTables['users']>) {
    await this.db.insertInto('users').values(u).execute();
  }
  async updateUser(id: string, patch: Updateable<IdentityTables['users']>) {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }
  grantsOf(userId: string) {
    return this.db.selectFrom('role_grants').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }
  grantsOfUsers(userIds: string[]) {
    if (!userIds.length) return Promise.resolve<GrantRow[]>([]);
    return this.db.selectFrom('role_grants').selectAll().where('user_id', 'in', userIds).orderBy('created_at').execute();
  }
  grantById(id: string) {
    return this.db.selectFrom('role_grants').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insertGrant(g: Insertable<IdentityTables['role_grants']>) {
    await this.db
      .insertInto('role_grants')
      .values(g)
      .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_path']).doNothing())
      .execute();
  }
  async deleteGrant(id: string) {
    await this.db.deleteFrom('role_grants').where('id', '=', id).execute();
  }

  /** Staff users with at least one grant under one of the prefixes (all when prefixes is null). */
  async listUsers(opts: { prefixes: string[] | null; q?: string; limit: number; offset: number }) {
    let base = this.db.selectFrom('users').where('kind', '=', 'staff');
    if (opts.prefixes) {
      const prefixes = opts.prefixes;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('role_grants')
            .select('role_grants.id')
            .whereRef('role_grants.user_id', '=', 'users.id')
            .where((e2) => e2.or(prefixes.map((p) => startsWith('role_grants.scope_path', p)))),
        ),
      );
    }
    if (opts.q) {
      const pat = `%${escapeLike(opts.q)}%`;
      base = base.where((eb) => eb.or([like('username', pat), like('display_name', pat)]));
    }
    const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = await base.selectAll().orderBy('username').limit(opts.limit).offset(opts.offset).execute();
    return { items, total: Number(n) };
  }

  /** The session with its (enabled) user, in one query: the hot path of every request. */
  sessionWithUser(hash: string) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.csrf_token',
        'sessions.user_id',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'users.kind',
        'users.display_name',
        'users.resident_id',
        'users.disabled',
      ])
      .where('sessions.token_hash', '=', hash)
      .executeTakeFirst();
  }

  sessionByHash(hash: string) {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }
  sessionsOf(userId: string) {
    return this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
  }
  async insertSession(s: SessionRow) {
    await this.db.insertInto('sessions').values(s).execute();
  }
  async touchSession(id: string, at: string) {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }
  async deleteSession(id: string, userId?: string) {
    let q = this.db.deleteFrom('sessions').where('id', '=', id);
    if (userId) q = q.where('user_id', '=', userId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async deleteSessionsOf(userId: string, exceptId?: string) {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    await q.execute();
  }
  async deleteExpiredSessions(now: string, idleBefore: string) {
    await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleBefore)]))
      .execute();
  }

  tokenByHash(hash: string) {
    return this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
  }
  /** A user's tokens that are not revoked, newest first (never the hash). */
  tokensOf(userId: string) {
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
  async insertToken(t: { id: string; token_hash: string; user_id: string; name: string; created_at: string; expires_at: string }) {
    await this.db.insertInto('api_tokens').values(t).execute();
  }
  async touchToken(id: string, at: string) {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
  async revokeToken(id: string, userId: string, at: string) {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertOtp(o: { id: string; phone_bidx: string; code_hash: string; expires_at: string; created_at: string; ip?: string | null }) {
    await this.db.insertInto('otp_codes').values(o).execute();
  }
  latestOtp(phoneBidx: string) {
    return this.db
      .selectFrom('otp_codes')
      .selectAll()
      .where('phone_bidx', '=', phoneBidx)
      .where('used_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  /** The newest code of a phone, used or not: only the newest code counts. */
  newestOtp(phoneBidx: string) {
    return this.db
      .selectFrom('otp_codes')
      .selectAll()
      .where('phone_bidx', '=', phoneBidx)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  async countOtpFromIpSince(ip: string, since: string) {
    const r = await this.db
      .selectFrom('otp_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  /** When the oldest code of a phone (or address) since a time was issued: when an hourly count next goes down. */
  async oldestOtpSince(by: 'phone_bidx' | 'ip', value: string, since: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('otp_codes')
      .select('created_at')
      .where(by, '=', value)
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return r?.created_at ?? null;
  }
  async deleteOtpBefore(before: string) {
    await this.db.deleteFrom('otp_codes').where('created_at', '<', before).execute();
  }
  async countOtpSince(phoneBidx: string, since: string) {
    const r = await this.db
      .selectFrom('otp_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phone_bidx', '=', phoneBidx)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async updateOtp(id: string, patch: { attempts?: number; used_at?: string; expires_at?: string }) {
    await this.db.updateTable('otp_codes').set(patch).where('id', '=', id).execute();
  }

  async addFailure(id: string, key: string, at: string) {
    await this.db.insertInto('login_failures').values({ id, key, at }).execute();
  }
  async failuresSince(key: string, since: string) {
    const r = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', key)
      .where('at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  /** Failures of a key since a time: how many, and when the last one was. */
  async failureStats(key: string, since: string): Promise<{ n: number; last: string | null }> {
    const r = await this.db
      .selectFrom('login_failures')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last')])
      .where('key', '=', key)
      .where('at', '>=', since)
      .executeTakeFirst();
    return { n: Number(r?.n ?? 0), last: (r?.last as string | null) ?? null };
  }
  async deleteFailuresBefore(before: string) {
    await this.db.deleteFrom('login_failures').where('at', '<', before).execute();
  }
  async clearFailures(key: string) {
    await this.db.deleteFrom('login_failures').where('key', '=', key).execute();
  }

  // ---------- lookups for other modules (index.ts: userOfResident, usersOfResidents, usersCovering) ----------
  /** The sign-in account of a resident, enabled or not. */
  accountOfResident(residentId: string) {
    return this.db.selectFrom('users').select(['id', 'disabled']).where('resident_id', '=', residentId).executeTakeFirst();
  }
  /** The sign-in accounts of these residents (at most a few hundred ids: the caller chunks). */
  accountsOfResidents(residentIds: string[]) {
    return this.db.selectFrom('users').select(['id', 'disabled']).where('resident_id', 'in', residentIds).execute();
  }
  /** Enabled users holding one of the roles on one of these scope paths. */
  enabledHolders(roles: Role[], scopePaths: string[]) {
    return this.db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select(['users.id as userId', 'role_grants.role', 'users.display_name as name'])
      .where('role_grants.role', 'in', roles)
      .where('role_grants.scope_path', 'in', scopePaths)
      .where('users.disabled', '=', 0)
      .execute();
  }
}
