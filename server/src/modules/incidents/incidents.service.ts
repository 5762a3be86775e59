// Security incidents: queries, the state machine's transitions (actor and time on every step,
// audited), notes, the optional work order, the per-community rules and event pictures.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { conflict, forbidden, invalid, notFound } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { t as tr } from '../../kernel/http/i18n.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { places } from '../registry/index.js';
import { getDevice } from '../devices/index.js';
import { createWorkOrderFor } from '../workorders/index.js';
import { IncidentsRepository, type CameraEventRow, type IncidentFilter, type IncidentRow, type TimelineRow } from './incidents.repository.js';
import { eventKinds, statuses, transitionActions, transitions, type Status, type TransitionAction } from './incidents.states.js';
import type { TimelineAction } from './incidents.tables.js';
import type { Static } from '@sinclair/typebox';
import type {
  CameraEventView,
  IncidentDetail,
  IncidentListQuery,
  IncidentPage,
  IncidentView,
  RulesBody,
  RulesView,
  TimelineView,
  TransitionBody,
  WorkOrderBody,
} from './incidents.schema.js';
import { CameraEventsService } from './camera-events.service.js';
import { INCIDENT_CHANGED, type IncidentChanged } from './incidents.events.js';

/** work_order_id while a work order is being created for the incident (the slot is claimed) */
export const WORK_ORDER_PENDING = 'pending:';
const linkedOrder = (v: string | null) => (v && !v.startsWith(WORK_ORDER_PENDING) ? v : null);
const labelIds = (path: string) => path.split('/').filter((s) => s && !s.startsWith('reg_'));
export const pictureUrl = (fileId: string) => `/api/v1/incidents/pictures/${fileId}`;

function eventView(e: CameraEventRow): Static<typeof CameraEventView> {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(e.detail);
  } catch {
    /* stored by us as JSON; an unreadable row shows no detail */
  }
  return {
    id: e.id,
    kind: e.kind,
    source: e.source,
    at: e.at,
    receivedAt: e.received_at,
    claimedAt: e.claimed_at ?? null,
    eventKey: e.event_key,
    detail,
    pictureUrl: e.picture_file_id ? pictureUrl(e.picture_file_id) : null,
  };
}

const timelineView = (r: TimelineRow): Static<typeof TimelineView> => ({
  id: r.id,
  at: r.at,
  action: r.action,
  actorId: r.actor_id,
  actorName: r.actor_name,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  note: r.note,
});

export class IncidentsService {
  readonly repo: IncidentsRepository;
  constructor(
    readonly k: Kernel,
    private events: CameraEventsService,
  ) {
    this.repo = new IncidentsRepository(k.db);
  }

  can(actor: Actor, action: string, inc: IncidentRow) {
    return this.k.authz.can(actor, action, 'Incident', { placePath: inc.place_path });
  }

  async reachable(actor: Actor, id: string): Promise<IncidentRow> {
    const inc = await this.repo.byId(id);
    if (!inc || !this.can(actor, 'read', inc)) throw notFound('incidents.not_found');
    return inc;
  }

  allowedActions(actor: Actor, inc: IncidentRow): string[] {
    const out: string[] = transitionActions.filter((a) => transitions[a].from.includes(inc.status) && this.can(actor, a, inc));
    if (this.can(actor, 'note', inc)) out.push('note');
    if (!inc.work_order_id && this.can(actor, 'work_order', inc)) out.push('work_order');
    return out;
  }

