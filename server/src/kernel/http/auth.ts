// Request authentication and the route-level authorization gate.
// Every /api route must declare `config: { auth: 'public' | 'user' | { action, subject } }`;
// a route without it fails to register, so nothing is reachable by accident.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Action, Authz, Subject } from '../authz/index.js';
import { AppError } from './errors.js';
import { pickLang, type Lang } from './i18n.js';

export type RouteAuth = 'public' | 'user' | { action: Action; subject: Subject };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    lang: Lang;
    csrfToken: string | null;
  }
  interface FastifyInstance {
    /** Every /api route with its declared auth (for the authorization matrix test and docs). */
    apiRoutes: ApiRoute[];
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Skip the CSRF check (only for endpoints that cannot carry a token, e.g. sign-in). */
    csrfExempt?: boolean;
  }
}

/** An /api route as registered: its declared auth and request schemas (the OpenAPI document's source). */
export interface ApiRoute {
  method: string;
  url: string;
  auth: RouteAuth;
  schema?: { body?: unknown; querystring?: unknown; params?: unknown };
}

export interface ResolvedActor {
  actor: Actor;
  csrfToken: string | null; // null for token (Authorization: Bearer) auth
}

export type ActorResolver = (req: FastifyRequest) => Promise<ResolvedActor | null>;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installAuth(app: FastifyInstance<any, any, any, any, any>, authz: Authz, resolve: () => ActorResolver) {
  app.decorateRequest('actor', null);
  app.decorateRequest('lang', 'zh-CN');
  app.decorateRequest('csrfToken', null);

  const list: ApiRoute[] = [];
  app.decorate('apiRoutes', list);
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs')) {
      if (!auth) throw new Error(`route ${route.method} ${route.url} declares no auth (deny by default)`);
      for (const m of [route.method].flat()) if (m !== 'HEAD') list.push({ method: m, url: route.url, auth, schema: route.schema as ApiRoute['schema'] });
    }
    // The gate is a route-level hook so that it runs after the rate limiter's (registered before
    // this function, see app.ts): a caller with a forged or expired credential is still counted,
    // against their address, before being refused.
    if (auth && auth !== 'public') route.onRequest = [...[route.onRequest ?? []].flat(), gate];
  });

  // Who is calling is resolved first, on every route that is not public, before the body is parsed
  // or validated. It refuses nothing by itself: the rate limiter then counts the request against
  // the account (or, unresolved, the address), and the gate below decides.
  app.addHook('onRequest', async (req) => {
    const q = req.query as Record<string, string> | undefined;
    req.lang = pickLang(req.headers['accept-language'], q?.lang || (req.cookies as any)?.linli_lang);
    const auth = req.routeOptions.config?.auth;
    if (!auth || auth === 'public') return; // public routes do not look at the caller
    const r = await resolve()(req);
    if (!r) return;
    req.actor = r.actor;
    req.csrfToken = r.csrfToken;
  });

  // An unauthorized caller learns nothing about the route's input and cannot make the server read
  // a large upload.
  async function gate(req: FastifyRequest) {
    const auth = req.routeOptions.config?.auth;
    if (!auth || auth === 'public') return;
    if (!req.actor) throw new AppError(401, 'auth.required');
    if (req.csrfToken && UNSAFE.has(req.method) && !req.routeOptions.config?.csrfExempt) {
      if (req.headers['x-csrf-token'] !== req.csrfToken) throw new AppError(403, 'auth.csrf');
    }
    if (auth !== 'user' && !authz.canSomewhere(req.actor, auth.action, auth.subject)) throw new AppError(403, 'auth.forbidden');
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError(401, 'auth.required');
  return req.actor;
}

/**
 * Whether a cookie set in answer to this request gets `Secure`: always when LINLI_SECURE_COOKIES
 * forces it, otherwise whenever the request came over HTTPS — on a TLS socket, or with
 * `X-Forwarded-Proto: https` from a proxy we trust (fastify reads that header only with trustProxy).
 */
export function secureCookie(req: FastifyRequest, forced: boolean): boolean {
  return forced || req.protocol === 'https';
}

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}
