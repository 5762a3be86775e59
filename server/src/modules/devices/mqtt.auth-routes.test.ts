// The HTTP auth/ACL endpoints external brokers call, over real HTTP on the real app, asked the way
// the brokers ask and read the way they read the answers:
//  - EMQX 5 (apps/emqx_auth_http/src/emqx_authn_http.erl): POST JSON from the configured body
//    template; 204 = allow, 200 + JSON `result` allow | deny | ignore, any other status = ignore.
//  - mosquitto-go-auth (backends/http.go): POST a JSON body (params_mode json) or a form
//    (params_mode form); allowed = 2xx (mode status), 2xx + body `ok` (text), 2xx + {"ok":true}
//    (json); the shared secret arrives as Basic auth from the userinfo of auth_opt_http_host.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase, describeEachDialect, tempDir, type TestDatabase } from '../../test/harness.js';
import { loadConfig } from '../../config.js';
import { buildApp, type App } from '../../app.js';
import { ingestPipeline } from './index.js';
import { registerMqttAuthRoutes } from './mqtt.auth-routes.js';
import { seedMqttDevices, testSecret } from './mqtt.fixtures.js';

const SECRET = crypto.randomBytes(24).toString('hex');
const topic = (id: string, kind = 'telemetry') => `linli/v1/devices/${id}/${kind}`;

type Emqx = 'allow' | 'deny' | 'ignore';
/** EMQX 5's HTTP authenticator/authorizer: POST the body template, read the answer as it does. */
async function emqx(
  base: string,
  path: string,
  body: object,
  headers: Record<string, string> = { 'x-linli-mqtt-secret': SECRET },
): Promise<{ result: Emqx; superuser: boolean }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status === 204) return { result: 'allow', superuser: false };
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('application/json')) return { result: 'ignore', superuser: false };
  const b = (await res.json()) as { result?: string; is_superuser?: boolean };
  const result = b.result === 'allow' || b.result === 'deny' ? b.result : 'ignore';
  return { result, superuser: result === 'allow' && b.is_superuser === true };
}

type GoAuthMode = 'status' | 'text' | 'json';
/**
 * mosquitto-go-auth's HTTP backend: fullUri = http://{http_host}:{http_port}{uri}; Go's client
 * turns the URL's userinfo into Basic auth; JSON bodies are a marshalled map (sorted keys, acc a
 * number), forms are url.Values (sorted, acc a string). Returns what the plugin decides.
 */
async function goAuth(
  host: string,
  port: number,
  uri: string,
  params: Record<string, string | number>,
  o: { params: 'json' | 'form'; mode: GoAuthMode },
): Promise<boolean | 'error'> {
  const url = new URL(`http://${host}:${port}${uri}`);
  const headers: Record<string, string> = {};
  if (url.username)
    headers.authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]!] as const);
  let body: string;
  if (o.params === 'form') {
    body = new URLSearchParams(sorted.map(([k, v]) => [k, String(v)])).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    body = JSON.stringify(Object.fromEntries(sorted));
    headers['content-type'] = 'application/json';
    headers['user-agent'] = 'mosquitto-2.0.0';
  }
  const res = await fetch(`http://${url.host}${url.pathname}${url.search}`, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) return res.status >= 500 ? 'error' : false;
  if (o.mode === 'text') return text === 'ok';
  if (o.mode === 'json') {
    try {
      return (JSON.parse(text) as { ok?: boolean }).ok === true;
    } catch {
      return 'error'; // the plugin's "unmarshal error": the client is refused
    }
  }
  return true;
}

