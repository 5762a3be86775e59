// Helpers shared by the participation features: the community a staff member acts in, the
// resident behind a resident account, audiences (places + tags) and the sanitiser for rich text.
import { sanitizeHtml as sanitizer } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { localDate } from '../../kernel/clock.js';
import { places, residents, audience as registryAudience } from '../registry/index.js';
import { usersOfResidents as identityUsersOfResidents } from '../identity/index.js';

export interface Audience {
  placeIds: string[];
  tags: string[];
}

export interface Community {
  id: string;
  path: string;
  name: string;
}

/** The community a staff member acts in; outside their reach it does not exist (404). */
export async function communityFor(k: Kernel, actor: Actor, communityId: string, action: string, subject: string): Promise<Community> {
  const p = await places.getPlace(k, communityId);
  if (!p || p.kind !== 'community' || !k.authz.can(actor, action, subject, { placePath: p.path })) throw notFound('participation.community_unknown');
  return { id: p.id, path: p.path, name: p.name };
}

export interface Me {
  residentId: string;
  communityId: string;
  communityPath: string;
}

/** The resident behind a resident account (403 for staff accounts). */
export async function residentOf(k: Kernel, actor: Actor): Promise<Me> {
  if (!actor.residentId) throw new AppError(403, 'participation.not_resident');
  const r = await residents.get(k, actor.residentId);
  if (!r) throw new AppError(403, 'participation.not_resident');
  const c = await places.getPlace(k, r.communityId);
  return { residentId: r.id, communityId: r.communityId, communityPath: c?.path ?? '/' };
}

/** Place paths of an audience, checked to lie inside the community; none = the whole community. */
export async function audiencePaths(k: Kernel, community: { path: string }, a: Audience, field = 'audience.placeIds'): Promise<string[]> {
  if (!a.placeIds.length) return [community.path];
  const out: string[] = [];
  for (const [i, id] of a.placeIds.entries()) {
    const p = await places.getPlace(k, id);
    if (!p || !p.path.startsWith(community.path)) throw invalid([{ field: `${field}.${i}`, code: 'participation.place_outside' }]);
    out.push(p.path);
  }
  return out;
}

export function today(k: Kernel): string {
  return localDate(k.clock.now(), k.config.timeZone);
}

/** The residents an audience reaches now, one row per resident (their first current home). */
export async function audienceResidents(k: Kernel, paths: string[], tags: string[], residentId?: string) {
  const rows = await registryAudience.residents(k, { paths, tags, today: today(k), residentId });
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.residentId) && seen.add(r.residentId));
}

/** Sign-in accounts of many residents, through identity's bulk lookup. */
export const usersOfResidents = identityUsersOfResidents;

/** Rich text from the notice editor, reduced to a safe subset (no scripts, styles or event handlers). */
export function sanitiseHtml(html: string): string {
  const sanitizeHtml = sanitizer();
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'b',
      'strong',
      'i',
      'em',
      'u',
      's',
      'h2',
      'h3',
      'h4',
      'ul',
      'ol',
      'li',
      'blockquote',
      'a',
      'img',
      'span',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'hr',
    ],
    allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt'] },
    allowedSchemes: ['https', 'http', 'mailto', 'tel'],
    // images only from our own attachment route, never from elsewhere (no tracking pixels)
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
    exclusiveFilter: (frame) => frame.tag === 'img' && !/^\/api\/v1\/notices\/files\/[A-Za-z0-9_]+$/.test(frame.attribs.src ?? ''),
  });
}

export const buildingOf = (path: string) => path.split('/').find((s) => s.startsWith('bld_')) ?? null;

export const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  try {
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
};

/** Check an ISO time given in a body. */
export function timeField(v: string | null | undefined, field: string): string | null {
  if (v == null || v === '') return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid([{ field, code: 'participation.bad_time' }]);
  return d.toISOString();
}
