// Camera events from every transport (MQTT via the devices ingest, the JSON webhook, the
// Hikvision adapter) end here: stored once per (camera, event key), then — when the community's
// rule says the kind opens incidents — attached to the camera's open incident of that kind if its
// last event is inside the dedup window, else a new incident is opened and the guards and
// property managers on duty there are notified (inbox + live SSE through kernel notify).
import type { Kernel } from '../../kernel/index.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { t as tr } from '../../kernel/http/i18n.js';
import type { DeviceInfo } from '../devices/index.js';
import { usersCovering } from '../identity/index.js';
import { places } from '../registry/index.js';
import { IncidentsRepository, type CameraEventRow, type IncidentRow } from './incidents.repository.js';
import { defaultRules, type EventKind, type Rule } from './incidents.states.js';
import { judgeTime, type JudgedTime } from './camera-time.js';
import { INCIDENT_OPENED, type IncidentOpened } from './incidents.events.js';

export const SYSTEM_NAME = '系统';

export interface IncomingEvent {
  camera: DeviceInfo;
  key: string;
  kind: EventKind;
  source: CameraEventRow['source'];
  /** when it happened as Linli stores it (camera-time.ts judgeTime) */
  at: number;
  /** the camera's own time for it, and its clock's skew (null: it sent no readable time) */
  claimedAt?: number | null;
  skewS?: number | null;
  detail: Record<string, unknown>;
  pictureFileId?: string | null;
}

export interface IngestOutcome {
  eventId: string;
  incidentId: string | null;
  duplicate: boolean;
  opened: boolean;
}

export class CameraEventsService {
  readonly repo: IncidentsRepository;
  constructor(readonly k: Kernel) {
    this.repo = new IncidentsRepository(k.db);
  }

  /** The zone a camera's clock runs in (for times it sends without an offset): its own setting, else its community's. */
  async clockZoneOf(camera: DeviceInfo): Promise<string> {
    return (await this.repo.camera(camera.id))?.time_zone || (await places.getPlace(this.k, camera.communityId))?.time_zone || this.k.config.timeZone;
  }

  /** Which time an event of this camera gets, from the time it sent (camera-time.ts). */
  async judge(camera: DeviceInfo, claimed: unknown): Promise<JudgedTime> {
    return judgeTime(claimed, this.k.clock.now().getTime(), await this.clockZoneOf(camera));
  }

  async rulesOf(communityId: string): Promise<Record<EventKind, Rule>> {
    const out = { ...defaultRules };
    for (const r of await this.repo.rules(communityId)) {
      if (r.kind in out) out[r.kind] = { kind: r.kind, opens: !!Number(r.opens), windowS: Number(r.window_s) };
    }
    return out;
  }

