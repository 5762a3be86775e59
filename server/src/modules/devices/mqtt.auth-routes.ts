// HTTP authentication and ACL endpoints that external MQTT brokers call to ask Linli who may
// connect, publish and subscribe (see docs/mqtt.md for the broker configuration):
//  - EMQX 5 HTTP authentication / authorization:  POST /api/v1/mqtt/auth, POST /api/v1/mqtt/acl
//    (200 with { result: 'allow' | 'deny' | 'ignore' }: 'ignore' for a username Linli does not
//    know, so EMQX asks the next authenticator of its chain; 'deny' stops the chain).
//  - mosquitto-go-auth HTTP backend:  POST /api/v1/mqtt/go-auth/user | superuser | acl
//    (JSON or form bodies; refused = 403; allowed = 200 with the body its response mode reads:
//    `ok` for modes status and text, {"ok":true,"error":""} with `?mode=json` on the URI).
// Devices sign in with username = device id, password = device secret, and a client id bound to
// the device (deviceClientIdAllowed: its id or `{id}/…`). Linli's own nodes sign in with the
// credentials in LINLI_MQTT_URL (mqtt://user:password@host) and are superusers.
//
// The endpoints answer only a caller that presents LINLI_MQTT_AUTH_SECRET, in the header
// `x-linli-mqtt-secret` (EMQX: `headers`) or as the password of HTTP Basic auth (go-auth cannot
// set headers; Go sends the userinfo of `auth_opt_http_host user:secret@host` as Basic auth).
// Without the secret configured they refuse every call: otherwise anyone who can reach Linli
// could test device secrets through them. No query-string secret: URLs end up in logs.
import crypto from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, sendProblem } from '../../kernel/http/errors.js';
import type { Messages } from '../../kernel/http/i18n.js';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import {
  deviceClientIdAllowed,
  devicePublishAllowed,
  deviceReadAllowed,
  deviceSubscribeAllowed,
  isTopicSafeId,
  type MqttIngestPipeline,
} from './mqtt.transport.js';

export const mqttAuthMessages: Messages = {
  'mqtt.auth_not_configured': {
    zh: 'MQTT 认证接口未启用：请在 Linli 上设置 LINLI_MQTT_AUTH_SECRET',
    en: 'The MQTT auth endpoints are off: set LINLI_MQTT_AUTH_SECRET on Linli',
  },
  'mqtt.broker_secret': { zh: '缺少或错误的 MQTT 代理共享密钥', en: 'Missing or wrong MQTT broker shared secret' },
};

const Result = Type.Union([Type.Literal('allow'), Type.Literal('deny')]);
const EmqxAuthAnswer = Type.Object({ result: Result, is_superuser: Type.Boolean() }, { additionalProperties: false });
const EmqxAclAnswer = Type.Object({ result: Result }, { additionalProperties: false });
/** go-auth in mode json (`?mode=json`); modes status and text get the text body `ok`. */
const GoAuthAnswer = Type.Object(
  { ok: Type.Boolean(), error: Type.String() },
  { additionalProperties: false, description: 'mode=json; otherwise text/plain "ok"' },
);

