// Setting doors up: access points (each with a door controller from the devices module), door
// groups, person groups, weekly schedules and allow/deny rules.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { places, residents } from '../registry/index.js';
import { getDevice } from '../devices/index.js';
import { AccessRepository, type DoorGroupRow, type PointRow, type RuleRow, type ScheduleRow } from './access.repository.js';
import { validWindow, type Window } from './access.schedule.js';
import { rulesChanged } from './access.snapshot.js';
import { decisionImage } from './access.image.js';
import type { Static } from '@sinclair/typebox';
import {
  onePage,
  type DoorGroupBody,
  type DoorGroupOut,
  type DoorGroupPatch,
  type PersonGroupBody,
  type PersonGroupOut,
  type PointBody,
  type PointOut,
  type PointPatch,
  type RuleBody,
  type RuleOut,
  type ScheduleBody,
  type ScheduleOut,
} from './access.schema.js';

const KIND_PLACES: Record<string, string[]> = {
  community_gate: ['community'],
  estate_gate: ['estate'],
  garage_barrier: ['community', 'estate'],
  unit_door: ['building', 'unit'],
};

/** The path prefix whose residents may open a door by default: estate gates their estate, unit doors their building. */
export function defaultScopePath(kind: string, placePath: string): string {
  if (kind !== 'unit_door') return placePath;
  const segs = placePath.split('/').filter(Boolean);
  const i = segs.findIndex((s) => s.startsWith('bld_'));
  return i === -1 ? placePath : '/' + segs.slice(0, i + 1).join('/') + '/';
}

export const pointView = (p: PointRow, groupIds: string[] = []): Static<typeof PointOut> => ({
  id: p.id,
  communityId: p.community_id,
  placeId: p.place_id,
  kind: p.kind,
  name: p.name,
  direction: p.direction,
  controllerId: p.controller_id,
  openSeconds: p.open_seconds,
  enabled: !!p.enabled,
  groupIds,
  createdAt: p.created_at,
});
const groupView = (g: DoorGroupRow, pointIds: string[]): Static<typeof DoorGroupOut> => ({
  id: g.id,
  communityId: g.community_id,
  name: g.name,
  antiPassback: !!g.anti_passback,
  pointIds,
});
const scheduleView = (s: ScheduleRow): Static<typeof ScheduleOut> => ({
  id: s.id,
  communityId: s.community_id,
  name: s.name,
  windows: JSON.parse(s.windows),
  holidays: JSON.parse(s.holidays),
  holidayWindows: JSON.parse(s.holiday_windows),
});
const ruleView = (r: RuleRow): Static<typeof RuleOut> => ({
  id: r.id,
  communityId: r.community_id,
  name: r.name,
  effect: r.effect,
  whoKind: r.who_kind,
  whoValue: r.who_value,
  doorGroupId: r.door_group_id,
  scheduleId: r.schedule_id,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  createdAt: r.created_at,
});

