// The demo simulator end to end: the demo seeded into a real app, the embedded broker on a free
// port with the app's own ingest pipeline, the simulator signing in as the demo devices with a
// fast fault rate; telemetry is stored, an elevator fault raises an alarm and opens a work order;
// a demo camera's event, published on its MQTT events topic, opens a security incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, describeEachDialect, type TestApp } from '../test/harness.js';
import { hashSecret, ingestPipeline } from '../modules/devices/index.js';
import { startEmbeddedIngest } from '../modules/devices/mqtt.transport.js';
import { freePort, waitFor } from '../modules/devices/mqtt.fixtures.js';
import type { EmbeddedBroker } from '../kernel/mqtt/broker.js';
import { seedDemo } from '../seed/seed.js';
import { demoDevicePlan, loadDemoDevices, seedDemoDevices, demoDeviceSecret } from '../modules/devices/devices.demo.js';
import { simulate, type SimulatorHandle } from './simulator.js';
import { loadDemoCameras } from './demo-cameras.js';
import { electricityMeterModel, elevatorModel, pumpModel, waterMeterModel, ELEVATOR_FAULT_CODE } from './models.js';

const silent = pino({ level: 'silent' });

describe('demo device models', () => {
  const rng = (() => {
    let s = 42;
    return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  })();
  it('meters count up monotonically; voltage stays near 220 V; a silent meter publishes nothing', () => {
    const e = electricityMeterModel('dev_e', rng);
    const w = waterMeterModel('dev_w', rng);
    let t = Date.UTC(2026, 10, 25, 0, 0, 0);
    let lastE = 0;
    let lastW = 0;
    for (let i = 0; i < 200; i++, t += 5000) {
      const ve = e.next(t, 5)!;
      const vw = w.next(t, 5)!;
      expect(ve.total).toBeGreaterThanOrEqual(lastE);
      expect(vw.total).toBeGreaterThanOrEqual(lastW);
      expect(ve.voltage).toBeGreaterThan(200);
      expect(ve.voltage).toBeLessThan(240);
      lastE = ve.total!;
      lastW = vw.total!;
    }
    expect(w.fault!('meter_silent', t, 60_000)).toBe(true);
    expect(w.next(t + 1000, 1)).toBeNull();
    expect(w.next(t + 61_000, 60)!.total).toBeGreaterThan(lastW); // kept counting while silent
  });
  it('pump pressure is about 0.3 MPa and drops below 0.15 during a fault', () => {
    const p = pumpModel('dev_p', rng);
    const t = Date.UTC(2026, 10, 25, 4, 0, 0);
    for (let i = 0; i < 50; i++) {
      const v = p.next(t + i * 5000, 5)!;
      expect(v.pressure).toBeGreaterThan(0.22);
      expect(v.pressure).toBeLessThan(0.36);
      expect(v.running).toBe(1);
    }
    p.fault!('pump_low_pressure', t, 90_000);
    for (let i = 0; i < 18; i++) expect(p.next(t + i * 5000, 5)!.pressure).toBeLessThan(0.15);
    expect(p.next(t + 95_000, 5)!.pressure).toBeGreaterThan(0.2);
  });
  it('a stuck elevator reports a fault code, speed 0, between floors; then recovers', () => {
    const el = elevatorModel('dev_l', rng);
    const t = Date.UTC(2026, 10, 25, 0, 0, 0);
    for (let i = 0; i < 20; i++) expect(el.next(t + i * 5000, 5)!.fault_code).toBe(0);
    el.fault!('elevator_stuck', t + 100_000, 30_000);
    const v = el.next(t + 105_000, 5)!;
    expect(v).toMatchObject({ speed: 0, fault_code: ELEVATOR_FAULT_CODE, door_open: 0 });
    expect(Number.isInteger(v.floor)).toBe(false);
    expect(el.next(t + 140_000, 5)!.fault_code).toBe(0);
  });
});

