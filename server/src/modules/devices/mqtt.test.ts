// MQTT transport on the embedded broker (Aedes, on a free port), with the real ingest pipeline on
// a real database; and the HTTP auth/ACL endpoints external brokers call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import pino from 'pino';
import { createTestApp, createTestDatabase, describeEachDialect, tempDir, type TestApp, type TestDatabase } from '../../test/harness.js';
import { loadConfig } from '../../config.js';
import { buildApp, type App } from '../../app.js';
import type { Kernel } from '../../kernel/index.js';
import { IngestPipeline, ingestPipeline } from './index.js';
import { startEmbeddedIngest, parseUplinkTopic, deviceSubscribeAllowed, devicePublishAllowed, deviceReadAllowed } from './mqtt.transport.js';
import { registerMqttAuthRoutes } from './mqtt.auth-routes.js';
import { countRaw, freePort, seedMqttDevices, testSecret, waitFor } from './mqtt.fixtures.js';
import type { EmbeddedBroker } from '../../kernel/mqtt/broker.js';

const silent = pino({ level: 'silent' });
const topic = (id: string, kind = 'telemetry') => `linli/v1/devices/${id}/${kind}`;
const reading = (v: number, ts = Date.now()) => JSON.stringify({ ts, values: { v } });

function connect(port: number, username: string, password: string, extra: mqtt.IClientOptions = {}) {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
}

describe('MQTT topics and device access rules', () => {
  it('parses uplink topics', () => {
    expect(parseUplinkTopic('linli/v1/devices/dev_1/telemetry')).toEqual({ deviceId: 'dev_1', kind: 'telemetry' });
    expect(parseUplinkTopic('linli/v1/devices/dev_1/status')).toEqual({ deviceId: 'dev_1', kind: 'status' });
    expect(parseUplinkTopic('linli/v1/devices/dev_1/other')).toBeNull();
    expect(parseUplinkTopic('linli/v1/devices/dev_1/telemetry/x')).toBeNull();
    expect(parseUplinkTopic('linli/v1/devices/+/telemetry')).toBeNull();
  });
  it('lets a device publish and subscribe only in its own tree', () => {
    expect(devicePublishAllowed('a', 'linli/v1/devices/a/events')).toBe(true);
    expect(devicePublishAllowed('a', 'linli/v1/devices/b/events')).toBe(false);
    expect(deviceSubscribeAllowed('a', 'linli/v1/devices/a/#')).toBe(true);
    expect(deviceSubscribeAllowed('a', 'linli/v1/devices/a/cmd/+')).toBe(true);
    expect(deviceSubscribeAllowed('a', 'linli/v1/devices/+/#')).toBe(false);
    expect(deviceSubscribeAllowed('a', 'linli/v1/devices/#')).toBe(false);
    expect(deviceSubscribeAllowed('a', '#')).toBe(false);
    expect(deviceSubscribeAllowed('a', '$share/g/linli/v1/devices/a/#')).toBe(false);
    expect(deviceSubscribeAllowed('+', 'linli/v1/devices/+/#')).toBe(false);
    expect(deviceReadAllowed('a', 'linli/v1/devices/a/cmd')).toBe(true);
    expect(deviceReadAllowed('a', 'linli/v1/devices/ab/cmd')).toBe(false);
  });
});

