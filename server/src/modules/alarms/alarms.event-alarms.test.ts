// Event alarms (raiseDeviceEventAlarm / clearDeviceEventAlarm): raised by a device event through
// the built-in event rules of migration 0014, one open alarm per (device, event kind), the same
// lifecycle, audit and live-feed notification as telemetry alarms, on a real database.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { login, type Client } from '../../test/session.js';
import { createDevice } from '../devices/index.js';
import { raiseDeviceEventAlarm, clearDeviceEventAlarm } from './index.js';
import { validateDefinition } from './alarms.rules.js';

describeEachDialect('event alarms', (dialect) => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  let pm1: Client;
  let guard1: Client;
  let pm2: Client;
  let ctl: { id: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'ev_admin', 'platform_admin', null);
    await buildStaff(t.kernel, 'ev_pm1', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'ev_guard1', 'security_guard', w.c1);
    await buildStaff(t.kernel, 'ev_pm2', 'property_manager', w.c2);
    admin = await login(t.app, 'ev_admin', PASSWORD);
    pm1 = await login(t.app, 'ev_pm1', PASSWORD);
    guard1 = await login(t.app, 'ev_guard1', PASSWORD);
    pm2 = await login(t.app, 'ev_pm2', PASSWORD);
    ctl = await createDevice(t.kernel, { typeCode: 'door_controller', placeId: w.estate1.id, name: '北门控制器' });
  });
  afterAll(async () => t?.close());

  it('the event rule type is validated like the others', () => {
    expect(validateDefinition({ type: 'event', event: 'door_forced', severity: 'critical' })).toEqual([]);
    expect(
      validateDefinition({ type: 'event', event: 'bad key!', severity: 'loud', x: 1 })
        .map((e) => e.field)
        .sort(),
    ).toEqual(['definition.event', 'definition.severity', 'definition.x']);
  });

  it('a forced door opens one alarm (a repeat opens no second), shown in the API, notified, audited', async () => {
    const a = await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_forced', details: { place: '北门' } });
    expect(a).toMatchObject({ created: true });
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_forced', details: { place: '北门' } })).toEqual({
      alarmId: a!.alarmId,
      created: false,
    });
    const list = await pm1.get(`/api/v1/alarms?deviceId=${ctl.id}&status=open`);
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({
      id: a!.alarmId,
      ruleCode: 'door_forced',
      ruleName: '门被强行打开',
      severity: 'critical',
      status: 'active',
      deviceName: '北门控制器',
      details: { event: 'door_forced', place: '北门' },
    });
    // the on-duty staff of that place get it in the live feed; another community's do not
    const n = (await guard1.get('/api/v1/notifications')).json.items.filter((x: any) => x.link === `/alarms/${a!.alarmId}`);
    expect(n).toHaveLength(1);
    expect(n[0]).toMatchObject({ kind: 'alarm', title: '严重告警：门被强行打开', body: '北门控制器 · 北门' });
    expect((await pm2.get(`/api/v1/alarms/${a!.alarmId}`)).status).toBe(404);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', a!.alarmId).execute();
    expect(audit.map((x) => x.action)).toEqual(['alarms.alarm.create']);
  });

  it('acknowledging and clearing work; after a clear the next event opens a new alarm', async () => {
    const open = (await pm1.get(`/api/v1/alarms?deviceId=${ctl.id}&status=open`)).json.items[0];
    expect((await pm1.post(`/api/v1/alarms/${open.id}/acknowledge`, { note: '保安已到场' })).json).toMatchObject({ status: 'acknowledged' });
    // still open (acknowledged): a repeat opens nothing new
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_forced' })).toEqual({ alarmId: open.id, created: false });
    expect((await pm1.post(`/api/v1/alarms/${open.id}/clear`, { reason: '已关门' })).json).toMatchObject({ status: 'cleared', clearReason: '已关门' });
    const again = await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_forced' });
    expect(again?.created).toBe(true);
    expect(again?.alarmId).not.toBe(open.id);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', open.id).orderBy('seq').execute();
    expect(audit.map((x) => x.action)).toEqual(['alarms.alarm.create', 'alarms.alarm.acknowledge', 'alarms.alarm.clear']);
  });

  it('the system clears an event alarm; kinds are separate; no rule → no alarm', async () => {
    const held = await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_held_open' });
    expect(held?.created).toBe(true);
    expect(await clearDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_held_open', reason: 'door_closed' })).toBe(true);
    expect(await clearDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'door_held_open' })).toBe(false);
    expect((await pm1.get(`/api/v1/alarms/${held!.alarmId}`)).json).toMatchObject({ status: 'cleared', clearReason: 'door_closed', clearedBy: null });
    // the forced-door alarm from before is untouched
    expect((await pm1.get(`/api/v1/alarms?deviceId=${ctl.id}&status=open`)).json.items.map((x: any) => x.ruleCode)).toEqual(['door_forced']);
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'no_such_event' })).toBeNull();
    const meter = await createDevice(t.kernel, { typeCode: 'water_meter', placeId: w.estate1.id, name: '水表' });
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: meter.id, event: 'door_forced' })).toBeNull();
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: 'dev_nope', event: 'door_forced' })).toBeNull();
  });

  it('a disabled event rule raises nothing', async () => {
    const rules = (await admin.get('/api/v1/alarm-rules?deviceTypeCode=door_controller')).json.items;
    const tamper = rules.find((r: any) => r.code === 'tamper');
    expect(tamper).toMatchObject({ builtIn: true, definition: { type: 'event', event: 'tamper', severity: 'critical' } });
    expect((await admin.patch(`/api/v1/alarm-rules/${tamper.id}`, { enabled: false })).status).toBe(200);
    expect(await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'tamper' })).toBeNull();
    expect((await admin.patch(`/api/v1/alarm-rules/${tamper.id}`, { enabled: true })).status).toBe(200);
    expect((await raiseDeviceEventAlarm(t.kernel, { deviceId: ctl.id, event: 'tamper' }))?.created).toBe(true);
  });
});