export interface MqttAuthRouteOptions {
  /** shared secret the broker must present; default k.config.mqttAuthSecret (null = refuse all) */
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

/** The secret a broker presented: the x-linli-mqtt-secret header, or the Basic auth password. */
export function presentedSecret(req: FastifyRequest): string {
  const header = req.headers['x-linli-mqtt-secret'];
  if (typeof header === 'string' && header) return header;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return '';
  const plain = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  return colon < 0 ? '' : plain.slice(colon + 1);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const anyObject = { type: 'object', additionalProperties: true } as const;
const goAuthQuery = { type: 'object', properties: { mode: { type: 'string', enum: ['status', 'text', 'json'] } } } as const;

type UserCheck = 'allow' | 'deny' | 'ignore';

export function registerMqttAuthRoutes(app: App, k: Kernel, pipeline: Pick<MqttIngestPipeline, 'checkCredential'>, opts: MqttAuthRouteOptions = {}) {
  const secret = opts.secret !== undefined ? opts.secret : k.config.mqttAuthSecret;
  const service = opts.service !== undefined ? opts.service : serviceAccountFromUrl(k.config.mqttUrl);

  const isService = (username: string) => !!service && username === service.username;

  /** Who signs in: Linli's service account (any client id), a device with its secret and a
   * client id bound to it ('deny' when either is wrong), or a name Linli does not know ('ignore'). */
  async function checkUser(username: string, password: string, clientId: string): Promise<{ result: UserCheck; superuser: boolean }> {
    if (isService(username)) return { result: safeEqual(password, service!.password) ? 'allow' : 'deny', superuser: true };
    if (!isTopicSafeId(username)) return { result: 'ignore', superuser: false };
    let cred: 'valid' | 'wrong' | 'unknown';
    try {
      cred = await pipeline.checkCredential(username, password);
    } catch (err) {
      k.log.error({ err }, 'mqtt auth endpoint: authentication failed with an error');
      return { result: 'deny', superuser: false };
    }
    if (cred === 'unknown') return { result: 'ignore', superuser: false };
    return { result: cred === 'valid' && deviceClientIdAllowed(username, clientId) ? 'allow' : 'deny', superuser: false };
  }

  /** A device's topics (mqtt.transport.ts), for a client id bound to it when one is given
   * (go-auth always sends it; EMQX when configured: its connect was bound already). */
  function checkAcl(username: string, clientId: string | undefined, topic: string, action: 'publish' | 'subscribe' | 'read'): boolean {
    if (isService(username)) return true;
    if (clientId !== undefined && !deviceClientIdAllowed(username, clientId)) return false;
    if (action === 'publish') return devicePublishAllowed(username, topic);
    if (action === 'subscribe') return deviceSubscribeAllowed(username, topic);
    return deviceReadAllowed(username, topic);
  }

  // the broker asks once per connect/publish: a per-address request limit would throttle the
  // whole broker, so routes behind the shared secret are not limited (without it they are)
  const config = { auth: 'public' as const, ...(secret ? { rateLimit: false } : {}) };
  const schema = (summary: string, response: object, querystring?: object) => ({
    tags: ['mqtt'],
    summary,
    body: anyObject,
    response: { 200: response },
    ...(querystring ? { querystring } : {}),
  });
  const clientIdOf = (b: Record<string, unknown>) => (b.clientid === undefined ? undefined : str(b.clientid));

  app.register(async (scope) => {
    // checked before the body is read, like the authorization gate
    scope.addHook('onRequest', async (req) => {
      if (!secret) throw new AppError(403, 'mqtt.auth_not_configured');
      if (!safeEqual(presentedSecret(req), secret)) throw new AppError(401, 'mqtt.broker_secret');
    });

    // ---- EMQX ----
    scope.post('/api/v1/mqtt/auth', { config, schema: schema('EMQX HTTP authentication', EmqxAuthAnswer) }, async (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      // the client id is required (configure `clientid = "${clientid}"`): without it the
      // binding could not be checked, so a device is refused
      const r = await checkUser(str(b.username), str(b.password), str(b.clientid));
      return { result: r.result, is_superuser: r.result === 'allow' && r.superuser };
    });
    scope.post('/api/v1/mqtt/acl', { config, schema: schema('EMQX HTTP authorization', EmqxAclAnswer) }, async (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const action = str(b.action);
      if (action !== 'publish' && action !== 'subscribe') return { result: 'deny' };
      return { result: checkAcl(str(b.username), clientIdOf(b), str(b.topic), action) ? 'allow' : 'deny' };
    });

    // ---- mosquitto-go-auth (HTTP backend) ----
    // go-auth (backends/http.go) reads a 2xx as allowed in mode status, a 2xx with the body `ok`
    // in mode text and a 2xx with {"ok": true} in mode json; any 4xx is a refusal in every mode
    // (a 5xx is an error). It says nothing about its mode in the request, so the operator names
    // json in the URI (`?mode=json`); the default body `ok` serves modes status and text.
    const answer = (req: FastifyRequest, reply: FastifyReply, ok: boolean) => {
      if (!ok) return sendProblem(reply, req.lang ?? 'en', 403, 'auth.forbidden');
      if ((req.query as { mode?: string }).mode === 'json') return reply.status(200).send({ ok: true, error: '' });
      return reply.status(200).type('text/plain; charset=utf-8').send('ok');
    };
    // go-auth sends form bodies when auth_opt_http_params_mode is "form"; parsed here only
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/api/v1/mqtt/go-auth/user', { config, schema: schema('mosquitto-go-auth: user', GoAuthAnswer, goAuthQuery) }, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      return answer(req, reply, (await checkUser(str(b.username), str(b.password), str(b.clientid))).result === 'allow');
    });
    scope.post('/api/v1/mqtt/go-auth/superuser', { config, schema: schema('mosquitto-go-auth: superuser', GoAuthAnswer, goAuthQuery) }, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      return answer(req, reply, isService(str(b.username)));
    });
    scope.post('/api/v1/mqtt/go-auth/acl', { config, schema: schema('mosquitto-go-auth: ACL', GoAuthAnswer, goAuthQuery) }, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const acc = Number(str(b.acc));
      const [username, clientId, topic] = [str(b.username), str(b.clientid), str(b.topic)];
      // acc: 1 read (a message delivered to the client), 2 write (publish), 3 both, 4 subscribe
      let ok: boolean;
      if (acc === 1) ok = checkAcl(username, clientId, topic, 'read');
      else if (acc === 2) ok = checkAcl(username, clientId, topic, 'publish');
      else if (acc === 3) ok = checkAcl(username, clientId, topic, 'read') && checkAcl(username, clientId, topic, 'publish');
      else if (acc === 4) ok = checkAcl(username, clientId, topic, 'subscribe');
      else ok = false;
      return answer(req, reply, ok);
    });
  });
}
