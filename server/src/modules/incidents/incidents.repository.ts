// The only code that touches the incidents module's tables (cameras, camera events, rules,
// incidents and their timeline, refused-input counters), typed by incidents.tables.ts.
import { sql, type Updateable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { startsWith, noRows } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { EventKind, Status } from './incidents.states.js';
import type { CameraEventRow, CameraRead, CameraRow, IncidentRow, IncidentsDb, IncidentsTables, RuleRow, TimelineRow } from './incidents.tables.js';

export type { CameraEventRow, CameraRead, CameraRow, IncidentRow, RuleRow, TimelineRow } from './incidents.tables.js';

export interface IncidentFilter {
  reach: Reachable;
  /** only these statuses (none: no incident) */
  statuses?: Status[];
  cameraId?: string;
  kind?: EventKind;
}

const changed = (r: { numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined) =>
  Number(r?.numUpdatedRows ?? r?.numInsertedOrUpdatedRows ?? 0n) > 0;

export class IncidentsRepository {
  private readonly db: IncidentsDb;
  constructor(db: Db) {
    this.db = tablesOf<IncidentsTables>(db);
  }

  /** The caller's transaction when it passes one, the database otherwise. */
  private on(tx?: Tx): IncidentsDb {
    return tx ? txOf<IncidentsTables>(tx) : this.db;
  }

  // ---------- cameras ----------
  camera(deviceId: string): Promise<CameraRead | undefined> {
    return this.db.selectFrom('cameras').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
  }
  async cameras(deviceIds: string[]): Promise<CameraRead[]> {
    if (!deviceIds.length) return [];
    const out: CameraRead[] = [];
    for (let i = 0; i < deviceIds.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('cameras')
          .selectAll()
          .where('device_id', 'in', deviceIds.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }
  /** Cameras configured with this MAC address or IP (any channel). */
  async camerasByAddress(mac: string | null, ip: string | null): Promise<CameraRead[]> {
    if (!mac && !ip) return [];
    return this.db
      .selectFrom('cameras')
      .selectAll()
      .where((eb) => eb.or([...(mac ? [eb('mac', '=', mac)] : []), ...(ip ? [eb('ip', '=', ip)] : [])]))
      .execute();
  }
  /** Insert or replace a camera's settings (what its events showed of its clock stays). */
  async upsertCamera(row: CameraRow, tx?: Tx): Promise<void> {
    const { device_id, ...rest } = row;
    await this.on(tx)
      .insertInto('cameras')
      .values(row)
      .onConflict((oc) => oc.column('device_id').doUpdateSet(rest))
      .execute();
  }
  /** What a camera's last timed event showed of its clock (a camera without extras gets a row). */
  async setClock(deviceId: string, communityId: string, skewS: number, at: string): Promise<void> {
    await this.db
      .insertInto('cameras')
      .values({ device_id: deviceId, community_id: communityId, clock_skew_s: skewS, clock_checked_at: at, updated_by: null, updated_at: at })
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ clock_skew_s: skewS, clock_checked_at: at }))
      .execute();
  }

  // ---------- camera events ----------
  /** Insert an event; false when this device already sent an event with this key. */
  async insertEvent(tx: Tx, row: CameraEventRow): Promise<boolean> {
    const r = await txOf<IncidentsTables>(tx)
      .insertInto('camera_events')
      .values(row)
      .onConflict((oc) => oc.columns(['device_id', 'event_key']).doNothing())
      .executeTakeFirst();
    return changed(r);
  }
  eventByKey(deviceId: string, key: string): Promise<CameraEventRow | undefined> {
    return this.db.selectFrom('camera_events').selectAll().where('device_id', '=', deviceId).where('event_key', '=', key).executeTakeFirst();
  }
  eventsOf(incidentId: string, limit = 200): Promise<CameraEventRow[]> {
    return this.db
      .selectFrom('camera_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
  eventByPicture(fileId: string): Promise<CameraEventRow | undefined> {
    return this.db.selectFrom('camera_events').selectAll().where('picture_file_id', '=', fileId).executeTakeFirst();
  }
  async linkEvent(tx: Tx, eventId: string, incidentId: string) {
    await txOf<IncidentsTables>(tx).updateTable('camera_events').set({ incident_id: incidentId }).where('id', '=', eventId).execute();
  }

  /** Count refused input by source and reason (the counters survive restarts). */
  async countReject(source: string, reason: string, detail: string, at: string) {
    await this.db
      .insertInto('camera_event_rejects')
      .values({ source, reason, count: 1, last_at: at, last_detail: detail.slice(0, 200) })
      .onConflict((oc) =>
        oc.columns(['source', 'reason']).doUpdateSet({ count: sql<number>`camera_event_rejects.count + 1`, last_at: at, last_detail: detail.slice(0, 200) }),
      )
      .execute();
  }
  async rejects() {
    const rows = await this.db.selectFrom('camera_event_rejects').selectAll().orderBy('source').orderBy('reason').execute();
    return rows.map((r) => ({ source: r.source, reason: r.reason, count: Number(r.count), lastAt: r.last_at, lastDetail: r.last_detail }));
  }

  // ---------- rules ----------
  rules(communityId: string): Promise<RuleRow[]> {
    return this.db.selectFrom('incident_rules').selectAll().where('community_id', '=', communityId).execute();
  }
  async upsertRule(row: RuleRow) {
    const { community_id, kind, ...rest } = row;
    await this.db
      .insertInto('incident_rules')
      .values(row)
      .onConflict((oc) => oc.columns(['community_id', 'kind']).doUpdateSet(rest))
      .execute();
  }

  // ---------- incidents ----------
  byId(id: string): Promise<IncidentRow | undefined> {
    return this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byOpenKey(tx: Tx, key: string): Promise<IncidentRow | undefined> {
    return txOf<IncidentsTables>(tx).selectFrom('incidents').selectAll().where('open_key', '=', key).executeTakeFirst();
  }
  /** Insert an incident; false when another one holds the same open key (a concurrent event). */
  async insertIncident(tx: Tx, row: IncidentRow): Promise<boolean> {
    const r = await txOf<IncidentsTables>(tx)
      .insertInto('incidents')
      .values(row)
      .onConflict((oc) => oc.column('open_key').doNothing())
      .executeTakeFirst();
    return changed(r);
  }
  /** Attach one more event: count it and move the last-event time forward. */
  async touch(tx: Tx, id: string, at: string, now: string) {
    await txOf<IncidentsTables>(tx)
      .updateTable('incidents')
      .set((eb) => ({
        event_count: eb('event_count', '+', 1),
        last_event_at: sql<string>`CASE WHEN last_event_at < ${at} THEN ${at} ELSE last_event_at END`,
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  }
  /** Let an open incident stop taking events (its window has passed). */
  async releaseKey(tx: Tx, id: string) {
    await txOf<IncidentsTables>(tx).updateTable('incidents').set({ open_key: null }).where('id', '=', id).execute();
  }
  /** Conditional update on (status, version): of two people acting at once exactly one wins. */
  async updateIf(tx: Tx, id: string, expect: { status: Status; version: number }, patch: Updateable<IncidentsTables['incidents']>): Promise<boolean> {
    const r = await txOf<IncidentsTables>(tx)
      .updateTable('incidents')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', expect.status)
      .where('version', '=', expect.version)
      .executeTakeFirst();
    return changed(r);
  }
  /**
   * Claim the incident's one work-order slot with a marker before the order is created: of
   * several requests at once exactly one sees the slot empty and wins; the others create nothing.
   */
  async claimWorkOrder(id: string, marker: string): Promise<boolean> {
    const r = await this.db.updateTable('incidents').set({ work_order_id: marker }).where('id', '=', id).where('work_order_id', 'is', null).executeTakeFirst();
    return changed(r);
  }
  /** Replace the claim marker by the created order's id. */
  async setWorkOrder(id: string, marker: string, workOrderId: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('incidents')
      .set((eb) => ({ work_order_id: workOrderId, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('work_order_id', '=', marker)
      .executeTakeFirst();
    return changed(r);
  }
  /** Give the slot back (creating the order failed). */
  async releaseWorkOrder(id: string, marker: string): Promise<void> {
    await this.db.updateTable('incidents').set({ work_order_id: null }).where('id', '=', id).where('work_order_id', '=', marker).execute();
  }

  private filtered(f: IncidentFilter) {
    let q = this.db.selectFrom('incidents');
    if (!f.reach.all) {
      const prefixes = f.reach.prefixes;
      q = q.where((eb) => (prefixes.length ? eb.or(prefixes.map((p) => startsWith('place_path', p))) : noRows()));
    }
    if (f.cameraId) q = q.where('camera_id', '=', f.cameraId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    return q;
  }
  async list(f: IncidentFilter, limit: number, offset: number) {
    let q = this.filtered(f);
    if (f.statuses) q = f.statuses.length ? q.where('status', 'in', f.statuses) : q.where(noRows());
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(c.n) };
  }
  async totals(f: IncidentFilter): Promise<Record<string, number>> {
    const rows = await this.filtered(f)
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  // ---------- timeline ----------
  async insertTimeline(tx: Tx, e: TimelineRow) {
    await txOf<IncidentsTables>(tx).insertInto('incident_events').values(e).execute();
  }
  timeline(incidentId: string): Promise<TimelineRow[]> {
    return this.db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
  }
}
