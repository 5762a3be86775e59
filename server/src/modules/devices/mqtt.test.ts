// MQTT transport on the embedded broker (Aedes, on a free port), with the real ingest pipeline on
// a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import pino from 'pino';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { IngestPipeline, ingestPipeline } from './index.js';
import {
  startEmbeddedIngest,
  parseUplinkTopic,
  deviceSubscribeAllowed,
  devicePublishAllowed,
  deviceReadAllowed,
  deviceClientIdAllowed,
} from './mqtt.transport.js';
import { countRaw, freePort, seedMqttDevices, testSecret, waitFor } from './mqtt.fixtures.js';
import type { EmbeddedBroker } from '../../kernel/mqtt/broker.js';
import { eventually } from '../../test/wait.js';

const silent = pino({ level: 'silent' });
const topic = (id: string, kind = 'telemetry') => `linli/v1/devices/${id}/${kind}`;
const reading = (v: number, ts = Date.now()) => JSON.stringify({ ts, values: { v } });

function connect(port: number, username: string, password: string, extra: mqtt.IClientOptions = {}) {
  // a device's client id is bound to it (its id, or `{id}/…`)
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: username, username, password, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
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
  it("binds a device's client id to it: its id or `{id}/…`", () => {
    expect(deviceClientIdAllowed('dev_a', 'dev_a')).toBe(true);
    expect(deviceClientIdAllowed('dev_a', 'dev_a/sim')).toBe(true);
    expect(deviceClientIdAllowed('dev_a', 'dev_a/')).toBe(false);
    expect(deviceClientIdAllowed('dev_a', 'dev_ab')).toBe(false);
    expect(deviceClientIdAllowed('dev_a', 'dev_b')).toBe(false);
    expect(deviceClientIdAllowed('dev_a', '')).toBe(false);
    expect(deviceClientIdAllowed('dev_a', 'mqttjs_1234')).toBe(false);
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

  it("refuses a device that connects with another device's client id; the victim stays connected", async () => {
    const [thief, owner] = (await seedMqttDevices(t.kernel, 2, 'devsteal')) as [string, string];
    const victim = await connect(broker.port, owner, testSecret);
    const victimClosed = new Promise<void>((r) => victim.once('close', () => r()));
    // the thief's own credentials, the owner's client id: CONNACK 2 "identifier rejected"
    await expect(connect(broker.port, thief, testSecret, { clientId: owner })).rejects.toMatchObject({ code: 2 });
    await expect(connect(broker.port, thief, testSecret, { clientId: `${owner}/x` })).rejects.toMatchObject({ code: 2 });
    // a random client id (mqtt.js' default) is not bound to any device either
    await expect(connect(broker.port, thief, testSecret, { clientId: 'mqttjs_0123' })).rejects.toMatchObject({ code: 2 });
    // the victim is still connected and still stores readings (a QoS 1 PUBACK = stored)
    const before = await countRaw(t.kernel, owner);
    await victim.publishAsync(topic(owner), reading(5, Date.now() - 40_000), { qos: 1 });
    expect(await countRaw(t.kernel, owner)).toBe(before + 1);
    expect(victim.connected).toBe(true);
    // the `{id}/…` form is the device's own: a second connection of the thief's is admitted
    const second = await connect(broker.port, thief, testSecret, { clientId: `${thief}/gateway` });
    expect(second.connected).toBe(true);
    await second.endAsync();
    // the device itself reconnecting under its own id does take its old connection over
    const again = await connect(broker.port, owner, testSecret);
    await victimClosed;
    await again.endAsync();
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
      // the flooder's burst is stored: from here on it is held back
      await eventually(async () => (await countRaw(t.kernel, flooder!)) >= 5);
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
    await eventually(async () => {
      await pipeline.flush();
      return (await countRaw(t.kernel, ids[1]!)) >= before + 2;
    });
    expect(await countRaw(t.kernel, ids[1]!)).toBe(before + 2);
    await watcher.publishAsync(`linli/v1/devices/${ids[1]}/cmd`, 'open', { qos: 1 });
    expect(await got).toBe('open');
    // the watcher gets its own command after anything the broker routed before it: the uplinks were handled earlier
    await eventually(() => seen.includes(`linli/v1/devices/${ids[1]}/cmd`));
    expect(seen).toEqual([`linli/v1/devices/${ids[1]}/cmd`]); // the command, not the uplink
    await c.endAsync();
    await watcher.endAsync();
  });
});

// The HTTP auth/ACL endpoints external brokers call: mqtt.auth-routes.test.ts.
