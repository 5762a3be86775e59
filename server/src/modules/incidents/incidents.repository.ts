// The only code that touches the incidents module's tables (cameras, camera events, rules,
// incidents and their timeline, refused-input counters).
import { sql } from 'kysely';
import type { Db } from '../../kernel/db/index.js';
import { startsWith, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Status } from './incidents.states.js';

export interface CameraRow {
  device_id: string;
  community_id: string;
  location: string | null;
  stream_url: string | null;
  mac: string | null;
  ip: string | null;
  channel: number | null;
  /** IANA zone of the camera's clock for times sent without an offset (null: the community's) */
  time_zone?: string | null;
  updated_by: string | null;
  updated_at: string;
}

/** A camera row as read: its settings and what its last timed event showed of its clock. */
export interface CameraRead extends CameraRow {
  /** camera clock − Linli's clock, seconds, at clock_checked_at */
  clock_skew_s: number | null;
  clock_checked_at: string | null;
}

export interface CameraEventRow {
  id: string;
  device_id: string;
  event_key: string;
  kind: string;
  source: 'mqtt' | 'webhook' | 'hikvision';
  community_id: string;
  place_path: string;
  at: string;
  received_at: string;
  /** the time the camera gave (UTC ISO); `at` is the receipt time when the camera's clock was off */
  claimed_at?: string | null;
  detail: string;
  picture_file_id: string | null;
  incident_id: string | null;
}