describeEachDialect('MQTT auth and ACL endpoints for external brokers', (dialect) => {
  let tdb: TestDatabase;
  let ids: string[];
  const apps: App[] = [];
  let secured: { base: string; port: number };
  let open: { base: string; port: number };

  /** the real app (its devices module registers the endpoints, secret from the config) plus the
   * same routes under /t with Linli's service account, listening on a free port */
  async function appWith(env: Record<string, string>) {
    const config = loadConfig({ LINLI_DATA_DIR: tempDir(), LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0', ...env });
    const built = await buildApp({ config, database: tdb.database, logger: pino({ level: 'silent' }), rateLimit: 100000 });
    const service = { username: 'linli-svc', password: 'svc-pass' };
    await built.app.register(async (scope) => registerMqttAuthRoutes(scope as unknown as App, built.kernel, ingestPipeline(built.kernel), { service }), {
      prefix: '/t',
    });
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(built.app);
    const port = (built.app.server.address() as { port: number }).port;
    return { kernel: built.kernel, base: `http://127.0.0.1:${port}`, port };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
    const a = await appWith({ LINLI_MQTT_AUTH_SECRET: SECRET });
    secured = a;
    open = await appWith({});
    ids = await seedMqttDevices(a.kernel, 2, 'devhttp');
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await tdb?.drop();
  });

  it('EMQX authentication: allow a device on its own client id, deny a known device with a wrong secret or client id, ignore unknown names', async () => {
    const auth = (body: object) => emqx(secured.base, '/api/v1/mqtt/auth', body);
    expect(await auth({ clientid: ids[0], username: ids[0], password: testSecret })).toEqual({ result: 'allow', superuser: false });
    expect(await auth({ clientid: `${ids[0]}/gw`, username: ids[0], password: testSecret })).toEqual({ result: 'allow', superuser: false });
    // client-id takeover: right credentials of ids[0], the client id of ids[1]
    expect((await auth({ clientid: ids[1], username: ids[0], password: testSecret })).result).toBe('deny');
    expect((await auth({ username: ids[0], password: testSecret })).result).toBe('deny'); // no clientid in the template
    expect((await auth({ clientid: ids[0], username: ids[0], password: 'bad' })).result).toBe('deny');
    // names Linli does not know go on to EMQX's next authenticator
    expect((await auth({ clientid: 'c1', username: 'dev_nobody', password: testSecret })).result).toBe('ignore');
    expect((await auth({ clientid: 'c1', username: 'ops/dashboard', password: 'x' })).result).toBe('ignore');
    expect((await auth({})).result).toBe('ignore');
    const svc = (body: object) => emqx(secured.base, '/t/api/v1/mqtt/auth', body);
    expect(await svc({ clientid: 'linli-app-1', username: 'linli-svc', password: 'svc-pass' })).toEqual({ result: 'allow', superuser: true });
    expect((await svc({ clientid: 'linli-app-1', username: 'linli-svc', password: 'guess' })).result).toBe('deny');
  });

  it('EMQX authorization: a device only in its own topics, on its own client id', async () => {
    const acl = async (body: object, path = '/api/v1/mqtt/acl') => (await emqx(secured.base, path, body)).result;
    expect(await acl({ clientid: ids[0], username: ids[0], topic: topic(ids[0]!), action: 'publish' })).toBe('allow');
    expect(await acl({ username: ids[0], topic: topic(ids[0]!), action: 'publish' })).toBe('allow');
    expect(await acl({ clientid: ids[1], username: ids[0], topic: topic(ids[0]!), action: 'publish' })).toBe('deny');
    expect(await acl({ username: ids[0], topic: topic(ids[1]!), action: 'publish' })).toBe('deny');
    expect(await acl({ username: ids[0], topic: `linli/v1/devices/${ids[0]}/#`, action: 'subscribe' })).toBe('allow');
    expect(await acl({ username: ids[0], topic: 'linli/v1/devices/+/telemetry', action: 'subscribe' })).toBe('deny');
    expect(await acl({ username: ids[0], topic: topic(ids[0]!), action: 'other' })).toBe('deny');
    expect(
      await acl(
        { clientid: 'linli-app-1', username: 'linli-svc', topic: '$share/linli/linli/v1/devices/+/telemetry', action: 'subscribe' },
        '/t/api/v1/mqtt/acl',
      ),
    ).toBe('allow');
  });

  for (const mode of ['status', 'text', 'json'] as const) {
    for (const params of ['json', 'form'] as const) {
      it(`mosquitto-go-auth, response mode ${mode}, params mode ${params}: user, superuser and ACL as the plugin reads them`, async () => {
        const q = mode === 'json' ? '?mode=json' : '';
        const host = `linli:${SECRET}@127.0.0.1`; // auth_opt_http_host with the secret as Basic auth
        const ask = (uri: string, p: Record<string, string | number>) => goAuth(host, secured.port, uri + q, p, { params, mode });
        const user = (p: Record<string, string>, prefix = '') => ask(`${prefix}/api/v1/mqtt/go-auth/user`, p);
        const acl = (clientid: string, t: string, acc: number) => ask('/api/v1/mqtt/go-auth/acl', { username: ids[0]!, clientid, topic: t, acc });
        expect(await user({ username: ids[0]!, password: testSecret, clientid: ids[0]! })).toBe(true);
        expect(await user({ username: ids[0]!, password: testSecret, clientid: ids[1]! })).toBe(false); // takeover
        expect(await user({ username: ids[0]!, password: 'no', clientid: ids[0]! })).toBe(false);
        expect(await user({ username: 'dev_nobody', password: testSecret, clientid: 'dev_nobody' })).toBe(false);
        expect(await user({ username: 'linli-svc', password: 'svc-pass', clientid: 'linli-app-1' }, '/t')).toBe(true);
        expect(await ask('/api/v1/mqtt/go-auth/superuser', { username: ids[0]! })).toBe(false);
        expect(await ask('/t/api/v1/mqtt/go-auth/superuser', { username: 'linli-svc' })).toBe(true);
        const own = ids[0]!;
        expect(await acl(own, `linli/v1/devices/${own}/cmd`, 1)).toBe(true); // read (delivery) of its downlink
        expect(await acl(own, `linli/v1/devices/${ids[1]}/cmd`, 1)).toBe(false);
        expect(await acl(own, topic(own), 2)).toBe(true); // write
        expect(await acl(own, topic(ids[1]!), 2)).toBe(false);
        expect(await acl(own, topic(own), 3)).toBe(true); // readwrite: its own uplink
        expect(await acl(own, `linli/v1/devices/${own}/cmd`, 3)).toBe(false); // may read, not write there
        expect(await acl(own, `linli/v1/devices/${own}/#`, 4)).toBe(true); // subscribe
        expect(await acl(own, '#', 4)).toBe(false);
        expect(await acl(ids[1]!, topic(own), 2)).toBe(false); // on another device's client id
      });
    }
  }

  it('answers only a caller with the shared secret (header or Basic auth), never through the query string', async () => {
    const body = { clientid: ids[0], username: ids[0], password: testSecret };
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${secured.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const basic = (pass: string) => ({ authorization: 'Basic ' + Buffer.from(`linli:${pass}`).toString('base64') });
    for (const path of ['/api/v1/mqtt/auth', '/api/v1/mqtt/acl', '/api/v1/mqtt/go-auth/user', '/api/v1/mqtt/go-auth/superuser', '/api/v1/mqtt/go-auth/acl']) {
      for (const h of [{}, { 'x-linli-mqtt-secret': 'nope' }, basic('nope'), basic('')] as Array<Record<string, string>>) {
        const r = await post(path, h);
        expect(r.status).toBe(401);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect((await r.json()).code).toBe('mqtt.broker_secret');
      }
      expect((await post(`${path}?secret=${SECRET}`, {})).status).toBe(401);
    }
    expect((await post('/api/v1/mqtt/auth', { 'x-linli-mqtt-secret': SECRET })).status).toBe(200);
    expect((await post('/api/v1/mqtt/go-auth/user', basic(SECRET))).status).toBe(200);
    // EMQX reads a refusal of the caller as "ignore": it never lets the device in
    expect((await emqx(secured.base, '/api/v1/mqtt/auth', body, {})).result).toBe('ignore');
  });

  it('without LINLI_MQTT_AUTH_SECRET configured, the endpoints refuse every call', async () => {
    const body = { clientid: ids[0], username: ids[0], password: testSecret, topic: topic(ids[0]!), action: 'publish', acc: 2 };
    for (const path of ['/api/v1/mqtt/auth', '/api/v1/mqtt/acl', '/api/v1/mqtt/go-auth/user', '/api/v1/mqtt/go-auth/superuser', '/api/v1/mqtt/go-auth/acl']) {
      for (const headers of [{}, { 'x-linli-mqtt-secret': SECRET }] as Array<Record<string, string>>) {
        const r = await fetch(`${open.base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        expect(r.status).toBe(403);
        expect((await r.json()).code).toBe('mqtt.auth_not_configured');
      }
    }
    expect((await emqx(open.base, '/api/v1/mqtt/auth', body)).result).toBe('ignore');
    expect(
      await goAuth(
        `linli:${SECRET}@127.0.0.1`,
        open.port,
        '/api/v1/mqtt/go-auth/user',
        { username: ids[0]!, password: testSecret, clientid: ids[0]! },
        { params: 'json', mode: 'status' },
      ),
    ).toBe(false);
  });
});

describe('LINLI_MQTT_AUTH_SECRET', () => {
  it('is validated: 32 or more URL-safe characters', () => {
    expect(loadConfig({ LINLI_MQTT_AUTH_SECRET: SECRET }).mqttAuthSecret).toBe(SECRET);
    expect(loadConfig({}).mqttAuthSecret).toBeNull();
    expect(() => loadConfig({ LINLI_MQTT_AUTH_SECRET: 'short' })).toThrow(/LINLI_MQTT_AUTH_SECRET/);
    expect(() => loadConfig({ LINLI_MQTT_AUTH_SECRET: `${SECRET}/@` })).toThrow(/LINLI_MQTT_AUTH_SECRET/);
  });
});