  async ingest(e: IncomingEvent): Promise<IngestOutcome> {
    const existing = await this.repo.eventByKey(e.camera.id, e.key);
    if (existing) return { eventId: existing.id, incidentId: existing.incident_id, duplicate: true, opened: false };
    const rule = (await this.rulesOf(e.camera.communityId))[e.kind];
    const now = iso(this.k.clock.now());
    const at = iso(new Date(e.at));
    const row: CameraEventRow = {
      id: newId('cev'),
      device_id: e.camera.id,
      event_key: e.key,
      kind: e.kind,
      source: e.source,
      community_id: e.camera.communityId,
      place_path: e.camera.placePath,
      at,
      received_at: now,
      claimed_at: e.claimedAt == null ? null : iso(new Date(e.claimedAt)),
      detail: JSON.stringify(e.detail),
      picture_file_id: e.pictureFileId ?? null,
      incident_id: null,
    };
    // set inside the transaction callback (a holder object keeps TypeScript's narrowing honest)
    const out: { opened: IncidentRow | null; incidentId: string | null } = { opened: null, incidentId: null };
    const inserted = await this.k.db.transaction().execute(async (t) => {
      const repo = this.repo;
      if (!(await repo.insertEvent(t, row))) return false; // the same event, sent twice at once
      if (!rule.opens) return true;
      const openKey = `${e.camera.id}:${e.kind}`;
      let inc = await repo.byOpenKey(t, openKey);
      if (inc && Math.abs(e.at - Date.parse(inc.last_event_at)) > rule.windowS * 1000) {
        await repo.releaseKey(t, inc.id); // the window has passed: later events open a new incident
        inc = undefined;
      }
      if (!inc) {
        const fresh: IncidentRow = {
          id: newId('inc'),
          community_id: e.camera.communityId,
          place_path: e.camera.placePath,
          camera_id: e.camera.id,
          kind: e.kind,
          status: 'new',
          title: `${e.camera.name}：${tr('zh-CN', `incidents.kind.${e.kind}`)}`.slice(0, 120),
          open_key: openKey,
          event_count: 1,
          first_event_at: at,
          last_event_at: at,
          work_order_id: null,
          closed_at: null,
          closed_by: null,
          created_at: now,
          updated_at: now,
          version: 1,
        };
        if (await repo.insertIncident(t, fresh)) {
          out.opened = fresh;
          await repo.insertTimeline(t, {
            id: newId('ine'),
            incident_id: fresh.id,
            at: now,
            action: 'open',
            actor_id: null,
            actor_name: SYSTEM_NAME,
            from_status: null,
            to_status: 'new',
            note: null,
          });
          await this.k.audit.record(
            {
              actorId: null,
              actorName: SYSTEM_NAME,
              action: 'incidents.incident.open',
              targetType: 'incident',
              targetId: fresh.id,
              scopePath: fresh.place_path,
              detail: { cameraId: e.camera.id, kind: e.kind, eventId: row.id, source: e.source },
            },
            t,
          );
          out.incidentId = fresh.id;
        } else {
          inc = await repo.byOpenKey(t, openKey); // opened by a concurrent event a moment ago
        }
      }
      if (inc) {
        await repo.touch(t, inc.id, at, now);
        out.incidentId = inc.id;
      }
      if (out.incidentId) await repo.linkEvent(t, row.id, out.incidentId);
      return true;
    });
    if (inserted && e.skewS != null) await this.noteClock(e.camera, e.skewS, now);
    if (!inserted) {
      const again = await this.repo.eventByKey(e.camera.id, e.key);
      return { eventId: again?.id ?? row.id, incidentId: again?.incident_id ?? null, duplicate: true, opened: false };
    }
    if (out.opened) await this.announce(out.opened, e.camera);
    return { eventId: row.id, incidentId: out.incidentId, duplicate: false, opened: !!out.opened };
  }

  /**
   * Keep what this event showed of the camera's clock (the health of its clock in the camera list).
   * Best effort: the event is stored already and must not fail for this.
   */
  private async noteClock(camera: DeviceInfo, skewS: number, at: string) {
    try {
      await this.repo.setClock(camera.id, camera.communityId, skewS, at);
    } catch (err) {
      this.k.log.warn({ err, cameraId: camera.id }, 'incidents: could not note the camera clock');
    }
  }

  /** Guards and property managers covering the camera's place get the new incident live. */
  private async announce(inc: IncidentRow, camera: DeviceInfo) {
    await this.k.events.publish(INCIDENT_OPENED, {
      incidentId: inc.id,
      communityId: inc.community_id,
      placePath: inc.place_path,
      cameraId: camera.id,
      kind: inc.kind,
    } satisfies IncidentOpened);
    const users = await usersCovering(this.k, inc.place_path, ['security_guard', 'property_manager']);
    const extra = await this.repo.camera(camera.id);
    await this.k.notify.send(
      users.map((u) => u.userId),
      {
        kind: 'incidents.new',
        code: 'incidents.notify.new',
        params: { title: inc.title, text: extra?.location ?? camera.name },
        link: `/incidents/${inc.id}`,
      },
    );
  }

  /** Count refused input (never fails the caller: counting is best effort). */
  async reject(source: string, reason: string, detail = ''): Promise<void> {
    try {
      await this.repo.countReject(source, reason, detail, iso(this.k.clock.now()));
    } catch (err) {
      this.k.log.warn({ err, source, reason }, 'incidents: could not count a rejected camera event');
    }
  }
}
