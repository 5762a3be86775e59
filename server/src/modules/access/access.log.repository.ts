// The decision log and the allow-list snapshots of controllers.
import type { Insertable, Selectable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { AccessDb, AccessTables, AccessTx } from './access.tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { reachWhere } from './access.repository.js';

export type LogRow = Selectable<AccessTables['access_log']>;

export interface LogFilter {
  reach: Reachable;
  residentId?: string;
  pointId?: string;
  visitorPassId?: string;
  from?: string;
  until?: string;
  result?: 'allow' | 'deny';
}

export type ListEntryRow = Selectable<AccessTables['access_list_entries']>;

export class AccessLogRepository {
  /** `settled`: resolves when this process's queued log rows are committed (access.logthread.ts); reads wait for it. */
  private readonly db: AccessDb;
  constructor(
    db: Db,
    private readonly settled: () => Promise<void> = async () => {},
  ) {
    this.db = tablesOf<AccessTables>(db);
  }

  /** Counted in the caller's transaction when one is given. */
  private on(t?: Tx): AccessDb | AccessTx {
    return t ? txOf<AccessTables>(t) : this.db;
  }

  async byEvent(controllerId: string, eventId: string) {
    await this.settled();
    return this.db.selectFrom('access_log').selectAll().where('controller_id', '=', controllerId).where('event_id', '=', eventId).executeTakeFirst();
  }

  /** The newest rows decided at or after `since` (newest first). */
  async latest(since: string, limit: number) {
    await this.settled();
    return this.db.selectFrom('access_log').selectAll().where('at', '>=', since).orderBy('at', 'desc').limit(limit).execute();
  }

  /** Insert unless the controller already reported this event; true when this call stored it. */
  async insert(r: Insertable<AccessTables['access_log']>, t?: Tx): Promise<boolean> {
    const res = await this.on(t)
      .insertInto('access_log')
      .values(r)
      .onConflict((oc) => oc.columns(['controller_id', 'event_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  private filtered(f: LogFilter) {
    let q = reachWhere(this.db.selectFrom('access_log'), 'place_path', f.reach, 'resident_id');
    if (f.residentId) q = q.where('resident_id', '=', f.residentId);
    if (f.pointId) q = q.where('point_id', '=', f.pointId);
    if (f.visitorPassId) q = q.where('visitor_pass_id', '=', f.visitorPassId);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.until) q = q.where('at', '<', f.until);
    if (f.result) q = q.where('result', '=', f.result);
    return q;
  }

  async list(f: LogFilter, limit: number, offset: number) {
    await this.settled();
    const items = await this.filtered(f).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const { n } = await this.filtered(f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { items, total: Number(n) };
  }

  async *stream(f: LogFilter, batch = 2000) {
    await this.settled();
    let before: { at: string; id: string } | null = null;
    for (;;) {
      let q = this.filtered(f).selectAll();
      if (before) {
        const b: { at: string; id: string } = before;
        q = q.where((eb) => eb.or([eb('at', '<', b.at), eb.and([eb('at', '=', b.at), eb('id', '<', b.id)])]));
      }
      const rows: LogRow[] = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(batch).execute();
      if (!rows.length) return;
      yield rows;
      if (rows.length < batch) return;
      before = { at: rows[rows.length - 1].at, id: rows[rows.length - 1].id };
    }
  }

  async purge(before: string) {
    await this.settled();
    return this.db.deleteFrom('access_log').where('at', '<', before).executeTakeFirst();
  }

  /** Denials at one door since an instant (repeated-denial alarm). */
  async denialsSince(pointId: string, since: string): Promise<number> {
    await this.settled();
    const r = await this.db
      .selectFrom('access_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('point_id', '=', pointId)
      .where('result', '=', 'deny')
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ----- allow-list snapshots -----
  async listVersion(controllerId: string, t?: Tx): Promise<number> {
    const r = await this.on(t).selectFrom('access_list_versions').select('version').where('controller_id', '=', controllerId).executeTakeFirst();
    return r ? Number(r.version) : 0;
  }
  entries(controllerId: string, t?: Tx): Promise<ListEntryRow[]> {
    return this.on(t).selectFrom('access_list_entries').selectAll().where('controller_id', '=', controllerId).execute();
  }
  /** Store an entry of the snapshot as of `version` (new, changed or back again). */
  async putEntry(t: Tx, controllerId: string, key: string, body: string, version: number, exists: boolean): Promise<void> {
    const db = txOf<AccessTables>(t);
    if (exists)
      await db
        .updateTable('access_list_entries')
        .set({ body, version, deleted: 0 })
        .where('controller_id', '=', controllerId)
        .where('entry_key', '=', key)
        .execute();
    else await db.insertInto('access_list_entries').values({ controller_id: controllerId, entry_key: key, body, version, deleted: 0 }).execute();
  }
  /** Mark an entry deleted as of `version` (a controller asking for the changes learns it is gone). */
  async deleteEntry(t: Tx, controllerId: string, key: string, version: number): Promise<void> {
    await txOf<AccessTables>(t)
      .updateTable('access_list_entries')
      .set({ deleted: 1, version })
      .where('controller_id', '=', controllerId)
      .where('entry_key', '=', key)
      .execute();
  }
  /** The controller's snapshot is now at `next` (`previous` 0: its first). */
  async setListVersion(t: Tx, controllerId: string, previous: number, next: number, at: string): Promise<void> {
    const db = txOf<AccessTables>(t);
    if (previous === 0) await db.insertInto('access_list_versions').values({ controller_id: controllerId, version: next, updated_at: at }).execute();
    else await db.updateTable('access_list_versions').set({ version: next, updated_at: at }).where('controller_id', '=', controllerId).execute();
  }
  /** Rows in the log (after the queued ones are committed). */
  async count(): Promise<number> {
    await this.settled();
    const r = await this.db
      .selectFrom('access_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  entriesSince(controllerId: string, since: number) {
    return this.db
      .selectFrom('access_list_entries')
      .selectAll()
      .where('controller_id', '=', controllerId)
      .where('version', '>', since)
      .orderBy('entry_key')
      .execute();
  }
}