  async views(actor: Actor, rows: IncidentRow[], lang: Lang): Promise<Static<typeof IncidentView>[]> {
    const names = await places.placeNames(
      this.k,
      rows.flatMap((r) => labelIds(r.place_path)),
    );
    const cams = new Map<string, { name: string; location: string | null }>();
    const extras = new Map((await this.repo.cameras([...new Set(rows.map((r) => r.camera_id))])).map((c) => [c.device_id, c]));
    for (const id of new Set(rows.map((r) => r.camera_id))) {
      const d = await getDevice(this.k, id);
      cams.set(id, { name: d?.name ?? id, location: extras.get(id)?.location ?? null });
    }
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      placePath: r.place_path,
      placeLabel: labelIds(r.place_path)
        .map((id) => names.get(id) ?? '')
        .filter(Boolean)
        .join(' '),
      cameraId: r.camera_id,
      cameraName: cams.get(r.camera_id)?.name ?? r.camera_id,
      cameraLocation: cams.get(r.camera_id)?.location ?? null,
      kind: r.kind,
      kindName: tr(lang, `incidents.kind.${r.kind}`),
      status: r.status,
      statusName: tr(lang, `incidents.status.${r.status}`),
      title: r.title,
      eventCount: r.event_count,
      firstEventAt: r.first_event_at,
      lastEventAt: r.last_event_at,
      workOrderId: linkedOrder(r.work_order_id),
      workOrderPending: !!r.work_order_id && !linkedOrder(r.work_order_id),
      closedAt: r.closed_at,
      closedBy: r.closed_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
      allowedActions: this.allowedActions(actor, r),
    }));
  }

  async list(actor: Actor, q: IncidentListQuery, lang: Lang): Promise<Static<typeof IncidentPage>> {
    const f: IncidentFilter = { reach: this.k.authz.reach(actor, 'read', 'Incident'), cameraId: q.cameraId, kind: q.kind };
    let wanted: Status[] | undefined;
    if (q.status) {
      wanted = q.status
        .split(',')
        .map((s) => s.trim())
        .filter((s): s is Status => (statuses as readonly string[]).includes(s));
      if (!wanted.length) throw invalid([{ field: 'status', code: 'validation.enum', params: { values: statuses.join(', ') } }]);
    }
    if (q.open) wanted = (wanted ?? ['new', 'investigating']).filter((s) => s === 'new' || s === 'investigating');
    const { items, total } = await this.repo.list({ ...f, statuses: wanted }, q.pageSize, (q.page - 1) * q.pageSize);
    const counts = await this.repo.totals(f);
    return {
      items: await this.views(actor, items, lang),
      total,
      page: q.page,
      pageSize: q.pageSize,
      totals: Object.fromEntries(statuses.map((s) => [s, counts[s] ?? 0])),
    };
  }

  async get(actor: Actor, id: string, lang: Lang): Promise<Static<typeof IncidentDetail>> {
    const inc = await this.reachable(actor, id);
    const [timeline, events] = await Promise.all([this.repo.timeline(inc.id), this.repo.eventsOf(inc.id)]);
    return { ...(await this.views(actor, [inc], lang))[0], timeline: timeline.map(timelineView), events: events.map(eventView) };
  }

  private async record(
    t: Tx,
    inc: IncidentRow,
    e: {
      action: TimelineAction;
      actor: Actor;
      from: Status | null;
      to: Status | null;
      note: string | null;
      at: string;
      ip: string;
      detail?: Record<string, unknown>;
    },
  ) {
    await this.repo.insertTimeline(t, {
      id: newId('ine'),
      incident_id: inc.id,
      at: e.at,
      action: e.action,
      actor_id: e.actor.userId,
      actor_name: e.actor.name,
      from_status: e.from,
      to_status: e.to,
      note: e.note,
    });
    await this.k.audit.record(
      {
        actorId: e.actor.userId,
        actorName: e.actor.name,
        action: `incidents.incident.${e.action}`,
        targetType: 'incident',
        targetId: inc.id,
        scopePath: inc.place_path,
        ip: e.ip,
        detail: { from: e.from, to: e.to, note: e.note, ...e.detail },
      },
      t,
    );
  }

  async transition(actor: Actor, id: string, action: TransitionAction, b: TransitionBody, ip: string, lang: Lang) {
    const inc = await this.reachable(actor, id);
    if (!this.can(actor, action, inc)) throw forbidden();
    if (b.version !== undefined && b.version !== inc.version) throw conflict('incidents.version_conflict');
    const def = transitions[action];
    if (!def.from.includes(inc.status)) throw conflict('incidents.illegal_transition', { from: tr(lang, `incidents.status.${inc.status}`), action });
    const note = b.note?.trim() || null;
    // closing says why: the next guard reads it
    if (action !== 'investigate' && !note) throw invalid([{ field: 'note', code: 'incidents.note_required' }]);
    const at = iso(this.k.clock.now());
    const closing = action !== 'investigate';
    const patch: Partial<IncidentRow> = { status: def.to, updated_at: at, ...(closing ? { closed_at: at, closed_by: actor.userId, open_key: null } : {}) };
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.updateIf(t, inc.id, { status: inc.status, version: inc.version }, patch))) throw conflict('incidents.version_conflict');
      await this.record(t, inc, { action, actor, from: inc.status, to: def.to, note, at, ip });
    });
    await this.k.events.publish(INCIDENT_CHANGED, {
      incidentId: inc.id,
      communityId: inc.community_id,
      placePath: inc.place_path,
      from: inc.status,
      to: def.to,
      action,
    } satisfies IncidentChanged);
    return (await this.views(actor, [(await this.repo.byId(inc.id))!], lang))[0];
  }

  async addNote(actor: Actor, id: string, note: string, ip: string, lang: Lang) {
    const inc = await this.reachable(actor, id);
    if (!this.can(actor, 'note', inc)) throw forbidden();
    const text = note.trim();
    if (!text) throw invalid([{ field: 'note', code: 'incidents.note_required' }]);
    const at = iso(this.k.clock.now());
    await this.k.db.transaction().execute((t) => this.record(t, inc, { action: 'note', actor, from: inc.status, to: inc.status, note: text, at, ip }));
    return this.get(actor, id, lang);
  }

  async workOrder(actor: Actor, id: string, b: WorkOrderBody, ip: string, lang: Lang) {
    const inc = await this.reachable(actor, id);
    if (!this.can(actor, 'work_order', inc)) throw forbidden();
    if (inc.work_order_id) throw conflict('incidents.work_order_exists');
    const placeId = labelIds(inc.place_path).pop()!;
    const camera = await getDevice(this.k, inc.camera_id);
    const description = b.description?.trim() || `${inc.title}（安防事件 ${inc.id}，${inc.event_count} 条摄像头事件）`;
    // claim the slot first, create the order only when the claim won: two requests at once never
    // create two orders (creating first and linking after left the loser's order orphaned)
    const marker = `${WORK_ORDER_PENDING}${newId('ine')}`;
    if (!(await this.repo.claimWorkOrder(inc.id, marker))) throw conflict('incidents.work_order_exists');
    let wo: { id: string; number: string };
    try {
      wo = await createWorkOrderFor(
        this.k,
        {
          placeId,
          category: b.category ?? 'public_area',
          title: inc.title.slice(0, 100),
          description,
          priority: b.priority,
          by: { userId: actor.userId, name: actor.name },
          for: 'incidents',
        },
        ip,
      );
    } catch (err) {
      await this.repo.releaseWorkOrder(inc.id, marker);
      throw err;
    }
    const at = iso(this.k.clock.now());
    if (!(await this.repo.setWorkOrder(inc.id, marker, wo.id, at))) throw new Error(`incidents: the work-order claim of ${inc.id} was lost`);
    await this.k.db.transaction().execute((t) =>
      this.record(t, inc, {
        action: 'work_order',
        actor,
        from: inc.status,
        to: inc.status,
        note: wo.number,
        at,
        ip,
        detail: { workOrderId: wo.id, cameraId: camera?.id },
      }),
    );
    return this.get(actor, id, lang);
  }

  // ---------- rules ----------
  async rules(actor: Actor, communityId: string): Promise<Static<typeof RulesView>> {
    const c = await places.getPlace(this.k, communityId);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'read', 'IncidentRule', { placePath: c.path })) throw notFound('http.not_found');
    const rules = await this.events.rulesOf(c.id);
    return { communityId: c.id, rules: eventKinds.map((k) => rules[k]), canEdit: this.k.authz.can(actor, 'update', 'IncidentRule', { placePath: c.path }) };
  }

  async setRules(actor: Actor, b: RulesBody, ip: string) {
    const c = await places.getPlace(this.k, b.communityId);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'update', 'IncidentRule', { placePath: c.path })) throw notFound('http.not_found');
    const at = iso(this.k.clock.now());
    for (const r of b.rules)
      await this.repo.upsertRule({ community_id: c.id, kind: r.kind, opens: r.opens ? 1 : 0, window_s: r.windowS, updated_by: actor.userId, updated_at: at });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'incidents.rules.update',
      targetType: 'place',
      targetId: c.id,
      scopePath: c.path,
      ip,
      detail: { rules: b.rules },
    });
    return this.rules(actor, c.id);
  }

  /** An event picture, for someone who may read incidents where the camera is. */
  async picture(actor: Actor, fileId: string) {
    const e = await this.repo.eventByPicture(fileId);
    if (!e || !this.k.authz.can(actor, 'read', 'Incident', { placePath: e.place_path })) throw notFound('http.not_found');
    const f = await this.k.files.read(fileId);
    if (!f || f.meta.kind !== 'image') throw notFound('http.not_found');
    return f;
  }
}
