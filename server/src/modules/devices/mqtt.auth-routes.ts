// HTTP authentication and ACL endpoints that external MQTT brokers call to ask Linli who may
// connect, publish and subscribe (see docs/mqtt.md for the broker configuration):
//  - EMQX 5 HTTP authentication / authorization:  POST /api/v1/mqtt/auth, POST /api/v1/mqtt/acl
//    (answer 200 with { result: 'allow' | 'deny' }).
//  - mosquitto-go-auth HTTP backend:  POST /api/v1/mqtt/go-auth/user | superuser | acl
//    (answer 200 = allowed, 403 = refused; JSON or form bodies).
// Devices sign in with username = device id, password = device secret. Linli's own nodes sign
// in with the credentials in LINLI_MQTT_URL (mqtt://user:password@host) and are superusers.
// When LINLI_MQTT_AUTH_SECRET is set, callers must send it in the `x-linli-mqtt-secret` header
// (or, for brokers that cannot set headers, a `secret` query parameter).
import crypto from 'node:crypto';
import { sendProblem } from '../../kernel/http/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import type { Kernel } from '../../kernel/index.js';
import { devicePublishAllowed, deviceReadAllowed, deviceSubscribeAllowed, isTopicSafeId, type MqttIngestPipeline } from './mqtt.transport.js';

export interface MqttAuthRouteOptions {
  /** shared secret the broker must present; default process.env.LINLI_MQTT_AUTH_SECRET */
  secret?: string | null;
  /** Linli's own MQTT account (superuser); default: the credentials in LINLI_MQTT_URL */
  service?: { username: string; password: string } | null;
}

function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

export function serviceAccountFromUrl(url: string | null): { username: string; password: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (!u.username) return null;
    return { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  } catch {
    return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const anyObject = { type: 'object', additionalProperties: true } as const;

export function registerMqttAuthRoutes(app: App, k: Kernel, pipeline: Pick<MqttIngestPipeline, 'authenticate'>, opts: MqttAuthRouteOptions = {}) {
  const secret = opts.secret !== undefined ? opts.secret : process.env.LINLI_MQTT_AUTH_SECRET || null;
  const service = opts.service !== undefined ? opts.service : serviceAccountFromUrl(k.config.mqttUrl);

  const isService = (username: string, password?: string) =>
    !!service && username === service.username && (password === undefined || safeEqual(password, service.password));

  /** null = allowed caller; otherwise the reply was sent */
  const callerRefused = (req: FastifyRequest): boolean => {
    if (!secret) return false;
    const given = str(req.headers['x-linli-mqtt-secret']) || str((req.query as Record<string, unknown> | undefined)?.secret);
    return !given || !safeEqual(given, secret);
  };

  async function checkUser(username: string, password: string): Promise<{ ok: boolean; superuser: boolean }> {
    if (isService(username, password)) return { ok: true, superuser: true };
    if (!isTopicSafeId(username) || !password) return { ok: false, superuser: false };
    try {
      return { ok: await pipeline.authenticate(username, password), superuser: false };
    } catch (err) {
      k.log.error({ err }, 'mqtt auth endpoint: authentication failed with an error');
      return { ok: false, superuser: false };
    }
  }

  function checkAcl(username: string, topic: string, action: 'publish' | 'subscribe' | 'read'): boolean {
    if (isService(username)) return true;
    if (action === 'publish') return devicePublishAllowed(username, topic);
    if (action === 'subscribe') return deviceSubscribeAllowed(username, topic);
    return deviceReadAllowed(username, topic);
  }

  // the broker asks once per connect/publish: a per-address request limit would throttle the
  // whole broker, so routes behind the shared secret are not limited (without it they are)
  const config = { auth: 'public' as const, ...(secret ? { rateLimit: false } : {}) };
  const schema = (summary: string) => ({ tags: ['mqtt'], summary, body: anyObject });

  // ---- EMQX ----
  app.post('/api/v1/mqtt/auth', { config, schema: schema('EMQX HTTP authentication') }, async (req, reply) => {
    if (callerRefused(req)) return reply.status(401).send({ result: 'deny', is_superuser: false });
    const b = (req.body ?? {}) as Record<string, unknown>;
    const r = await checkUser(str(b.username), str(b.password));
    return { result: r.ok ? 'allow' : 'deny', is_superuser: r.ok && r.superuser };
  });
  app.post('/api/v1/mqtt/acl', { config, schema: schema('EMQX HTTP authorization') }, async (req, reply) => {
    if (callerRefused(req)) return reply.status(401).send({ result: 'deny' });
    const b = (req.body ?? {}) as Record<string, unknown>;
    const action = str(b.action);
    if (action !== 'publish' && action !== 'subscribe') return { result: 'deny' };
    return { result: checkAcl(str(b.username), str(b.topic), action) ? 'allow' : 'deny' };
  });

  // ---- mosquitto-go-auth (HTTP backend, response mode "status") ----
  // go-auth reads only the status; a refusal still carries a problem body like every other error
  const status = (reply: FastifyReply, ok: boolean) => (ok ? reply.status(200).send('ok') : sendProblem(reply, 'en', 403, 'auth.forbidden'));
  app.register(async (scope) => {
    // go-auth sends form bodies when auth_opt_http_params_mode is "form"; parsed here only
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/api/v1/mqtt/go-auth/user', { config, schema: schema('mosquitto-go-auth: user') }, async (req, reply) => {
      if (callerRefused(req)) return status(reply, false);
      const b = (req.body ?? {}) as Record<string, unknown>;
      return status(reply, (await checkUser(str(b.username), str(b.password))).ok);
    });
    scope.post('/api/v1/mqtt/go-auth/superuser', { config, schema: schema('mosquitto-go-auth: superuser') }, async (req, reply) => {
      if (callerRefused(req)) return status(reply, false);
      const b = (req.body ?? {}) as Record<string, unknown>;
      return status(reply, isService(str(b.username)));
    });
    scope.post('/api/v1/mqtt/go-auth/acl', { config, schema: schema('mosquitto-go-auth: ACL') }, async (req, reply) => {
      if (callerRefused(req)) return status(reply, false);
      const b = (req.body ?? {}) as Record<string, unknown>;
      const acc = Number(str(b.acc));
      const username = str(b.username);
      const topic = str(b.topic);
      // acc: 1 read, 2 write, 3 read+write, 4 subscribe
      let ok: boolean;
      if (acc === 1) ok = checkAcl(username, topic, 'read');
      else if (acc === 2) ok = checkAcl(username, topic, 'publish');
      else if (acc === 3) ok = checkAcl(username, topic, 'read') && checkAcl(username, topic, 'publish');
      else if (acc === 4) ok = checkAcl(username, topic, 'subscribe');
      else ok = false;
      return status(reply, ok);
    });
  });
}