describeEachDialect('MQTT ingest on the embedded broker', (dialect) => {
  let t: TestApp;
  let pipeline: IngestPipeline;
  let broker: EmbeddedBroker;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    pipeline = ingestPipeline(t.kernel); // the app's own pipeline
    ids = await seedMqttDevices(t.kernel, 3, 'devemb');
    const b = await startEmbeddedIngest(await freePort(), '127.0.0.1', pipeline, silent);
    if (!b) throw new Error('embedded broker did not start');
    broker = b;
  });
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('stores telemetry of a signed-in device; a QoS 1 PUBACK means stored', async () => {
    const c = await connect(broker.port, ids[0]!, testSecret);
    await c.publishAsync(topic(ids[0]!), reading(21.5), { qos: 1 });
    // acknowledged only after the flush that stored it: no waiting here
    expect(await countRaw(t.kernel, ids[0]!)).toBe(1);
    const base = Date.now() - 10_000;
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.publishAsync(topic(ids[0]!), reading(i, base + i), { qos: 1 })));
    expect(await countRaw(t.kernel, ids[0]!)).toBe(51);
    await c.endAsync();
  });

  it('stores QoS 0 telemetry', async () => {
    const c = await connect(broker.port, ids[1]!, testSecret);
    const base = Date.now() - 20_000;
    for (let i = 0; i < 20; i++) await c.publishAsync(topic(ids[1]!), reading(i, base + i), { qos: 0 });
    await waitFor(async () => (await countRaw(t.kernel, ids[1]!)) === 20);
    await c.endAsync();
  });

  it('a redelivered QoS 1 message is stored once', async () => {
    const c = await connect(broker.port, ids[1]!, testSecret);
    const msg = reading(7, Date.now() - 30_000);
    await c.publishAsync(topic(ids[1]!), msg, { qos: 1 });
    await c.publishAsync(topic(ids[1]!), msg, { qos: 1, dup: true });
    await pipeline.flush();
    expect(await countRaw(t.kernel, ids[1]!)).toBe(21);
    await c.endAsync();
  });

  it('refuses a wrong secret, an unknown device and no password at CONNECT', async () => {
    await expect(connect(broker.port, ids[0]!, 'wrong')).rejects.toMatchObject({ code: 4 });
    await expect(connect(broker.port, 'dev_unknown', testSecret)).rejects.toMatchObject({ code: 4 });
    await expect(connect(broker.port, ids[0]!, '')).rejects.toMatchObject({ code: 4 });
    await expect(connect(broker.port, '', '')).rejects.toMatchObject({ code: 4 });
  });

  it("refuses publishing to another device's topic (connection closed, nothing stored)", async () => {
    const before = await countRaw(t.kernel, ids[2]!);
    const c = await connect(broker.port, ids[0]!, testSecret);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topic(ids[2]!), reading(99), { qos: 1 });
    await closed;
    await pipeline.flush();
    expect(await countRaw(t.kernel, ids[2]!)).toBe(before);
    c.end(true);
  });

  it('lets a device subscribe only to its own downlink', async () => {
    const c = await connect(broker.port, ids[0]!, testSecret);
    const own = await c.subscribeAsync(`linli/v1/devices/${ids[0]}/#`, { qos: 1 });
    expect(own[0]!.qos).toBe(1);
    // SUBACK 0x80 for the filter (mqtt.js turns it into an error); the connection stays open
    await expect(c.subscribeAsync(`linli/v1/devices/${ids[2]}/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(c.subscribeAsync('linli/v1/devices/+/telemetry', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await expect(c.subscribeAsync('#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    expect(c.connected).toBe(true);
    await c.endAsync();
  });

  it('slows a flooding device down instead of dropping its messages; other devices go on', async () => {
    // a pipeline of its own with a small budget: 5 messages at once, then 20 per second
    const slow = new IngestPipeline(t.kernel, { ratePerSec: 20, burst: 5 });
    const b = (await startEmbeddedIngest(await freePort(), '127.0.0.1', slow, silent))!;
    const [flooder, quiet] = await seedMqttDevices(t.kernel, 2, 'devflood');
    try {
      const f = await connect(b.port, flooder!, testSecret);
      const q = await connect(b.port, quiet!, testSecret);
      const base = Date.now() - 60_000;
      const all = Promise.all(Array.from({ length: 30 }, (_, i) => f.publishAsync(topic(flooder!), reading(i, base + i), { qos: 1 })));
      await new Promise((r) => setTimeout(r, 100));
      await q.publishAsync(topic(quiet!), reading(1, base), { qos: 1 });
      // the quiet device's message is stored while the flooder is still being held back
      expect(await countRaw(t.kernel, quiet!)).toBe(1);
      expect(await countRaw(t.kernel, flooder!)).toBeLessThan(30);
      await all;
      // every message the flooder sent was acknowledged after it was stored: none dropped
      expect(await countRaw(t.kernel, flooder!)).toBe(30);
      expect(slow.stats.rejected).toBe(0);
      await f.endAsync();
      await q.endAsync();
    } finally {
      await b.close();
      await slow.close();
    }
  });

  it('acknowledges bad payloads without storing them or dropping the connection', async () => {
    const c = await connect(broker.port, ids[2]!, testSecret);
    const rejected = pipeline.stats.rejected;
    await c.publishAsync(topic(ids[2]!), '{not json', { qos: 1 });
    await c.publishAsync(topic(ids[2]!), JSON.stringify({ values: { nope: 1 } }), { qos: 1 });
    await c.publishAsync(topic(ids[2]!), reading(1), { qos: 1 });
    expect(c.connected).toBe(true);
    expect(pipeline.stats.rejected).toBe(rejected + 2);
    expect(await countRaw(t.kernel, ids[2]!)).toBe(1);
    await c.endAsync();
  });

  it("Linli's internal client may publish and subscribe anywhere", async () => {
    const c = await connect(broker.port, broker.internal.username, broker.internal.password);
    const g = await c.subscribeAsync('linli/v1/devices/+/cmd', { qos: 1 });
    expect(g[0]!.qos).toBe(1);
    await expect(connect(broker.port, broker.internal.username, 'guess')).rejects.toMatchObject({ code: 4 });
    await c.endAsync();
  });

  it('stores a device uplink without routing it to subscribers; other topics are routed', async () => {
    const watcher = await connect(broker.port, broker.internal.username, broker.internal.password);
    const seen: string[] = [];
    watcher.on('message', (tp) => seen.push(tp));
    await watcher.subscribeAsync('#', { qos: 1 });
    const before = await countRaw(t.kernel, ids[1]!);
    const c = await connect(broker.port, ids[1]!, testSecret);
    await c.subscribeAsync(`linli/v1/devices/${ids[1]}/cmd`, { qos: 1 });
    const got = new Promise<string>((r) => c.once('message', (_tp, payload) => r(payload.toString())));
    await c.publishAsync(topic(ids[1]!), reading(7), { qos: 1 }); // acknowledged
    await c.publishAsync(topic(ids[1]!), reading(8, Date.now() + 1), { qos: 0 }); // no acknowledgement: wait for it
    for (let i = 0; i < 50 && (await countRaw(t.kernel, ids[1]!)) < before + 2; i++) await pipeline.flush().then(() => new Promise((r) => setTimeout(r, 20)));
    expect(await countRaw(t.kernel, ids[1]!)).toBe(before + 2);
    await watcher.publishAsync(`linli/v1/devices/${ids[1]}/cmd`, 'open', { qos: 1 });
    expect(await got).toBe('open');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([`linli/v1/devices/${ids[1]}/cmd`]); // the command, not the uplink
    await c.endAsync();
    await watcher.endAsync();
  });
});

describeEachDialect('MQTT auth and ACL endpoints for external brokers', (dialect) => {
  let tdb: TestDatabase;
  let kernel: Kernel;
  let pipeline: IngestPipeline;
  let ids: string[];
  const apps: App[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
    const first = await appWith(null);
    kernel = first.kernel;
    pipeline = ingestPipeline(kernel);
    ids = await seedMqttDevices(kernel, 2, 'devhttp');
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await tdb?.drop();
  });

  /** the real app (gate, rate limit, hygiene) with the routes registered as devices' register() will */
  async function appWith(secret: string | null) {
    const dir = tempDir();
    const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0' });
    const built = await buildApp({ config, database: tdb.database, logger: silent, rateLimit: 100000 });
    // under a prefix, so this works whether or not the devices module registers them too
    await built.app.register(
      async (scope) => registerMqttAuthRoutes(scope as unknown as App, built.kernel, { authenticate: (id, s) => pipeline.authenticate(id, s) }, { secret, service: { username: 'linli-svc', password: 'svc-pass' } }),
      { prefix: '/t' },
    );
    await built.app.ready();
    apps.push(built.app);
    const app = { inject: (o: { method: 'POST'; url: string; payload?: unknown; headers?: Record<string, string> }) => built.app.inject({ ...o, url: `/t${o.url}` } as any) };
    return { kernel: built.kernel, app };
  }

  it('EMQX: authenticates devices and Linli, authorises topics', async () => {
    const { app } = await appWith(null);
    const auth = (body: object) => app.inject({ method: 'POST', url: '/api/v1/mqtt/auth', payload: body }).then((r) => r.json());
    expect(await auth({ clientid: 'c1', username: ids[0], password: testSecret })).toEqual({ result: 'allow', is_superuser: false });
    expect(await auth({ clientid: 'c1', username: ids[0], password: 'bad' })).toEqual({ result: 'deny', is_superuser: false });
    expect(await auth({ clientid: 'c1', username: 'nobody', password: testSecret })).toEqual({ result: 'deny', is_superuser: false });
    expect(await auth({})).toEqual({ result: 'deny', is_superuser: false });
    expect(await auth({ username: 'linli-svc', password: 'svc-pass' })).toEqual({ result: 'allow', is_superuser: true });
    const acl = (body: object) => app.inject({ method: 'POST', url: '/api/v1/mqtt/acl', payload: body }).then((r) => r.json().result);
    expect(await acl({ username: ids[0], topic: topic(ids[0]!), action: 'publish' })).toBe('allow');
    expect(await acl({ username: ids[0], topic: topic(ids[1]!), action: 'publish' })).toBe('deny');
    expect(await acl({ username: ids[0], topic: `linli/v1/devices/${ids[0]}/#`, action: 'subscribe' })).toBe('allow');
    expect(await acl({ username: ids[0], topic: 'linli/v1/devices/+/telemetry', action: 'subscribe' })).toBe('deny');
    expect(await acl({ username: ids[0], topic: topic(ids[0]!), action: 'other' })).toBe('deny');
    expect(await acl({ username: 'linli-svc', topic: '$share/linli/linli/v1/devices/+/telemetry', action: 'subscribe' })).toBe('allow');
  });

  it('mosquitto-go-auth: user, superuser and acl answer 200 or 403, JSON or form', async () => {
    const { app } = await appWith(null);
    const post = (url: string, body: Record<string, string | number>, form = false) =>
      app
        .inject({
          method: 'POST',
          url: `/api/v1/mqtt/go-auth/${url}`,
          ...(form
            ? { payload: new URLSearchParams(Object.entries(body).map(([a, b]) => [a, String(b)])).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
            : { payload: body }),
        })
        .then((r) => r.statusCode);
    expect(await post('user', { username: ids[0]!, password: testSecret, clientid: 'x' })).toBe(200);
    expect(await post('user', { username: ids[0]!, password: testSecret, clientid: 'x' }, true)).toBe(200);
    expect(await post('user', { username: ids[0]!, password: 'no' }, true)).toBe(403);
    expect(await post('superuser', { username: ids[0]! })).toBe(403);
    expect(await post('superuser', { username: 'linli-svc' })).toBe(200);
    expect(await post('acl', { username: ids[0]!, topic: topic(ids[0]!), clientid: 'x', acc: 2 })).toBe(200);
    expect(await post('acl', { username: ids[0]!, topic: topic(ids[1]!), clientid: 'x', acc: 2 }, true)).toBe(403);
    expect(await post('acl', { username: ids[0]!, topic: `linli/v1/devices/${ids[0]}/#`, clientid: 'x', acc: 4 })).toBe(200);
    expect(await post('acl', { username: ids[0]!, topic: '#', clientid: 'x', acc: 4 })).toBe(403);
    expect(await post('acl', { username: ids[0]!, topic: `linli/v1/devices/${ids[0]}/cmd`, clientid: 'x', acc: 1 })).toBe(200);
    expect(await post('acl', { username: ids[0]!, topic: `linli/v1/devices/${ids[1]}/cmd`, clientid: 'x', acc: 1 })).toBe(403);
  });

  it('requires the shared secret when one is configured', async () => {
    const { app } = await appWith('broker-secret');
    const body = { username: ids[0], password: testSecret };
    const no = await app.inject({ method: 'POST', url: '/api/v1/mqtt/auth', payload: body });
    expect(no.statusCode).toBe(401);
    expect(no.json().result).toBe('deny');
    const yes = await app.inject({ method: 'POST', url: '/api/v1/mqtt/auth', payload: body, headers: { 'x-linli-mqtt-secret': 'broker-secret' } });
    expect(yes.json().result).toBe('allow');
    const q = await app.inject({ method: 'POST', url: '/api/v1/mqtt/go-auth/user?secret=broker-secret', payload: body });
    expect(q.statusCode).toBe(200);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/mqtt/go-auth/user?secret=nope', payload: body });
    expect(bad.statusCode).toBe(403);
  });
});
