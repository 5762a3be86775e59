// Work orders: creation from the three sources, queries and presentation. Transitions, rating,
// costs and the SLA job are in workorders.flow.ts.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { forbidden, invalid, notFound } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { newId } from '../../kernel/ids.js';
import { iso, localDate } from '../../kernel/clock.js';
import { places, residents } from '../registry/index.js';
import { userOfResident, usersCovering } from '../identity/index.js';
import { WorkOrdersRepository, type CategoryRow, type ListFilter, type WorkOrderRow } from './workorders.repository.js';
import { categoryView, costView, eventView, labelIds, orderView, photoView } from './workorders.present.js';
import { canTransition, maxPriority, priorityOfSeverity, statuses, transitionActions, type Priority, type Status } from './workorders.states.js';
import type { TimelineAction } from './workorders.tables.js';
import type { Static } from '@sinclair/typebox';
import type { AlarmCreated } from '../alarms/index.js';
import { WO_CREATED, type WorkOrderCreated } from './workorders.events.js';
import {
  MAX_PHOTO_BYTES,
  type CategoryList,
  type ListQuery,
  type OrderDetail,
  type OrderPage,
  type OrderView,
  type RepairRequestBody,
  type StaffCreateBody,
  type UploadedPhoto,
} from './workorders.schema.js';

/** The actor used for work done by the platform itself (alarms, the SLA job). */
export const SYSTEM = { id: null, name: '系统' };

interface Place {
  id: string;
  kind: string;
  path: string;
  community_id: string | null;
  time_zone?: string | null;
}

interface NewOrder {
  actor: Actor | null;
  place: Place;
  category: CategoryRow;
  priority: Priority;
  title: string;
  description: string;
  preferredTime: string | null;
  residentId: string | null;
  residentName: string | null;
  source: WorkOrderRow['source'];
  alarmId: string | null;
  photoIds: string[];
  note?: string | null;
  ip: string | null;
  /** the user another module raised the order for (the actor is then a system actor) */
  requestedBy?: { userId: string; name: string } | null;
}

const DUPLICATE = Symbol('duplicate alarm order');

export const scoped = (wo: WorkOrderRow) => ({ placePath: wo.place_path, residentId: wo.resident_id });

export class WorkOrdersService {
  readonly repo: WorkOrdersRepository;
  constructor(readonly k: Kernel) {
    this.repo = new WorkOrdersRepository(k.db);
  }

  // ---------- access ----------
  /** Load an order the actor may read; anything else is 404. */
  async reachable(actor: Actor, id: string): Promise<WorkOrderRow> {
    const wo = await this.repo.byId(id);
    if (!wo || !this.k.authz.can(actor, 'read', 'WorkOrder', scoped(wo))) throw notFound('workorders.not_found');
    return wo;
  }

  can(actor: Actor, action: string, wo: WorkOrderRow): boolean {
    return this.k.authz.can(actor, action, 'WorkOrder', scoped(wo));
  }

  /** Managers (who may assign) work on anyone's order; technicians only on their own. */
  mayWorkOn(actor: Actor, wo: WorkOrderRow): boolean {
    return wo.assignee_id === actor.userId || this.can(actor, 'assign', wo);
  }

  allowedActions(actor: Actor, wo: WorkOrderRow): string[] {
    const out: string[] = [];
    for (const a of transitionActions) {
      if (!canTransition(a, wo.status) || !this.can(actor, a, wo)) continue;
      if (['start', 'pause', 'resume', 'resolve'].includes(a) && !this.mayWorkOn(actor, wo)) continue;
      if (a === 'cancel' && actor.kind === 'resident' && wo.status !== 'new') continue;
      out.push(a);
    }
    if (
      wo.rating == null &&
      (wo.status === 'resolved' || wo.status === 'closed') &&
      actor.residentId &&
      wo.resident_id === actor.residentId &&
      this.can(actor, 'rate', wo)
    )
      out.push('rate');
    if (wo.status !== 'cancelled' && this.can(actor, 'cost', wo)) out.push('cost');
    return out;
  }

