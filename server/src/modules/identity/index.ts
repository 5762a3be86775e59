// Identity module: accounts, sign-in, sessions, API tokens, role grants.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { Db } from '../../kernel/db/index.js';
import type { Role } from '../../kernel/authz/index.js';
import { identityMessages, identityPermissions } from './identity.policy.js';
import { IdentityService } from './identity.service.js';
import { IdentityRepository } from './identity.repository.js';
import { bearerToken, registerIdentityRoutes, SESSION_COOKIE } from './identity.routes.js';

export { IdentityService } from './identity.service.js';
export { passwordRefusal } from './identity.password.js';
export { SESSION_COOKIE } from './identity.routes.js';

/** The enabled sign-in account of a resident, if they have one (for notifications). */
export async function userOfResident(k: Kernel, residentId: string): Promise<string | null> {
  const u = await new IdentityRepository(k.db).accountOfResident(residentId);
  return u && !u.disabled ? u.id : null;
}

/** The enabled sign-in accounts of many residents (residents without one are left out), in
 * chunks of 500 ids per query. */
export async function usersOfResidents(k: Kernel, residentIds: string[]): Promise<string[]> {
  const repo = new IdentityRepository(k.db);
  const out: string[] = [];
  for (let i = 0; i < residentIds.length; i += 500) {
    for (const u of await repo.accountsOfResidents(residentIds.slice(i, i + 500))) if (!u.disabled) out.push(u.id);
  }
  return out;
}

/**
 * Staff users holding one of these roles on a place that covers `placePath` (the place itself or
 * an ancestor): who is on duty for an alarm, a work order, an incident there.
 */
export async function usersCovering(k: Kernel, placePath: string, roles: Role[], db: Db = k.db): Promise<{ userId: string; role: Role; name: string }[]> {
  if (!roles.length) return [];
  const ancestors = placePath
    .split('/')
    .filter(Boolean)
    .map((_, i, a) => '/' + a.slice(0, i + 1).join('/') + '/');
  const rows = await new IdentityRepository(db).enabledHolders(roles, ['/', ...ancestors]);
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
}

export const identityModule: Module = {
  name: 'identity',
  summary: 'Accounts, sign-in (password and one-time code), sessions, API tokens, and role grants under the delegation policy',
  url: import.meta.url,
  permissions: identityPermissions,
  messages: identityMessages,
  jobs: ['identity.expire-sessions'],
  docs: 'docs/api-outline.md',
  async register(app, k) {
    const svc = new IdentityService(k);
    registerIdentityRoutes(app, k, svc);
    k.jobs.register({
      name: 'identity.expire-sessions',
      everyMs: 10 * 60_000,
      run: async ({ now }) => {
        await svc.repo.deleteExpiredSessions(now.toISOString(), new Date(now.getTime() - k.config.sessionIdleMinutes * 60_000).toISOString());
        // sign-in failures and one-time codes older than a day no longer count for anything
        const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
        await svc.repo.deleteFailuresBefore(dayAgo);
        await svc.repo.deleteOtpBefore(dayAgo);
      },
    });
    return {
      actorResolver: async (req) => {
        const bearer = bearerToken(req);
        if (bearer) {
          const actor = await svc.actorFromToken(bearer);
          return actor ? { actor, csrfToken: null } : null;
        }
        const cookie = req.cookies[SESSION_COOKIE];
        if (!cookie) return null;
        return svc.actorFromSession(cookie);
      },
    };
  },
};
