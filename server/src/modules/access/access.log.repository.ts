// The decision log and the allow-list snapshots of controllers.
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import type { AccessTables } from './access.tables.js';
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
  constructor(
    readonly db: Db,
    private readonly settled: () => Promise<void> = async () => {},
  ) {}

  async byEvent(controllerId: string, eventId: string) {
    await this.settled();
    return this.db.selectFrom('access_log').selectAll().where('controller_id', '=', controllerId).where('event_id', '=', eventId).executeTakeFirst() as Promise<
      LogRow | undefined
    >;
  }

  /** The newest rows decided at or after `since` (newest first). */
  async latest(since: string, limit: number) {
    await this.settled();
    return (await this.db.selectFrom('access_log').selectAll().where('at', '>=', since).orderBy('at', 'desc').limit(limit).execute()) as LogRow[];
  }

  /** Insert unless the controller already reported this event; true when this call stored it. */
  async insert(r: LogRow, db: Db | Tx = this.db): Promise<boolean> {
    const res = await db
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
    const items = (await this.filtered(f).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()) as LogRow[];
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
      const rows = (await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(batch).execute()) as LogRow[];
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
  async listVersion(controllerId: string, db: Db | Tx = this.db): Promise<number> {
    const r = await db.selectFrom('access_list_versions').select('version').where('controller_id', '=', controllerId).executeTakeFirst();
    return r ? Number(r.version) : 0;
  }
  entries(controllerId: string, db: Db | Tx = this.db) {
    return db.selectFrom('access_list_entries').selectAll().where('controller_id', '=', controllerId).execute() as Promise<ListEntryRow[]>;
  }
  entriesSince(controllerId: string, since: number) {
    return this.db
      .selectFrom('access_list_entries')
      .selectAll()
      .where('controller_id', '=', controllerId)
      .where('version', '>', since)
      .orderBy('entry_key')
      .execute() as Promise<ListEntryRow[]>;
  }
}
