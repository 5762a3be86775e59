// Camera events through an external broker: a private Mosquitto (free port) and the app subscribed
// with the shared subscription, as in scale-out; the event becomes an incident once, however often
// the broker delivers it. Without Mosquitto this is skipped; with LINLI_TEST_REQUIRE_ALL=1 it fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import pino from 'pino';
import { describeEachDialect, createTestApp, requireAll, tempDir, type TestApp } from '../../test/harness.js';
import { buildWorld } from '../../test/fixtures.js';
import { getDevice, ingestPipeline } from '../devices/index.js';
import { startExternalIngest } from '../devices/mqtt.transport.js';
import type { SharedSubscriber } from '../../kernel/mqtt/subscriber.js';
import { PrivateMosquitto, freePort, mosquittoBinary } from '../devices/mqtt.fixtures.js';
import { eventually } from '../../test/wait.js';
import { buildCamera } from './incidents.fixtures.js';

if (!mosquittoBinary && requireAll) throw new Error('mosquitto is required (LINLI_TEST_REQUIRE_ALL=1)');
// Skipped only on a machine without the mosquitto binary and outside CI (the line above fails
// instead under LINLI_TEST_REQUIRE_ALL=1, as CI runs).
const run = mosquittoBinary ? describeEachDialect : (name: string, _body: unknown) => it.skip(`${name} (no mosquitto)`, () => {});

run('camera events through Mosquitto', (dialect: 'sqlite' | 'postgres') => {
  let t: TestApp;
  let broker: PrivateMosquitto;
  let sub: SharedSubscriber;

  beforeAll(async () => {
    broker = new PrivateMosquitto(await freePort(), tempDir('linli-mosq-inc-'));
    await broker.start();
    t = await createTestApp(dialect);
    sub = await startExternalIngest(ingestPipeline(t.kernel), { url: broker.url, nodeId: 'inc-test', log: pino({ level: 'silent' }) });
    await sub.ready;
  });
  afterAll(async () => {
    await sub?.close();
    await t?.close();
    await broker?.stop();
  });

  it('opens one incident from a camera event published twice', async () => {
    const w = await buildWorld(t.kernel);
    const cam = await buildCamera(t.kernel, w.estate1.id, '地库入口摄像头');
    expect((await getDevice(t.kernel, cam.id))?.typeCode).toBe('camera');
    const c = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const msg = JSON.stringify({ type: 'camera_event', kind: 'tailgating', eventId: 'mosq-1' });
    await c.publishAsync(`linli/v1/devices/${cam.id}/events`, msg, { qos: 1 });
    await c.publishAsync(`linli/v1/devices/${cam.id}/events`, msg, { qos: 1 });
    // a later event of the camera: once it is stored, the second delivery has had its chance
    await c.publishAsync(`linli/v1/devices/${cam.id}/events`, JSON.stringify({ type: 'camera_event', kind: 'motion', eventId: 'mosq-after' }), { qos: 1 });
    await c.endAsync();
    const events = (key: string) =>
      t.kernel.db.selectFrom('camera_events').select('incident_id').where('device_id', '=', cam.id).where('event_key', '=', key).execute();
    await eventually(async () => (await events('mosq-after'))[0]?.incident_id, 10_000);
    await eventually(async () => (await events('mosq-1'))[0]?.incident_id, 10_000);
    const rows = await events('mosq-1');
    expect(rows).toHaveLength(1);
    const incidents = await t.kernel.db.selectFrom('incidents').selectAll().where('camera_id', '=', cam.id).where('kind', '=', 'tailgating').execute();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: rows[0]!.incident_id, kind: 'tailgating', status: 'new', camera_id: cam.id, event_count: 1 });
  });
});
