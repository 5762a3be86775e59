// Who may make and change device types, over HTTP on both databases: platform-wide types are the
// platform admins'; a community's own types are its property managers', seen and used only there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';

const body = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  nameZh: '水箱液位计',
  nameEn: 'Tank level',
  telemetry: [{ key: 'level', unit: 'm', zh: '液位', en: 'Level' }],
  ...extra,
});

describeEachDialect('device types: platform-wide and per community', (dialect) => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  let pm: Client; // property manager of c1
  let pm2: Client; // property manager of c2

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'dt_admin', 'platform_admin', null);
    await buildStaff(t.kernel, 'dt_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'dt_pm2', 'property_manager', w.c2);
    admin = await login(t.app, 'dt_admin', PASSWORD);
    pm = await login(t.app, 'dt_pm', PASSWORD);
    pm2 = await login(t.app, 'dt_pm2', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('a property manager cannot create or change a platform-wide type', async () => {
    const r = await pm.post('/api/v1/device-types', body('tank_level'));
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 'devices.type_platform_only', title: '平台通用设备类型只能由平台管理员创建或修改' });
    expect((await pm.get('/api/v1/device-types')).json.items.map((x: any) => x.code)).not.toContain('tank_level');
    const pump = (await pm.get('/api/v1/device-types')).json.items.find((x: any) => x.code === 'water_pump');
    expect(pump).toMatchObject({ platformWide: true, communityId: null });
    const change = await pm.req('PATCH', `/api/v1/device-types/${pump.id}`, { heartbeatS: 10 }, { 'accept-language': 'en' });
    expect(change.status).toBe(403);
    expect(change.json.title).toBe('Only a platform administrator may create or change a platform-wide device type');
    expect((await pm.get('/api/v1/device-types')).json.items.find((x: any) => x.code === 'water_pump').heartbeatS).toBe(pump.heartbeatS);
    // the platform admin may do both, and every community sees the result
    const made = await admin.post('/api/v1/device-types', body('tank_level'));
    expect(made.status, made.body).toBe(201);
    expect(made.json).toMatchObject({ platformWide: true });
    expect((await admin.patch(`/api/v1/device-types/${made.json.id}`, { nameEn: 'Water tank level' })).json.nameEn).toBe('Water tank level');
    expect((await pm2.get('/api/v1/device-types')).json.items.map((x: any) => x.code)).toContain('tank_level');
  });

  it('a property manager creates and changes a type for their own community; it exists nowhere else', async () => {
    const mine = await pm.post('/api/v1/device-types', body('c1_boiler', { communityId: w.c1.id }));
    expect(mine.status, mine.body).toBe(201);
    expect(mine.json).toMatchObject({ code: 'c1_boiler', communityId: w.c1.id, platformWide: false });
    const renamed = await pm.patch(`/api/v1/device-types/${mine.json.id}`, { nameZh: '锅炉房液位计', heartbeatS: 300 });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ nameZh: '锅炉房液位计', heartbeatS: 300 });
    const dev = await pm.post('/api/v1/devices', { typeCode: 'c1_boiler', placeId: w.estate1.id, name: '锅炉房' });
    expect(dev.status, dev.body).toBe(201);
    // the other community: not listed, not changeable (404), not usable (an unknown type), not creatable for c1
    expect((await pm2.get('/api/v1/device-types')).json.items.map((x: any) => x.code)).not.toContain('c1_boiler');
    expect((await pm2.patch(`/api/v1/device-types/${mine.json.id}`, { nameZh: 'x' })).status).toBe(404);
    const there = await pm2.post('/api/v1/devices', { typeCode: 'c1_boiler', placeId: w.estate2.id, name: '借用' });
    expect(there.status).toBe(422);
    expect(there.json.errors[0]).toMatchObject({ field: 'typeCode', code: 'devices.type_unknown' });
    expect((await pm2.post('/api/v1/device-types', body('c1_other', { communityId: w.c1.id }))).status).toBe(404);
    // a device of that type cannot be moved out of the community either (admin reaches both)
    const moved = await admin.patch(`/api/v1/devices/${dev.json.id}`, { placeId: w.estate2.id });
    expect(moved.status).toBe(422);
    expect((await admin.get(`/api/v1/devices/${dev.json.id}`)).json.placeId).toBe(w.estate1.id);
    // codes stay unique across the platform
    expect((await pm2.post('/api/v1/device-types', body('c1_boiler', { communityId: w.c2.id }))).status).toBe(409);
  });
});