describeEachDialect('demo simulator on the embedded broker', (dialect) => {
  let t: TestApp;
  let broker: EmbeddedBroker;
  let sim: SimulatorHandle | null = null;
  const logged: string[] = [];
  const log = {
    info: (o: object, msg?: string) => void logged.push(JSON.stringify(o) + (msg ?? '')),
    warn: (o: object, msg?: string) => void logged.push(JSON.stringify(o) + (msg ?? '')),
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await seedDemo(t.kernel); // seeds the demo devices at its end
    const b = await startEmbeddedIngest(await freePort(), '127.0.0.1', ingestPipeline(t.kernel), silent);
    if (!b) throw new Error('embedded broker did not start');
    broker = b;
  }, 180_000);
  afterAll(async () => {
    await sim?.stop();
    await broker?.close();
    await t?.close();
  });

  it('seeds the demo devices of 花家地社区 once, with derived secrets hashed at rest', async () => {
    const plan = await demoDevicePlan(t.kernel);
    const devices = await loadDemoDevices(t.kernel);
    expect(devices.length).toBe(plan.length);
    const byType = (c: string) => devices.filter((d) => d.typeCode === c).length;
    const estates = new Set(plan.map((p) => p.name.split(' ')[0])).size;
    expect(estates).toBeGreaterThanOrEqual(2);
    expect(byType('elevator')).toBe(estates * 4);
    expect(byType('water_pump')).toBe(estates);
    expect(byType('smoke_detector')).toBe(estates * 2);
    expect(byType('env_sensor')).toBe(estates);
    expect(byType('electricity_meter')).toBe(byType('water_meter'));
    expect(byType('electricity_meter')).toBeGreaterThanOrEqual(estates * 3);
    expect(devices.map((d) => d.name)).toContain('花家地西里 1号楼 1号电梯');
    expect(await seedDemoDevices(t.kernel)).toBe(0); // idempotent
    const d = devices[0]!;
    expect(d.secret).toBe(demoDeviceSecret(t.kernel, d.id));
    const row = await t.kernel.db.selectFrom('devices').select('secret_hash').where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^sha256\$/);
    expect(row.secret_hash).not.toContain(d.secret);
    expect(await ingestPipeline(t.kernel).authenticate(d.id, d.secret)).toBe(true);
  });

  it('publishes telemetry for the demo devices; an elevator fault raises an alarm and opens a work order', async () => {
    const devices = await loadDemoDevices(t.kernel);
    sim = await simulate({
      brokerUrl: `mqtt://127.0.0.1:${broker.port}`,
      devices,
      intervalMs: 250,
      firstFaultMs: 300,
      faultEveryMs: 500,
      faultDurationMs: { elevator_stuck: 3_000, pump_low_pressure: 3_000, meter_silent: 3_000 },
      summaryEveryMs: 1_000,
      log,
    });
    expect(sim.stats.connected, logged.join('\n')).toBe(devices.length);
    const distinctDevices = async () => (await t.kernel.db.selectFrom('telemetry_raw').select('device_id').distinct().execute()).length;
    await waitFor(async () => (await distinctDevices()) >= Math.min(10, devices.length), 20_000, 100);

    const elevatorIds = new Set(devices.filter((d) => d.typeCode === 'elevator').map((d) => d.id));
    await waitFor(
      async () => {
        const orders = await t.kernel.db.selectFrom('work_orders').select(['id', 'alarm_id']).where('source', '=', 'alarm').execute();
        return orders.length > 0;
      },
      20_000,
      100,
    );
    const alarms = await t.kernel.db.selectFrom('alarms').select(['id', 'device_id', 'device_type_code', 'severity', 'last_value']).execute();
    const elevatorAlarm = alarms.find((a) => elevatorIds.has(a.device_id) && a.severity === 'critical');
    expect(elevatorAlarm).toBeTruthy();
    expect(Number(elevatorAlarm!.last_value)).toBe(ELEVATOR_FAULT_CODE);
    const order = await t.kernel.db.selectFrom('work_orders').select(['source', 'alarm_id']).where('alarm_id', '=', elevatorAlarm!.id).executeTakeFirst();
    expect(order?.source).toBe('alarm');

    // telemetry of every kind of device, with the built-in keys (each device reports on its own phase:
    // wait until every kind has reported rather than read once, which raced the slower devices under load)
    const wanted = ['floor', 'speed', 'fault_code', 'pressure', 'flow', 'total', 'voltage', 'obscuration', 'pm25', 'co2'];
    const storedKeys = async () => new Set((await t.kernel.db.selectFrom('telemetry_raw').select('key').distinct().execute()).map((r) => r.key));
    await waitFor(
      async () => {
        const keys = await storedKeys();
        return wanted.every((k) => keys.has(k));
      },
      20_000,
      100,
    ).catch(() => undefined);
    const keys = await storedKeys();
    for (const k of wanted) expect(keys).toContain(k);
    expect(sim.stats.faults[0]!.kind).toBe('elevator_stuck');
    expect(sim.stats.authFailures).toBe(0);
    const rejected = await t.kernel.db.selectFrom('devices').select(['name', 'last_error']).where('rejected_count', '>', 0).execute();
    expect(rejected).toEqual([]);

    await sim.stop();
    sim = null;
    // secrets never reach the log
    const text = logged.join('\n');
    expect(text).toContain('fault injected');
    for (const d of devices) expect(text).not.toContain(d.secret);
  }, 60_000);

  it('a demo camera posts a camera event over MQTT now and then; the incidents module opens an incident', async () => {
    const cameras = await loadDemoCameras(t.kernel);
    expect(cameras.map((c) => c.typeCode)).toEqual(['camera', 'camera', 'camera', 'camera', 'camera']);
    for (const c of cameras) expect(await ingestPipeline(t.kernel).authenticate(c.id, c.secret)).toBe(true);
    const rotatedAt = () =>
      t.kernel.db
        .selectFrom('devices')
        .select(['id', 'secret_rotated_at'])
        .where(
          'id',
          'in',
          cameras.map((c) => c.id),
        )
        .orderBy('id')
        .execute();
    const firstRotation = await rotatedAt();
    expect((await loadDemoCameras(t.kernel)).map((c) => c.id)).toEqual(cameras.map((c) => c.id));
    expect(await rotatedAt()).toEqual(firstRotation); // the derived secret is given once
    const before = (await t.kernel.db.selectFrom('incidents').select('id').execute()).map((r) => r.id);
    sim = await simulate({
      brokerUrl: `mqtt://127.0.0.1:${broker.port}`,
      devices: cameras,
      firstCameraEventMs: 200,
      cameraEventEveryMs: [60_000, 60_000], // one event in this test
      summaryEveryMs: 0,
      log,
      // the first camera (a gate: the seed's open incident there is a loitering) and the first kind (motion)
      random: () => 0.1,
    });
    expect(sim.stats.connected, logged.join('\n')).toBe(cameras.length);
    await waitFor(async () => sim!.stats.cameraEvents.length === 1, 10_000, 50);
    const sent = sim.stats.cameraEvents[0]!;
    expect(sent).toMatchObject({ deviceId: cameras[0]!.id, kind: 'motion' });
    const stored = () =>
      t.kernel.db.selectFrom('camera_events').selectAll().where('device_id', '=', sent.deviceId).where('event_key', '=', sent.eventId).executeTakeFirst();
    await waitFor(async () => !!(await stored())?.incident_id, 10_000, 100);
    const event = (await stored())!;
    expect(event).toMatchObject({ source: 'mqtt', kind: 'motion' });
    expect(before).not.toContain(event.incident_id);
    const incident = await t.kernel.db.selectFrom('incidents').selectAll().where('id', '=', event.incident_id).executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ camera_id: sent.deviceId, kind: 'motion', status: 'new' });
    expect(Number(incident.event_count)).toBe(1);
    // the camera is online from its heartbeat
    expect((await t.kernel.db.selectFrom('devices').select('status').where('id', '=', sent.deviceId).executeTakeFirstOrThrow()).status).toBe('online');
    await sim.stop();
    sim = null;
    const text = logged.join('\n');
    expect(text).toContain('camera event');
    for (const c of cameras) expect(text).not.toContain(c.secret);

    // a demo camera someone has rotated since keeps its secret and is left out
    const later = new Date(Date.now() + 1_000).toISOString();
    await t.kernel.db
      .updateTable('devices')
      .set({ secret_hash: await hashSecret('rotated-by-a-person'), secret_rotated_at: later })
      .where('id', '=', cameras[1]!.id)
      .execute();
    ingestPipeline(t.kernel).forget(cameras[1]!.id);
    expect((await loadDemoCameras(t.kernel)).map((c) => c.id)).toEqual(cameras.filter((_, i) => i !== 1).map((c) => c.id));
    expect(await ingestPipeline(t.kernel).authenticate(cameras[1]!.id, 'rotated-by-a-person')).toBe(true);
  }, 60_000);
});