  // ---------- presentation ----------
  async views(actor: Actor, rows: WorkOrderRow[], lang: Lang): Promise<Static<typeof OrderView>[]> {
    const cats = new Map((await this.repo.categoriesByIds(rows.map((r) => r.category_id))).map((c) => [c.id, c]));
    const names = await places.placeNames(
      this.k,
      rows.flatMap((r) => labelIds(r.place_path)),
    );
    return rows.map((r) => orderView(r, { category: cats.get(r.category_id), names, lang, allowedActions: this.allowedActions(actor, r) }));
  }

  async view(actor: Actor, row: WorkOrderRow, lang: Lang): Promise<Static<typeof OrderView>> {
    return (await this.views(actor, [row], lang))[0];
  }

  async get(actor: Actor, id: string, lang: Lang): Promise<Static<typeof OrderDetail>> {
    const wo = await this.reachable(actor, id);
    const [events, photos, costs] = await Promise.all([this.repo.events(wo.id), this.repo.photosOf(wo.id), this.repo.costsOf(wo.id)]);
    return {
      ...(await this.view(actor, wo, lang)),
      timeline: events.map(eventView),
      photos: photos.map(photoView),
      costs: costs.map(costView),
      costTotalFen: costs.reduce((s, c) => s + Number(c.amount_fen), 0),
    };
  }

  async categories(actor: Actor, lang: Lang): Promise<Static<typeof CategoryList>> {
    const reach = this.k.authz.reach(actor, 'read', 'WorkOrderCategory');
    let communities: string[] | 'all' = 'all';
    if (!reach.all) {
      const ids = new Set<string>();
      for (const p of reach.prefixes) for (const seg of p.split('/')) if (seg.startsWith('com_')) ids.add(seg);
      if (actor.residentId) {
        const me = await residents.get(this.k, actor.residentId);
        if (me) ids.add(me.communityId);
      }
      communities = [...ids];
    }
    let rows = await this.repo.categories(communities);
    // one community in view: its own category replaces the default with the same code
    if (communities !== 'all' && communities.length === 1) rows = rows.filter((r) => r.community_id || !rows.some((o) => o.code === r.code && o.community_id));
    return { items: rows.map((c) => categoryView(c, lang)) };
  }

  async list(actor: Actor, q: ListQuery, lang: Lang): Promise<Static<typeof OrderPage>> {
    const f: ListFilter = { reach: this.k.authz.reach(actor, 'read', 'WorkOrder') };
    if (q.status)
      f.statuses = q.status
        .split(',')
        .map((s) => s.trim())
        .filter((s): s is Status => (statuses as readonly string[]).includes(s));
    if (q.status && !f.statuses?.length) throw invalid([{ field: 'status', code: 'validation.enum', params: { values: statuses.join(', ') } }]);
    if (q.open) f.statuses = f.statuses ? f.statuses.filter((s) => s === 'new') : ['new'];
    if (q.mine) f.assigneeId = actor.userId;
    if (q.overdue) f.overdue = true;
    if (q.placeId) f.placePath = (await places.getPlace(this.k, q.placeId))?.path ?? '/nowhere/';
    if (q.category) f.categoryIds = await this.repo.categoryIdsByCode(q.category);
    if (q.source) f.source = q.source;
    if (q.q?.trim()) f.q = q.q.trim();
    const { items, total } = await this.repo.list(f, q.pageSize, (q.page - 1) * q.pageSize);
    const counts = await this.repo.totals(f);
    const totals: Record<string, number> = Object.fromEntries([...statuses, 'overdue'].map((s) => [s, counts[s] ?? 0]));
    return { items: await this.views(actor, items, lang), total, page: q.page, pageSize: q.pageSize, totals };
  }

