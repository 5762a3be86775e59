import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { permissionsOf, type Actor } from '../../kernel/authz/index.js';
import { requireActor, secureCookie } from '../../kernel/http/auth.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { listOutbox } from '../../kernel/notify/index.js';
import { IdentityService, type LoginResult } from './identity.service.js';
import * as S from './identity.schema.js';
import { GrantableQuery, grantableRolesFor } from './identity.delegation.js';
import { places } from '../registry/index.js';
import { registerTokenRoutes } from './identity.tokens.js';

export const SESSION_COOKIE = 'linli_session';

export function registerIdentityRoutes(app: App, k: Kernel, svc: IdentityService) {
  const cookieOpts = (req: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookie(req, k.config.secureCookies) });

  async function me(actor: Actor): Promise<S.Me> {
    const user = await svc.repo.userById(actor.userId);
    const grants = await svc.repo.grantsOf(actor.userId);
    const placeNames = await places.placeNames(
      k,
      grants.map((g) => g.place_id).filter((x): x is string => !!x),
    );
    const perms = new Map<string, [string, string]>();
    for (const g of grants) {
      if (g.role === 'platform_admin') perms.set('manage|all', ['manage', 'all']);
      for (const [a, s] of permissionsOf(g.role)) perms.set(`${a}|${s}`, [a, s]);
    }
    return {
      id: actor.userId,
      kind: actor.kind,
      name: actor.name,
      username: user?.username ?? null,
      residentId: actor.residentId,
      lang: user?.lang ?? 'zh-CN',
      grants: grants.map((g) => ({
        id: g.id,
        role: g.role,
        placeId: g.place_id,
        placeName: g.place_id ? (placeNames.get(g.place_id) ?? null) : null,
        scopePath: g.scope_path,
      })),
      permissions: [...perms.values()],
    };
  }

  async function signedIn(reply: FastifyReply, r: LoginResult) {
    reply.setCookie(SESSION_COOKIE, r.token, { ...cookieOpts(reply.request), maxAge: k.config.sessionMaxHours * 3600 });
    const actor = await svc.actorFor(r.user.id, null, 'session');
    return { user: await me(actor!), csrfToken: r.csrfToken };
  }

  const ua = (req: FastifyRequest) => req.headers['user-agent'];
  const pub = { auth: 'public' as const, csrfExempt: true, rateLimit: { max: 30, timeWindow: '1 minute' } };

  app.post('/api/v1/auth/login', { config: pub, schema: { tags: ['auth'], body: S.LoginBody, response: { 200: S.SignedIn } } }, async (req, reply) =>
    signedIn(reply, await svc.loginStaff(req.body.username, req.body.password, req.ip, ua(req))),
  );
  app.post(
    '/api/v1/auth/resident/login',
    { config: pub, schema: { tags: ['auth'], body: S.ResidentLoginBody, response: { 200: S.SignedIn } } },
    async (req, reply) => signedIn(reply, await svc.loginResidentPassword(req.body.phone, req.body.password, req.ip, ua(req))),
  );
  app.post('/api/v1/auth/otp/request', { config: pub, schema: { tags: ['auth'], body: S.OtpRequestBody, response: { 200: S.OtpSent } } }, async (req) => ({
    sent: true,
    ...(await svc.requestOtp(req.body.phone, req.ip)),
  }));
  app.post('/api/v1/auth/otp/verify', { config: pub, schema: { tags: ['auth'], body: S.OtpVerifyBody, response: { 200: S.SignedIn } } }, async (req, reply) =>
    signedIn(reply, await svc.verifyOtp(req.body.phone, req.body.code, req.ip, ua(req))),
  );

  app.post('/api/v1/auth/logout', { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 204: S.NoContent } } }, async (req, reply) => {
    if (req.actor?.sessionId) await svc.logout(req.actor.sessionId);
    reply.clearCookie(SESSION_COOKIE, cookieOpts(req));
    return reply.status(204).send(null);
  });
  app.get('/api/v1/auth/me', { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: S.MeAnswer } } }, async (req) => ({
    user: await me(requireActor(req)),
    csrfToken: req.csrfToken,
  }));

  app.get('/api/v1/auth/sessions', { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: S.SessionList } } }, async (req) => {
    const actor = requireActor(req);
    const rows = await svc.repo.sessionsOf(actor.userId);
    return {
      items: rows.map((s) => ({
        id: s.id,
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        expiresAt: s.expires_at,
        ip: s.ip,
        userAgent: s.user_agent,
        current: s.id === actor.sessionId,
      })),
    };
  });
  app.delete(
    '/api/v1/auth/sessions/:id',
    { config: { auth: 'user' }, schema: { tags: ['auth'], params: S.IdParam, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!(await svc.repo.deleteSession(req.params.id, actor.userId))) throw notFound('identity.session_not_found');
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'identity.session.end',
        targetType: 'session',
        targetId: req.params.id,
        ip: req.ip,
      });
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/auth/password',
    { config: { auth: 'user' }, schema: { tags: ['auth'], body: S.PasswordBody, response: { 204: S.NoContent } } },
    async (req, reply) => {
      const actor = requireActor(req);
      await svc.setPassword(actor.userId, req.body.currentPassword, req.body.newPassword, actor.sessionId ?? undefined);
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'identity.password.change',
        targetType: 'user',
        targetId: actor.userId,
        ip: req.ip,
      });
      return reply.status(204).send(null);
    },
  );
  // list (with expiry and last use), create (expiring), revoke: identity.tokens.ts
  registerTokenRoutes(app, k, svc.tokens, svc.repo);

  // ----- users and grants (staff administration) -----
  app.get(
    '/api/v1/users',
    { config: { auth: { action: 'read', subject: 'User' } }, schema: { querystring: S.ListQuery, response: { 200: S.UserList } } },
    async (req) => {
      const reach = k.authz.reach(requireActor(req), 'read', 'User');
      const { page, pageSize, q } = req.query;
      const r = await svc.repo.listUsers({ prefixes: reach.all ? null : reach.prefixes, q, limit: pageSize, offset: (page - 1) * pageSize });
      const grants = await svc.repo.grantsOfUsers(r.items.map((u) => u.id));
      const names = await places.placeNames(
        k,
        grants.map((g) => g.place_id).filter((x): x is string => !!x),
      );
      return {
        items: r.items.map((u) => ({
          id: u.id,
          kind: u.kind,
          username: u.username,
          displayName: u.display_name,
          disabled: !!u.disabled,
          grants: grants
            .filter((g) => g.user_id === u.id)
            .map((g) => ({
              id: g.id,
              role: g.role,
              placeId: g.place_id,
              placeName: g.place_id ? (names.get(g.place_id) ?? null) : null,
              scopePath: g.scope_path,
            })),
        })),
        total: r.total,
        page,
        pageSize,
      };
    },
  );
  app.post(
    '/api/v1/users',
    { config: { auth: { action: 'manage', subject: 'User' } }, schema: { body: S.CreateUserBody, response: { 201: S.UserView } } },
    async (req, reply) => {
      const u = await svc.createStaffUser(req.body, requireActor(req), req.ip);
      return reply.status(201).send({ id: u.id, kind: u.kind, username: u.username, displayName: u.display_name, disabled: false, grants: [] });
    },
  );
  app.post(
    '/api/v1/users/:id/grants',
    { config: { auth: { action: 'manage', subject: 'User' } }, schema: { params: S.IdParam, body: S.GrantBody, response: { 201: S.GrantAdded } } },
    async (req, reply) => {
      const g = await svc.addGrant(req.params.id, req.body.role, req.body.placeId ?? null, requireActor(req), req.ip);
      return reply.status(201).send({ id: g.id, role: g.role, placeId: g.place_id, scopePath: g.scope_path });
    },
  );
  // the roles the signed-in user may grant this user on this place (the console's role picker)
  app.get(
    '/api/v1/users/:id/grantable-roles',
    {
      config: { auth: { action: 'manage', subject: 'User' } },
      schema: { params: S.IdParam, querystring: GrantableQuery, response: { 200: S.GrantableRoles } },
    },
    async (req) => ({ items: await grantableRolesFor(k, svc, req.params.id, req.query.placeId, requireActor(req)) }),
  );
  app.delete(
    '/api/v1/users/:id/grants/:grantId',
    { config: { auth: { action: 'manage', subject: 'User' } }, schema: { params: S.UserGrantParam, response: { 204: S.NoContent } } },
    async (req, reply) => {
      await svc.removeGrant(req.params.id, req.params.grantId, requireActor(req), req.ip);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/v1/admin/sms-outbox', { config: { auth: { action: 'read', subject: 'SmsOutbox' } }, schema: { response: { 200: S.SmsOutbox } } }, async () => ({
    items: await listOutbox(k.db, 100),
  }));
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new AppError(401, 'auth.required');
  return m[1];
}
