// What every decision at a community's doors reads besides the credential and the resident:
// rules, schedules, person groups, door-group membership (and anti-passback flags), the time
// zone. Kept in memory per community, dropped at once when this node changes any of it; other
// nodes drop theirs on the `access.rules.changed` event (every node). A snapshot older than
// IMAGE_REFRESH_MS is read again (the safety net for a missed event or a change no event reports,
// such as the community's time zone), like the rest of the decision image (access.image.ts).
import type { Kernel } from '../../kernel/index.js';
import { places } from '../registry/index.js';
import { AccessRepository } from './access.repository.js';
import type { Rule, Schedule } from './access.schedule.js';
import { IMAGE_REFRESH_MS } from './access.image.js';

import { RULES_CHANGED } from './access.events.js';
export { RULES_CHANGED };
export const SNAPSHOT_MAX_AGE_MS = IMAGE_REFRESH_MS;

export interface CommunitySnapshot {
  rules: Rule[];
  schedules: Map<string, Schedule>;
  groupsOfResident: Map<string, string[]>;
  groupsOfPoint: Map<string, string[]>;
  antiPassbackGroups: Set<string>;
  timeZone: string;
}

const caches = new WeakMap<Kernel, Map<string, { at: number; value: Promise<CommunitySnapshot> }>>();

function cacheOf(k: Kernel) {
  let m = caches.get(k);
  if (!m) caches.set(k, (m = new Map()));
  return m;
}

async function load(k: Kernel, communityId: string): Promise<CommunitySnapshot> {
  const repo = new AccessRepository(k.db);
  const [ruleRows, scheduleRows, personGroups, doorGroups, community] = await Promise.all([
    repo.rules(communityId),
    repo.schedules(communityId),
    repo.personGroups(communityId),
    repo.doorGroupsOfCommunity(communityId),
    places.getPlace(k, communityId),
  ]);
  const members = await repo.membersOfGroups(doorGroups.map((g) => g.id));
  const groupsOfResident = new Map<string, string[]>();
  for (const g of personGroups) for (const r of JSON.parse(g.resident_ids) as string[]) groupsOfResident.set(r, [...(groupsOfResident.get(r) ?? []), g.id]);
  const groupsOfPoint = new Map<string, string[]>();
  for (const m of members) groupsOfPoint.set(m.point_id, [...(groupsOfPoint.get(m.point_id) ?? []), m.group_id]);
  return {
    rules: ruleRows.map((r) => ({
      id: r.id,
      effect: r.effect,
      whoKind: r.who_kind,
      whoValue: r.who_value,
      doorGroupId: r.door_group_id,
      scheduleId: r.schedule_id,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
    })),
    schedules: new Map(
      scheduleRows.map((s) => [
        s.id,
        { id: s.id, windows: JSON.parse(s.windows), holidays: JSON.parse(s.holidays), holidayWindows: JSON.parse(s.holiday_windows) },
      ]),
    ),
    groupsOfResident,
    groupsOfPoint,
    antiPassbackGroups: new Set(doorGroups.filter((g) => g.anti_passback).map((g) => g.id)),
    timeZone: community?.time_zone || k.config.timeZone,
  };
}

export function communitySnapshot(k: Kernel, communityId: string): Promise<CommunitySnapshot> {
  const m = cacheOf(k);
  const hit = m.get(communityId);
  if (hit && Date.now() - hit.at < SNAPSHOT_MAX_AGE_MS) return hit.value;
  const value = load(k, communityId);
  m.set(communityId, { at: Date.now(), value });
  value.catch(() => m.delete(communityId));
  return value;
}

/** Drop this node's snapshot (after a change here, or the event of a change elsewhere). */
export function forgetSnapshot(k: Kernel, communityId: string): void {
  cacheOf(k).delete(communityId);
}

/** After a change to rules, schedules or groups: drop the snapshot here and on every node. */
export async function rulesChanged(k: Kernel, communityId: string): Promise<void> {
  forgetSnapshot(k, communityId);
  await k.events.publish(RULES_CHANGED, { communityId });
}