export class AccessSetupService {
  readonly repo: AccessRepository;
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
  }

  private at() {
    return this.k.clock.now().toISOString();
  }

  private audit(actor: Actor, action: string, id: string, scopePath: string, ip: string, detail: Record<string, unknown> = {}) {
    return this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: `access.${action}`,
      targetType: action.split('.')[0],
      targetId: id,
      scopePath,
      ip,
      detail,
    });
  }

  /** A community the actor may manage access rules in; anything else is 404. */
  async community(actor: Actor, id: string, action = 'manage', subject = 'AccessRule') {
    const c = await places.getPlace(this.k, id);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, action, subject, { placePath: c.path })) throw notFound('access.point_not_found');
    return c;
  }

  async reachablePoint(actor: Actor, id: string, action = 'read') {
    const p = await this.repo.point(id);
    if (!p || !this.k.authz.can(actor, action, 'AccessPoint', { placePath: p.place_path })) throw notFound('access.point_not_found');
    return p;
  }

  // ----- points -----
  async listPoints(actor: Actor) {
    const rows = await this.repo.points(this.k.authz.reach(actor, 'read', 'AccessPoint'));
    const members = await this.membersByPoint(rows.map((r) => r.id));
    return onePage(rows.map((p) => pointView(p, members.get(p.id) ?? [])));
  }

  private async membersByPoint(pointIds: string[]) {
    const out = new Map<string, string[]>();
    for (const r of await this.repo.membersOfPoints(pointIds)) out.set(r.point_id, [...(out.get(r.point_id) ?? []), r.group_id]);
    return out;
  }

  async createPoint(actor: Actor, b: PointBody, ip: string) {
    const place = await places.getPlace(this.k, b.placeId);
    if (!place || !this.k.authz.can(actor, 'manage', 'AccessPoint', { placePath: place.path })) throw notFound('access.place_not_found');
    if (!place.community_id) throw invalid([{ field: 'placeId', code: 'access.place_kind' }]);
    const errors: FieldError[] = [];
    if (!KIND_PLACES[b.kind].includes(place.kind)) errors.push({ field: 'kind', code: 'access.kind_place' });
    const dev = await getDevice(this.k, b.controllerId);
    if (!dev || dev.typeCode !== 'door_controller' || dev.communityId !== place.community_id)
      errors.push({ field: 'controllerId', code: 'access.controller_unknown' });
    if (errors.length) throw invalid(errors);
    const at = this.at();
    const row: PointRow = {
      id: newId('acp'),
      community_id: place.community_id,
      place_id: place.id,
      place_path: place.path,
      default_scope_path: defaultScopePath(b.kind, place.path),
      kind: b.kind,
      name: b.name.trim(),
      direction: b.direction,
      controller_id: b.controllerId,
      open_seconds: b.openSeconds ?? 5,
      enabled: 1,
      created_at: at,
      updated_at: at,
    };
    await this.repo.insertPoint(row);
    await this.audit(actor, 'point.create', row.id, row.place_path, ip, { kind: row.kind, name: row.name, controllerId: row.controller_id });
    return pointView(row);
  }

  async updatePoint(actor: Actor, id: string, b: PointPatch, ip: string) {
    const p = await this.reachablePoint(actor, id, 'manage');
    const patch: Partial<PointRow> = { updated_at: this.at() };
    if (b.name !== undefined) patch.name = b.name.trim();
    if (b.direction !== undefined) patch.direction = b.direction;
    if (b.openSeconds !== undefined) patch.open_seconds = b.openSeconds;
    if (b.enabled !== undefined) patch.enabled = b.enabled ? 1 : 0;
    await this.repo.updatePoint(id, patch);
    await decisionImage(this.k).changed({ communityId: p.community_id, points: [id] });
    await this.audit(actor, 'point.update', id, p.place_path, ip, { fields: Object.keys(b) });
    return pointView((await this.repo.point(id))!, await this.repo.groupsOfPoint(id));
  }

  // ----- door groups -----
  private async checkPoints(communityId: string, ids: string[]) {
    const pts = await this.repo.pointsByIds(ids);
    if (pts.length !== ids.length || pts.some((p) => p.community_id !== communityId)) throw invalid([{ field: 'pointIds', code: 'access.other_community' }]);
  }

  async listDoorGroups(actor: Actor) {
    const rows = await this.repo.doorGroups(this.k.authz.reach(actor, 'read', 'AccessRule'));
    const m = await this.repo.membersOfGroups(rows.map((r) => r.id));
    return onePage(
      rows.map((g) =>
        groupView(
          g,
          m.filter((x) => x.group_id === g.id).map((x) => x.point_id),
        ),
      ),
    );
  }

  async createDoorGroup(actor: Actor, b: DoorGroupBody, ip: string) {
    const c = await this.community(actor, b.communityId);
    await this.checkPoints(c.id, b.pointIds);
    const row: DoorGroupRow = {
      id: newId('adg'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      anti_passback: b.antiPassback ? 1 : 0,
      created_at: this.at(),
    };
    await this.repo.insertDoorGroup(row);
    await this.repo.setDoorGroupMembers(row.id, b.pointIds);
    await this.audit(actor, 'door_group.create', row.id, c.path, ip, { name: row.name, pointIds: b.pointIds, antiPassback: !!b.antiPassback });
    await rulesChanged(this.k, c.id);
    return groupView(row, b.pointIds);
  }

  async updateDoorGroup(actor: Actor, id: string, b: DoorGroupPatch, ip: string) {
    const g = await this.repo.doorGroup(id);
    if (!g || !this.k.authz.can(actor, 'manage', 'AccessRule', { placePath: g.place_path })) throw notFound('access.group_not_found');
    if (b.pointIds) {
      await this.checkPoints(g.community_id, b.pointIds);
      await this.repo.setDoorGroupMembers(id, b.pointIds);
    }
    const patch: Partial<DoorGroupRow> = {};
    if (b.name !== undefined) patch.name = b.name.trim();
    if (b.antiPassback !== undefined) patch.anti_passback = b.antiPassback ? 1 : 0;
    if (Object.keys(patch).length) await this.repo.updateDoorGroup(id, patch);
    await this.audit(actor, 'door_group.update', id, g.place_path, ip, { fields: Object.keys(b) });
    await rulesChanged(this.k, g.community_id);
    const fresh = (await this.repo.doorGroup(id))!;
    return groupView(
      fresh,
      (await this.repo.membersOfGroups([id])).map((x) => x.point_id),
    );
  }

  // ----- person groups -----
  async listPersonGroups(actor: Actor) {
    const rows = await this.repo.personGroupsReach(this.k.authz.reach(actor, 'read', 'AccessRule'));
    return onePage(
      rows.map((g): Static<typeof PersonGroupOut> => ({
        id: g.id,
        communityId: g.community_id,
        name: g.name,
        residentIds: JSON.parse(g.resident_ids) as string[],
      })),
    );
  }

  async createPersonGroup(actor: Actor, b: PersonGroupBody, ip: string): Promise<Static<typeof PersonGroupOut>> {
    const c = await this.community(actor, b.communityId);
    for (const [i, id] of b.residentIds.entries()) {
      const r = await residents.get(this.k, id);
      if (!r || r.communityId !== c.id) throw invalid([{ field: `residentIds.${i}`, code: 'access.resident_not_found' }]);
    }
    const row = {
      id: newId('apg'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      resident_ids: JSON.stringify(b.residentIds),
      created_at: this.at(),
    };
    await this.repo.insertPersonGroup(row);
    await this.audit(actor, 'person_group.create', row.id, c.path, ip, { name: row.name, size: b.residentIds.length });
    await rulesChanged(this.k, c.id);
    return { id: row.id, communityId: c.id, name: row.name, residentIds: b.residentIds };
  }

  // ----- schedules -----
  async listSchedules(actor: Actor) {
    return onePage((await this.repo.schedulesReach(this.k.authz.reach(actor, 'read', 'AccessRule'))).map(scheduleView));
  }

  async createSchedule(actor: Actor, b: ScheduleBody, ip: string) {
    const c = await this.community(actor, b.communityId);
    const errors: FieldError[] = [];
    const check = (ws: Window[], field: string) => ws.forEach((w, i) => validWindow(w) || errors.push({ field: `${field}.${i}`, code: 'access.window' }));
    check(b.windows, 'windows');
    check(b.holidayWindows ?? [], 'holidayWindows');
    if (errors.length) throw invalid(errors);
    const row: ScheduleRow = {
      id: newId('asc'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      windows: JSON.stringify(b.windows),
      holidays: JSON.stringify(b.holidays ?? []),
      holiday_windows: JSON.stringify(b.holidayWindows ?? []),
      created_at: this.at(),
    };
    await this.repo.insertSchedule(row);
    await this.audit(actor, 'schedule.create', row.id, c.path, ip, { name: row.name });
    await rulesChanged(this.k, c.id);
    return scheduleView(row);
  }

  // ----- rules -----
  async listRules(actor: Actor) {
    return onePage((await this.repo.rulesReach(this.k.authz.reach(actor, 'read', 'AccessRule'))).map(ruleView));
  }

  async createRule(actor: Actor, b: RuleBody, ip: string) {
    const c = await this.community(actor, b.communityId);
    const errors: FieldError[] = [];
    const whoValue = b.whoValue?.trim() || null;
    if (b.whoKind !== 'everyone' && !whoValue) errors.push({ field: 'whoValue', code: 'access.who_value' });
    if (b.doorGroupId) {
      const g = await this.repo.doorGroup(b.doorGroupId);
      if (!g || g.community_id !== c.id) errors.push({ field: 'doorGroupId', code: 'access.group_not_found' });
    }
    if (b.scheduleId) {
      const s = await this.repo.schedule(b.scheduleId);
      if (!s || s.community_id !== c.id) errors.push({ field: 'scheduleId', code: 'access.schedule_not_found' });
    }
    if (b.validFrom && b.validUntil && b.validUntil <= b.validFrom) errors.push({ field: 'validUntil', code: 'access.window_order' });
    if (errors.length) throw invalid(errors);
    const row: RuleRow = {
      id: newId('arl'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      effect: b.effect,
      who_kind: b.whoKind,
      who_value: b.whoKind === 'everyone' ? null : whoValue,
      door_group_id: b.doorGroupId ?? null,
      schedule_id: b.scheduleId ?? null,
      valid_from: b.validFrom ? new Date(b.validFrom).toISOString() : null,
      valid_until: b.validUntil ? new Date(b.validUntil).toISOString() : null,
      created_at: this.at(),
    };
    await this.repo.insertRule(row);
    await this.audit(actor, 'rule.create', row.id, c.path, ip, ruleView(row));
    await rulesChanged(this.k, c.id);
    return ruleView(row);
  }

  async deleteRule(actor: Actor, id: string, ip: string) {
    const r = await this.repo.rule(id);
    if (!r || !this.k.authz.can(actor, 'manage', 'AccessRule', { placePath: r.place_path })) throw notFound('access.rule_not_found');
    await this.repo.deleteRule(id);
    await this.audit(actor, 'rule.delete', id, r.place_path, ip, ruleView(r));
    await rulesChanged(this.k, r.community_id);
    return { deleted: true };
  }
}
