// Identity module: accounts, sign-in, sessions, API tokens, role grants.
import type { Module } from '../module.js';
import './identity.policy.js';
import { IdentityService } from './identity.service.js';
import { bearerToken, registerIdentityRoutes, SESSION_COOKIE } from './identity.routes.js';

export { IdentityService } from './identity.service.js';
export { SESSION_COOKIE } from './identity.routes.js';

export const identityModule: Module = {
  name: 'identity',
  async register(app, k) {
    const svc = new IdentityService(k);
    registerIdentityRoutes(app, k, svc);
    k.jobs.register({
      name: 'identity.expire-sessions',
      everyMs: 10 * 60_000,
      run: async ({ now }) => {
        await svc.repo.deleteExpiredSessions(now.toISOString(), new Date(now.getTime() - k.config.sessionIdleMinutes * 60_000).toISOString());
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
