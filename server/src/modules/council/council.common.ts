// Small helpers shared by the council's use cases.
import type { Kernel } from '../../kernel/index.js';
import type { Actor, Reachable } from '../../kernel/authz/index.js';
import { startsWith, noRows } from '../../kernel/db/index.js';
import { forbidden, invalid } from '../../kernel/http/errors.js';
import { t } from '../../kernel/http/i18n.js';
import { localDate } from '../../kernel/clock.js';
import { places, residents } from '../registry/index.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from '../participation/index.js';

/** WHERE place_path starts with one of the reachable prefixes (or own resident rows). */
export function whereReach<Q extends { where: (...a: any[]) => Q }>(q: Q, reach: Reachable, col = 'place_path', residentCol?: string): Q {
  if (reach.all) return q;
  return q.where((eb: any) => {
    const ors = reach.prefixes.map((p) => startsWith(col, p));
    if (residentCol && reach.residentId) ors.push(eb(residentCol, '=', reach.residentId));
    return ors.length ? eb.or(ors) : noRows();
  });
}

export interface Community {
  id: string;
  path: string;
  timeZone: string;
}

export async function communityOf(k: Kernel, id: string, field = 'communityId'): Promise<Community> {
  const p = await places.getPlace(k, id);
  if (!p || p.kind !== 'community') throw invalid([{ field, code: 'council.community_unknown' }]);
  return { id: p.id, path: p.path, timeZone: p.time_zone ?? k.config.timeZone };
}

/** The signed-in resident and the community they live in now (first current house). */
export async function residentOf(k: Kernel, actor: Actor) {
  if (!actor.residentId) throw forbidden();
  const r = await residents.get(k, actor.residentId);
  if (!r || r.status !== 'active') throw forbidden();
  const communityId = r.houses[0]?.communityId ?? r.communityId;
  return { ...r, communityId };
}

/**
 * The name a council record shows for who acted: a person's name, or for the platform's own work
 * (systemActor) the catalog's name of the system, in the platform's language (records keep one
 * name; zh-CN '系统', en 'System' in the catalog).
 */
export function displayName(actor: Actor | null): string {
  return !actor || actor.via === 'system' ? systemName() : actor.name;
}
export const systemName = () => t('zh-CN', 'council.system_actor');

export function today(k: Kernel, timeZone: string): string {
  return localDate(k.clock.now(), timeZone);
}

/** Tell the points ledger (after our commit) that a resident completed a verified action. */
export async function publishAction(k: Kernel, a: Omit<ParticipationAction, 'at'>) {
  await k.events.publish<ParticipationAction>(PARTICIPATION_ACTION, { ...a, at: k.clock.now().toISOString() });
}

export const json = <T>(s: string | null | undefined, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};