  // ---------- photos ----------
  async uploadPhoto(actor: Actor, name: string, data: Buffer): Promise<Static<typeof UploadedPhoto>> {
    const f = await this.k.files.save({ name, data, ownerId: actor.userId, accept: ['image'], maxBytes: MAX_PHOTO_BYTES });
    return { id: f.id, name: f.name, mime: f.mime, size: f.size };
  }

  /** Photos the actor uploaded and that are not attached to any order yet; else 422. */
  async checkPhotos(actor: Actor | null, ids: string[] | undefined): Promise<string[]> {
    const list = [...new Set(ids ?? [])];
    if (!list.length) return [];
    if (!actor) throw invalid([{ field: 'photoIds', code: 'workorders.bad_photo' }]);
    const attached = new Set((await this.repo.photosByFiles(list)).map((p) => p.file_id));
    for (const [i, id] of list.entries()) {
      const f = await this.k.files.get(id);
      if (!f || f.kind !== 'image' || f.ownerId !== actor.userId || attached.has(id)) throw invalid([{ field: `photoIds.${i}`, code: 'workorders.bad_photo' }]);
    }
    return list;
  }

  /** A photo for someone who may read its order (or its uploader, before it is attached). */
  async photo(actor: Actor, fileId: string) {
    const link = await this.repo.photoByFile(fileId);
    if (link) {
      const wo = await this.repo.byId(link.work_order_id);
      if (!wo || !this.can(actor, 'read', wo)) throw notFound('workorders.photo_not_found');
    } else {
      const meta = await this.k.files.get(fileId);
      if (!meta || meta.ownerId !== actor.userId) throw notFound('workorders.photo_not_found');
    }
    const f = await this.k.files.read(fileId);
    if (!f || f.meta.kind !== 'image') throw notFound('workorders.photo_not_found');
    return f;
  }

  // ---------- creation ----------
  async createByStaff(actor: Actor, b: StaffCreateBody, ip: string, lang: Lang, requestedBy: { userId: string; name: string } | null = null) {
    const place = await places.getPlace(this.k, b.placeId);
    if (!place || place.kind === 'region' || !place.community_id || !this.k.authz.can(actor, 'create', 'WorkOrder', { placePath: place.path })) {
      throw notFound('workorders.place_unknown');
    }
    const category = await this.category(b.category, place.community_id);
    let residentId: string | null = null;
    let residentName: string | null = null;
    if (b.residentId) {
      const r = await residents.get(this.k, b.residentId);
      const communities = r ? new Set([r.communityId, ...r.houses.map((x) => x.communityId)]) : new Set<string>();
      if (!r || !communities.has(place.community_id)) throw invalid([{ field: 'residentId', code: 'workorders.resident_unknown' }]);
      residentId = r.id;
      residentName = r.name;
    }
    const photoIds = await this.checkPhotos(actor, b.photoIds);
    const row = await this.insertOrder({
      actor,
      place,
      category,
      priority: b.priority ?? category.priority,
      title: b.title?.trim() || this.defaultTitle(category),
      description: b.description.trim(),
      preferredTime: b.preferredTime ?? null,
      residentId,
      residentName,
      source: 'staff',
      alarmId: null,
      photoIds,
      ip,
      requestedBy,
    });
    return this.view(actor, row!, lang);
  }