export interface IncidentRow {
  id: string;
  community_id: string;
  place_path: string;
  camera_id: string;
  kind: string;
  status: Status;
  title: string;
  open_key: string | null;
  event_count: number;
  first_event_at: string;
  last_event_at: string;
  work_order_id: string | null;
  closed_at: string | null;
  closed_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TimelineRow {
  id: string;
  incident_id: string;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

export interface RuleRow {
  community_id: string;
  kind: string;
  opens: number;
  window_s: number;
  updated_by: string | null;
  updated_at: string;
}

export interface IncidentFilter {
  reach: Reachable;
  statuses?: string[];
  cameraId?: string;
  kind?: string;
}

const normCam = (r: any): CameraRead => ({
  ...r,
  channel: r.channel == null ? null : Number(r.channel),
  clock_skew_s: r.clock_skew_s == null ? null : Number(r.clock_skew_s),
  clock_checked_at: r.clock_checked_at ?? null,
});
const normInc = (r: any): IncidentRow => ({ ...r, event_count: Number(r.event_count), version: Number(r.version) });
const changed = (r: { numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined) =>
  Number(r?.numUpdatedRows ?? r?.numInsertedOrUpdatedRows ?? 0n) > 0;

export class IncidentsRepository {
  constructor(readonly db: Db) {}

  // ---------- cameras ----------
  async camera(deviceId: string): Promise<CameraRead | undefined> {
    const r = await this.db.selectFrom('cameras').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
    return r ? normCam(r) : undefined;
  }
  async cameras(deviceIds: string[]): Promise<CameraRead[]> {
    if (!deviceIds.length) return [];
    const out: CameraRead[] = [];
    for (let i = 0; i < deviceIds.length; i += 500) {
      out.push(
        ...(
          await this.db
            .selectFrom('cameras')
            .selectAll()
            .where('device_id', 'in', deviceIds.slice(i, i + 500))
            .execute()
        ).map(normCam),
      );
    }
    return out;
  }
  /** Cameras configured with this MAC address or IP (any channel). */
  async camerasByAddress(mac: string | null, ip: string | null): Promise<CameraRow[]> {
    if (!mac && !ip) return [];
    const rows = await this.db
      .selectFrom('cameras')
      .selectAll()
      .where((eb) => eb.or([...(mac ? [eb('mac', '=', mac)] : []), ...(ip ? [eb('ip', '=', ip)] : [])]))
      .execute();
    return rows.map(normCam);
  }
  async upsertCamera(row: CameraRow): Promise<void> {
    const { device_id, ...rest } = row;
    await this.db
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
  async insertEvent(t: Db, row: CameraEventRow): Promise<boolean> {
    const r = await t
      .insertInto('camera_events')
      .values(row)
      .onConflict((oc) => oc.columns(['device_id', 'event_key']).doNothing())
      .executeTakeFirst();
    return changed(r);
  }
  eventByKey(deviceId: string, key: string) {
    return this.db.selectFrom('camera_events').selectAll().where('device_id', '=', deviceId).where('event_key', '=', key).executeTakeFirst() as Promise<
      CameraEventRow | undefined
    >;
  }
  eventsOf(incidentId: string, limit = 200) {
    return this.db
      .selectFrom('camera_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute() as Promise<CameraEventRow[]>;
  }
  eventByPicture(fileId: string) {
    return this.db.selectFrom('camera_events').selectAll().where('picture_file_id', '=', fileId).executeTakeFirst() as Promise<CameraEventRow | undefined>;
  }
  async linkEvent(t: Db, eventId: string, incidentId: string) {
    await t.updateTable('camera_events').set({ incident_id: incidentId }).where('id', '=', eventId).execute();
  }

  /** Count refused input by source and reason (the counters survive restarts). */
  async countReject(source: string, reason: string, detail: string, at: string) {
    await this.db
      .insertInto('camera_event_rejects')
      .values({ source, reason, count: 1, last_at: at, last_detail: detail.slice(0, 200) })
      .onConflict((oc) =>
        oc.columns(['source', 'reason']).doUpdateSet({ count: sql`camera_event_rejects.count + 1`, last_at: at, last_detail: detail.slice(0, 200) }),
      )
      .execute();
  }
  async rejects() {
    const rows = await this.db.selectFrom('camera_event_rejects').selectAll().orderBy('source').orderBy('reason').execute();
    return rows.map((r) => ({
      source: r.source as string,
      reason: r.reason as string,
      count: Number(r.count),
      lastAt: r.last_at as string,
      lastDetail: r.last_detail as string | null,
    }));
  }

  // ---------- rules ----------
  rules(communityId: string) {
    return this.db.selectFrom('incident_rules').selectAll().where('community_id', '=', communityId).execute() as Promise<RuleRow[]>;
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
  async byId(id: string, db: Db = this.db): Promise<IncidentRow | undefined> {
    const r = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? normInc(r) : undefined;
  }
  async byOpenKey(t: Db, key: string): Promise<IncidentRow | undefined> {
    const r = await t.selectFrom('incidents').selectAll().where('open_key', '=', key).executeTakeFirst();
    return r ? normInc(r) : undefined;
  }
  /** Insert an incident; false when another one holds the same open key (a concurrent event). */
  async insertIncident(t: Db, row: IncidentRow): Promise<boolean> {
    const r = await t
      .insertInto('incidents')
      .values(row)
      .onConflict((oc) => oc.column('open_key').doNothing())
      .executeTakeFirst();
    return changed(r);
  }
  /** Attach one more event: count it and move the last-event time forward. */
  async touch(t: Db, id: string, at: string, now: string) {
    await t
      .updateTable('incidents')
      .set({ event_count: sql`event_count + 1`, last_event_at: sql`CASE WHEN last_event_at < ${at} THEN ${at} ELSE last_event_at END`, updated_at: now })
      .where('id', '=', id)
      .execute();
  }
  /** Let an open incident stop taking events (its window has passed). */
  async releaseKey(t: Db, id: string) {
    await t.updateTable('incidents').set({ open_key: null }).where('id', '=', id).execute();
  }
  /** Conditional update on (status, version): of two people acting at once exactly one wins. */
  async updateIf(t: Db, id: string, expect: { status: Status; version: number }, patch: Partial<IncidentRow>): Promise<boolean> {
    const r = await t
      .updateTable('incidents')
      .set({ ...patch, version: sql`version + 1` } as any)
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
      .set({ work_order_id: workOrderId, updated_at: now, version: sql`version + 1` })
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
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items: items.map(normInc), total: Number(c.n) };
  }
  async totals(f: IncidentFilter): Promise<Record<string, number>> {
    const rows = await this.filtered(f)
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status as string, Number(r.n)]));
  }

  // ---------- timeline ----------
  async insertTimeline(t: Db, e: TimelineRow) {
    await t.insertInto('incident_events').values(e).execute();
  }
  timeline(incidentId: string) {
    return this.db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute() as Promise<
      TimelineRow[]
    >;
  }
}
