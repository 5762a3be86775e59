import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { getDevice, listDevices, deviceTypeKeys, ingestPipeline } from './index.js';

const T0 = new Date('2026-11-25T04:00:00.000Z');

describeEachDialect('devices', (dialect) => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  let pm: Client; // property manager of c1
  let tech: Client;
  let pm2: Client; // property manager of c2
  const clock = new FixedClock(T0);

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'dv_admin', 'platform_admin', null);
    await buildStaff(t.kernel, 'dv_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'dv_pm2', 'property_manager', w.c2);
    await buildStaff(t.kernel, 'dv_tech', 'technician', w.c1);
    admin = await login(t.app, 'dv_admin', PASSWORD);
    pm = await login(t.app, 'dv_pm', PASSWORD);
    pm2 = await login(t.app, 'dv_pm2', PASSWORD);
    tech = await login(t.app, 'dv_tech', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('lists the builtin device types with their profiles', async () => {
    const r = await tech.get('/api/v1/device-types');
    expect(r.status).toBe(200);
    const codes = r.json.items.map((x: any) => x.code);
    for (const c of ['elevator', 'water_pump', 'water_meter', 'electricity_meter', 'smoke_detector', 'env_sensor', 'camera', 'door_controller', 'gateway'])
      expect(codes).toContain(c);
    const pump = r.json.items.find((x: any) => x.code === 'water_pump');
    expect(pump.builtin).toBe(true);
    expect(pump.telemetry.find((k: any) => k.key === 'pressure')).toMatchObject({ unit: 'MPa', zh: '出水压力' });
    expect(await deviceTypeKeys(t.kernel, 'elevator')).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'speed', unit: 'm/s' })]));
    expect(await deviceTypeKeys(t.kernel, 'nope')).toBeNull();
  });

  it('lets a property manager add a type for their community; codes are unique; bad keys are refused', async () => {
    const body = {
      code: 'boiler',
      nameZh: '锅炉',
      nameEn: 'Boiler',
      heartbeatS: 300,
      telemetry: [{ key: 'temperature', unit: '°C', min: 0, max: 150, zh: '水温', en: 'Water temperature' }],
      communityId: w.c1.id,
    };
    const r = await pm.post('/api/v1/device-types', body);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ code: 'boiler', builtin: false, heartbeatS: 300 });
    expect((await pm.post('/api/v1/device-types', body)).status).toBe(409);
    const dup = await pm.post('/api/v1/device-types', { ...body, code: 'boiler2', telemetry: [body.telemetry[0], body.telemetry[0]] });
    expect(dup.status).toBe(422);
    expect((await pm.post('/api/v1/device-types', { ...body, code: 'Bad Code' })).status).toBe(422);
    expect((await pm.post('/api/v1/device-types', { ...body, code: 'boiler3', extra: 1 })).status).toBe(422);
    expect((await tech.post('/api/v1/device-types', { ...body, code: 'boiler4' })).status).toBe(403);
  });

  it('creates a device, shows its secret once and stores only a hash', async () => {
    const r = await pm.post('/api/v1/devices', { typeCode: 'water_pump', placeId: w.estate1.id, name: '1号水泵', publicArea: '北门水泵房' });
    expect(r.status).toBe(201);
    expect(r.json.id).toMatch(/^dev_/);
    expect(r.json.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.json).toMatchObject({
      typeCode: 'water_pump',
      communityId: w.c1.id,
      placeId: w.estate1.id,
      placePath: w.estate1.path,
      publicArea: '北门水泵房',
      status: 'offline',
      rejectedCount: 0,
    });
    const row = await t.kernel.db.selectFrom('devices').selectAll().where('id', '=', r.json.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^sha256\$[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(row)).not.toContain(r.json.secret);
    const detail = await tech.get(`/api/v1/devices/${r.json.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.secret).toBeUndefined();
    expect(JSON.stringify(detail.json)).not.toContain(row.secret_hash);
    expect(await ingestPipeline(t.kernel).authenticate(r.json.id, r.json.secret)).toBe(true);
    expect(await ingestPipeline(t.kernel).authenticate(r.json.id, 'wrong')).toBe(false);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('target_id', '=', r.json.id).execute();
    expect(audit.map((a) => a.action)).toContain('devices.device.create');
    expect(JSON.stringify(audit)).not.toContain(r.json.secret);
  });

  it('refuses places outside scope (404), wrong kinds and unknown types (422)', async () => {
    expect((await pm.post('/api/v1/devices', { typeCode: 'camera', placeId: w.estate2.id, name: 'x' })).status).toBe(404);
    expect((await pm.post('/api/v1/devices', { typeCode: 'camera', placeId: w.street.id, name: 'x' })).status).toBe(404);
    expect((await admin.post('/api/v1/devices', { typeCode: 'camera', placeId: w.street.id, name: 'x' })).status).toBe(422);
    expect((await pm.post('/api/v1/devices', { typeCode: 'teleporter', placeId: w.house1.id, name: 'x' })).status).toBe(422);
    expect((await pm.post('/api/v1/devices', { typeCode: 'camera', placeId: w.house1.id, name: 'x', secret: 'mine' })).status).toBe(422);
  });

  it('lists devices in scope with filters and totals; other communities are 404', async () => {
    const a = await pm.post('/api/v1/devices', { typeCode: 'elevator', placeId: w.house1.id, name: '电梯A' });
    const b = await pm2.post('/api/v1/devices', { typeCode: 'elevator', placeId: w.estate2.id, name: '电梯B' });
    expect(b.status).toBe(201);
    const list = await pm.get('/api/v1/devices?typeCode=elevator');
    expect(list.json.items.map((d: any) => d.id)).toEqual([a.json.id]);
    expect(list.json.totals).toEqual({ total: 1, online: 0, offline: 1 });
    const all = await admin.get('/api/v1/devices?typeCode=elevator');
    expect(all.json.total).toBe(2);
    const under = await admin.get(`/api/v1/devices?placeId=${w.estate1.id}`);
    expect(under.json.items.every((d: any) => d.placePath.startsWith(w.estate1.path))).toBe(true);
    expect(under.json.items.some((d: any) => d.id === a.json.id)).toBe(true);
    expect((await admin.get('/api/v1/devices?status=online')).json.total).toBe(0);
    for (const p of ['', '/telemetry', '/rejects']) expect((await pm.get(`/api/v1/devices/${b.json.id}${p}`)).status).toBe(404);
    expect((await pm.patch(`/api/v1/devices/${b.json.id}`, { name: 'x' })).status).toBe(404);
    expect((await pm.post(`/api/v1/devices/${b.json.id}/rotate-secret`)).status).toBe(404);
    expect((await tech.patch(`/api/v1/devices/${a.json.id}`, { name: 'x' })).status).toBe(403);
    expect(await getDevice(t.kernel, a.json.id)).toMatchObject({
      id: a.json.id,
      typeCode: 'elevator',
      communityId: w.c1.id,
      placePath: w.house1.path,
      status: 'offline',
      lastSeenAt: null,
    });
    expect(await getDevice(t.kernel, 'dev_nope')).toBeNull();
    expect((await listDevices(t.kernel, { typeCode: 'elevator', communityId: w.c2.id })).map((d) => d.id)).toEqual([b.json.id]);
  });

  it('updates name and place (audited), not into another community', async () => {
    const a = await pm.post('/api/v1/devices', { typeCode: 'camera', placeId: w.estate1.id, name: '摄像头' });
    const r = await pm.patch(`/api/v1/devices/${a.json.id}`, { name: '北门摄像头', placeId: w.house1.id, publicArea: null });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: '北门摄像头', placeId: w.house1.id, placePath: w.house1.path });
    expect((await pm.patch(`/api/v1/devices/${a.json.id}`, { placeId: w.house2.id })).status).toBe(404);
    expect((await pm.patch(`/api/v1/devices/${a.json.id}`, { typeCode: 'gateway' })).status).toBe(422);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', a.json.id).execute();
    expect(audit.map((x) => x.action)).toEqual(['devices.device.create', 'devices.device.update']);
  });

  it('rotates the secret: new one shown once, old one stops working, audited', async () => {
    const a = await pm.post('/api/v1/devices', { typeCode: 'gateway', placeId: w.estate1.id, name: '网关' });
    const p = ingestPipeline(t.kernel);
    expect(await p.authenticate(a.json.id, a.json.secret)).toBe(true); // cached now
    const r = await pm.post(`/api/v1/devices/${a.json.id}/rotate-secret`);
    expect(r.status).toBe(200);
    expect(r.json.secret).not.toBe(a.json.secret);
    expect(await p.authenticate(a.json.id, a.json.secret)).toBe(false);
    expect(await p.authenticate(a.json.id, r.json.secret)).toBe(true);
    // another node's pipeline (its own cache) also notices: the cache is keyed by the stored hash
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', a.json.id).execute();
    expect(audit.map((x) => x.action)).toContain('devices.device.rotate_secret');
  });

  describe('telemetry read side', () => {
    it('shows latest values, raw points and 1m/1h rollups chosen by the range', async () => {
      const a = await pm.post('/api/v1/devices', { typeCode: 'water_pump', placeId: w.estate1.id, name: '图表水泵' });
      const p = ingestPipeline(t.kernel);
      const now = T0.getTime();
      p.submit(a.json.id, 'telemetry', [
        { ts: now - 3 * 60_000, values: { pressure: 0.3, flow: 10 } },
        { ts: now - 3 * 60_000 + 10_000, values: { pressure: 0.5 } },
        { ts: now - 60_000, values: { pressure: 0.4, running: true } },
      ]);
      await p.flush();
      const d = await tech.get(`/api/v1/devices/${a.json.id}`);
      expect(d.json.status).toBe('online');
      expect(d.json.lastSeenAt).toBe(T0.toISOString());
      expect(d.json.latest.find((l: any) => l.key === 'pressure')).toMatchObject({ value: 0.4, ts: now - 60_000, unit: 'MPa', outOfRange: false });
      expect(d.json.latest.find((l: any) => l.key === 'running').value).toBe(1);

      const raw = await tech.get(`/api/v1/devices/${a.json.id}/telemetry?key=pressure&from=${now - 3_600_000}&to=${now + 1}`);
      expect(raw.json.resolution).toBe('raw');
      expect(raw.json.series[0].points.map((x: any) => x.avg)).toEqual([0.3, 0.5, 0.4]);

      const day = await tech.get(`/api/v1/devices/${a.json.id}/telemetry?key=pressure`);
      expect(day.json.resolution).toBe('1m');
      const pts = day.json.series[0].points;
      expect(pts).toHaveLength(2);
      expect(pts[0]).toMatchObject({ ts: Math.floor((now - 180_000) / 60_000) * 60_000, min: 0.3, max: 0.5, count: 2 });
      expect(pts[0].avg).toBeCloseTo(0.4);

      const month = await tech.get(`/api/v1/devices/${a.json.id}/telemetry?from=${new Date(now - 30 * 86_400_000).toISOString()}`);
      expect(month.json.resolution).toBe('1h');
      const hp = month.json.series.find((s: any) => s.key === 'pressure').points;
      expect(hp).toHaveLength(1);
      expect(hp[0]).toMatchObject({ min: 0.3, max: 0.5, count: 3 });
      expect(month.json.series.find((s: any) => s.key === 'flow').points[0]).toMatchObject({ min: 10, max: 10, count: 1 });

      expect((await tech.get(`/api/v1/devices/${a.json.id}/telemetry?from=yesterday`)).status).toBe(422);
      expect((await tech.get(`/api/v1/devices/${a.json.id}/telemetry?key=nope`)).status).toBe(422);
      expect((await tech.get(`/api/v1/devices/${a.json.id}/telemetry?resolution=5m`)).status).toBe(422);
    });
  });
});