  async createByResident(actor: Actor, b: RepairRequestBody, ip: string, lang: Lang) {
    if (!actor.residentId) throw forbidden();
    const me = await residents.get(this.k, actor.residentId);
    if (!me) throw forbidden();
    const current = me.houses;
    const place = await places.getPlace(this.k, b.placeId);
    if (place?.kind === 'house') {
      if (!current.some((x) => x.houseId === place.id)) throw invalid([{ field: 'placeId', code: 'workorders.not_your_house' }]);
    } else {
      // a public place (community, estate, building, unit) of a community the resident lives in
      const communities = new Set(current.length ? current.map((x) => x.communityId) : [me.communityId]);
      if (!place || place.kind === 'region' || !place.community_id || !communities.has(place.community_id)) {
        throw invalid([{ field: 'placeId', code: 'workorders.place_not_in_community' }]);
      }
    }
    const category = await this.category(b.category, place.community_id!);
    const photoIds = await this.checkPhotos(actor, b.photoIds);
    const row = await this.insertOrder({
      actor,
      place,
      category,
      priority: category.priority,
      title: b.title?.trim() || this.defaultTitle(category),
      description: b.description.trim(),
      preferredTime: b.preferredTime ?? null,
      residentId: me.id,
      residentName: me.name,
      source: 'resident',
      alarmId: null,
      photoIds,
      ip,
    });
    return this.view(actor, row!, lang);
  }

  /** From `alarms.alarm.created`; idempotent on the alarm id (a redelivered event adds nothing). */
  async createFromAlarm(p: AlarmCreated): Promise<WorkOrderRow | null> {
    if (!p.createWorkOrder) return null;
    const existing = await this.repo.byAlarm(p.alarmId);
    if (existing) return existing;
    const placeId = p.placePath.split('/').filter(Boolean).pop() ?? p.communityId;
    const found = await places.getPlace(this.k, placeId);
    const place: Place = found ?? { id: placeId, kind: 'unknown', path: p.placePath, community_id: p.communityId };
    const communityId = place.community_id ?? p.communityId;
    const category =
      (p.workOrderCategory && (await this.repo.categoryByCode(p.workOrderCategory, communityId))) || (await this.repo.categoryByCode('other', communityId));
    if (!category) throw new Error('workorders: no default category');
    const row = await this.insertOrder({
      actor: null,
      place: { ...place, community_id: communityId },
      category,
      priority: maxPriority(priorityOfSeverity(p.severity), category.priority),
      title: `${p.deviceName}：${p.ruleName}`.slice(0, 100),
      description: `${p.deviceName}（${p.deviceId}）触发告警“${p.ruleName}”，级别 ${p.severity}，时间 ${p.at}。`,
      preferredTime: null,
      residentId: null,
      residentName: null,
      source: 'alarm',
      alarmId: p.alarmId,
      photoIds: [],
      note: `alarm ${p.alarmId}`,
      ip: null,
    });
    return row ?? (await this.repo.byAlarm(p.alarmId)) ?? null;
  }

  private async category(code: string, communityId: string): Promise<CategoryRow> {
    const c = await this.repo.categoryByCode(code, communityId);
    if (!c) throw invalid([{ field: 'category', code: 'workorders.unknown_category' }]);
    return c;
  }

  private defaultTitle(c: CategoryRow) {
    return `${c.name_zh}报修`;
  }

  /** Insert an order with its first timeline entry, photos and audit row; null for a duplicate alarm. */
  private async insertOrder(o: NewOrder): Promise<WorkOrderRow | null> {
    const now = this.k.clock.now();
    const at = iso(now);
    const communityId = o.place.community_id!;
    const community = await places.getPlace(this.k, communityId);
    const day = localDate(now, community?.time_zone ?? this.k.config.timeZone).replace(/-/g, '');
    const plus = (min: number) => iso(new Date(now.getTime() + Number(min) * 60_000));
    let row!: WorkOrderRow;
    let eventId = '';
    try {
      await this.k.db.transaction().execute(async (t) => {
        const seq = await this.repo.nextSeq(t, communityId, day);
        row = {
          id: newId('wo'),
          number: `WO-${day}-${String(seq).padStart(4, '0')}`,
          community_id: communityId,
          place_id: o.place.id,
          place_path: o.place.path,
          house_id: o.place.kind === 'house' ? o.place.id : null,
          resident_id: o.residentId,
          resident_name: o.residentName,
          source: o.source,
          alarm_id: o.alarmId,
          category_id: o.category.id,
          priority: o.priority,
          title: o.title,
          description: o.description,
          preferred_time: o.preferredTime,
          status: 'new',
          assignee_id: null,
          assignee_name: null,
          respond_by: plus(o.category.response_minutes),
          resolve_by: plus(o.category.resolve_minutes),
          responded_at: null,
          resolved_at: null,
          closed_at: null,
          overdue: 0,
          escalated_at: null,
          rating: null,
          rating_comment: null,
          created_by: o.requestedBy?.userId ?? o.actor?.userId ?? null,
          created_at: at,
          updated_at: at,
          version: 1,
        };
        // rolls back the counter too, so a duplicate alarm leaves no gap in the numbers
        if (!(await this.repo.insert(t, row))) throw DUPLICATE;
        // an order raised for another module's user is recorded under that user's name, with the system actor that acted
        const recordedAs = o.requestedBy && o.actor ? { ...o.actor, userId: o.requestedBy.userId, name: o.requestedBy.name } : o.actor;
        const via = o.requestedBy && o.actor ? { via: o.actor.name } : {};
        await this.recordEvent(t, row, {
          action: 'create',
          actor: recordedAs,
          from: null,
          to: 'new',
          note: o.note ?? null,
          photoIds: o.photoIds,
          at,
          ip: o.ip,
          detail: { number: row.number, source: row.source, category: o.category.code, alarmId: o.alarmId, ...via },
        });
        eventId = await this.k.outbox.add(t, WO_CREATED, {
          workOrderId: row.id,
          communityId: row.community_id,
          placePath: row.place_path,
          source: row.source,
          alarmId: row.alarm_id,
        } satisfies WorkOrderCreated);
      });
    } catch (e) {
      if (e === DUPLICATE) return null;
      throw e;
    }
    await this.k.outbox.relay([eventId]);
    // technicians on duty there see a new order they may grab
    const techs = await usersCovering(this.k, row.place_path, ['technician']);
    await this.k.notify.send(
      techs.map((u) => u.userId),
      {
        kind: 'workorders.new',
        code: 'workorders.notify.new_title',
        params: { number: row.number, text: row.title },
        link: `/workorders/${row.id}`,
      },
    );
    return row;
  }

  /** One timeline entry, its photos and the audit row, in the caller's transaction. */
  async recordEvent(
    t: Tx,
    wo: WorkOrderRow,
    e: {
      action: TimelineAction;
      actor: Actor | null;
      from: Status | null;
      to: Status;
      note: string | null;
      photoIds: string[];
      at: string;
      ip: string | null;
      detail?: Record<string, unknown>;
    },
  ) {
    const eventId = newId('woe');
    await this.repo.insertEvent(t, {
      id: eventId,
      work_order_id: wo.id,
      at: e.at,
      action: e.action,
      actor_id: e.actor?.userId ?? null,
      actor_name: e.actor?.name ?? SYSTEM.name,
      from_status: e.from,
      to_status: e.to,
      note: e.note,
      photo_ids: JSON.stringify(e.photoIds),
    });
    await this.repo.insertPhotos(
      t,
      e.photoIds.map((fileId) => ({ file_id: fileId, work_order_id: wo.id, event_id: eventId, created_at: e.at })),
    );
    await this.k.audit.record(
      {
        actorId: e.actor?.userId ?? null,
        actorName: e.actor?.name ?? SYSTEM.name,
        action: `workorders.work_order.${e.action}`,
        targetType: 'work_order',
        targetId: wo.id,
        scopePath: wo.place_path,
        subjectResidentId: wo.resident_id,
        ip: e.ip,
        detail: { from: e.from, to: e.to, note: e.note, photoIds: e.photoIds, ...e.detail },
      },
      t,
    );
  }

  /** The user account of a resident (for notifications), if they have one. */
  async residentUser(residentId: string | null): Promise<string | null> {
    if (!residentId) return null;
    return userOfResident(this.k, residentId);
  }
}
