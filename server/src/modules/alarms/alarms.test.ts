// Alarm rules and alarms on a real database (SQLite and, with LINLI_TEST_PG_URL, PostgreSQL):
// the engine fed readings directly, the lifecycle through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { login, type Client } from '../../test/session.js';
import { FixedClock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import type { DomainEvent } from '../../kernel/events/index.js';
import { AlarmEngine, alarmEngine, ALARM_CLEARED, ALARM_CREATED, type AlarmCleared, type AlarmCreated } from './index.js';
import { inSchedule, validateDefinition } from './alarms.rules.js';
import { createDevice, telemetryHub, type Reading } from '../devices/index.js';
import type { RuleRow } from './alarms.repository.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { AlarmsTables } from './alarms.tables.js';
import { eventually as waitFor } from '../../test/wait.js';

const T0 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Shanghai

describe('rule definitions (pure)', () => {
  it('names the failing field of a bad definition', () => {
    const errs = validateDefinition({
      type: 'condition',
      create: { major: { condition: { key: 'p', op: '=>', value: 1 }, spec: { type: 'duration', seconds: 0 } }, huge: {} },
    });
    expect(errs.map((e) => e.field).sort()).toEqual(['definition.create.huge', 'definition.create.major.condition.op', 'definition.create.major.spec.seconds']);
    expect(
      validateDefinition({ type: 'condition', create: { minor: { condition: { any: [{ key: 'v', op: '>', value: 1, x: 1 }] } } } }).map((e) => e.field),
    ).toEqual(['definition.create.minor.condition.any.0.x']);
    expect(validateDefinition({ type: 'no_data', seconds: 300, severity: 'warning' })).toEqual([]);
  });

  it('evaluates schedules in the rule time zone, windows across midnight included', () => {
    const s = { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' };
    expect(inSchedule(s, T0)).toBe(true); // Mon 10:00
    expect(inSchedule(s, T0 + 9 * 3600_000)).toBe(false); // Mon 19:00
    expect(inSchedule(s, T0 - 2 * 86400_000)).toBe(false); // Sat 10:00
    const night = { timezone: 'Asia/Shanghai', days: [5], from: '22:00', to: '06:00' };
    expect(inSchedule(night, Date.parse('2026-11-27T15:00:00Z'))).toBe(true); // Fri 23:00
    expect(inSchedule(night, Date.parse('2026-11-27T20:00:00Z'))).toBe(true); // Sat 04:00 (Friday's night)
    expect(inSchedule(night, Date.parse('2026-11-28T20:00:00Z'))).toBe(false); // Sun 04:00
  });
});

describeEachDialect('alarms', (dialect) => {
  let t: TestApp;
  let w: World;
  let clock: FixedClock;
  let engine: AlarmEngine;
  let admin: Client;
  let pm1: Client;
  let pm2: Client;
  let pm1Id: string;
  let pm2Id: string;
  const created: DomainEvent<AlarmCreated>[] = [];
  const cleared: DomainEvent<AlarmCleared>[] = [];
  let n = 0;

  beforeAll(async () => {
    clock = new FixedClock(new Date(T0));
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    engine = alarmEngine(t.kernel)!;
    t.kernel.events.subscribe(ALARM_CREATED, (e) => void created.push(e));
    t.kernel.events.subscribe(ALARM_CLEARED, (e) => void cleared.push(e));
    await buildStaff(t.kernel, 'alarm_admin', 'platform_admin', null);
    pm1Id = (await buildStaff(t.kernel, 'alarm_pm1', 'property_manager', w.c1)).id;
    pm2Id = (await buildStaff(t.kernel, 'alarm_pm2', 'property_manager', w.c2)).id;
    admin = await login(t.app, 'alarm_admin', PASSWORD);
    pm1 = await login(t.app, 'alarm_pm1', PASSWORD);
    pm2 = await login(t.app, 'alarm_pm2', PASSWORD);
  });
  afterAll(async () => t?.close());

  /** A fresh device id and a reading maker for it (community 1 unless told). */
  function device(typeCode: string, community: 1 | 2 = 1) {
    const id = `dev_t${++n}_${typeCode}`;
    const place = community === 1 ? w.estate1 : w.estate2;
    const comm = community === 1 ? w.c1 : w.c2;
    const r = (key: string, value: number, ts: number): Reading => ({
      deviceId: id,
      deviceTypeCode: typeCode,
      communityId: comm.id,
      placePath: place.path,
      key,
      ts,
      value,
    });
    return { id, r };
  }
  const openAlarms = (deviceId: string) =>
    tablesOf<AlarmsTables>(t.kernel.db).selectFrom('alarms').selectAll().where('device_id', '=', deviceId).where('open_key', 'is not', null).execute();
  const allAlarms = (deviceId: string) =>
    tablesOf<AlarmsTables>(t.kernel.db).selectFrom('alarms').selectAll().where('device_id', '=', deviceId).orderBy('created_at').orderBy('id').execute();

  async function addRule(typeCode: string, code: string, definition: unknown, extra: Partial<RuleRow> = {}) {
    const now = new Date().toISOString();
    const row: RuleRow = {
      id: newId('rul'),
      rule_key: extra.device_id ? `dev:${extra.device_id}:${code}` : `type:${typeCode}:${code}`,
      device_type_code: typeCode,
      device_id: null,
      place_path: '/',
      code,
      name: code,
      enabled: 1,
      definition: JSON.stringify(definition),
      schedule: null,
      create_work_order: 0,
      work_order_category: null,
      built_in: 0,
      created_at: now,
      updated_at: now,
      ...extra,
    };
    await engine.repo.insertRule(row);
    await engine.reloadRules();
    return row;
  }

  it('simple: an elevator fault opens a critical alarm, notifies staff of that community only, publishes the event; the clear condition clears it', async () => {
    const d = device('elevator');
    await engine.onReadings([d.r('fault_code', 0, T0), d.r('fault_code', 7, T0 + 1000), d.r('floor', 3, T0 + 1000)]);
    const [a] = await openAlarms(d.id);
    expect(a).toMatchObject({ severity: 'critical', status: 'active', last_value: 7, community_id: w.c1.id, started_at: new Date(T0 + 1000).toISOString() });
    expect(a.id).toMatch(/^alm_/);

    const ev = await waitFor(() => created.find((e) => e.payload.alarmId === a.id));
    expect(ev.payload).toMatchObject({
      deviceId: d.id,
      ruleName: '电梯故障',
      severity: 'critical',
      communityId: w.c1.id,
      placePath: w.estate1.path,
      createWorkOrder: true,
      workOrderCategory: 'elevator',
    });
    const ntf = await t.kernel.db.selectFrom('notifications').selectAll().where('link', '=', `/alarms/${a.id}`).execute();
    expect(ntf.map((x) => x.user_id)).toContain(pm1Id);
    expect(ntf.map((x) => x.user_id)).not.toContain(pm2Id);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('target_id', '=', a.id).execute();
    expect(audit.map((x) => x.action)).toEqual(['alarms.alarm.create']);

    await engine.onReadings([d.r('fault_code', 0, T0 + 5000)]);
    expect(await openAlarms(d.id)).toEqual([]);
    const [c] = await allAlarms(d.id);
    expect(c).toMatchObject({ status: 'cleared', clear_reason: 'condition', cleared_by: null, cleared_at: new Date(T0 + 5000).toISOString() });
    await waitFor(() => cleared.find((e) => e.payload.alarmId === a.id));
  });

  it('duration: a pump below 0.15 MPa for 60 s alarms, and the duration continues across a restart', async () => {
    const d = device('water_pump');
    await engine.onReadings([d.r('pressure', 0.1, T0), d.r('pressure', 0.12, T0 + 20_000)]);
    expect(await openAlarms(d.id)).toEqual([]);
    await engine.flush();
    // "restart": a new engine on the same database picks up the persisted duration
    const e2 = new AlarmEngine(t.kernel);
    await e2.start();
    await e2.onReadings([d.r('pressure', 0.11, T0 + 40_000)]);
    expect(await openAlarms(d.id)).toEqual([]);
    await e2.onReadings([d.r('pressure', 0.11, T0 + 60_000)]);
    const [a] = await openAlarms(d.id);
    expect(a).toMatchObject({ severity: 'major', last_value: 0.11 });
    await e2.close();

    // a reading in between that breaks the condition restarts the duration
    const d2 = device('water_pump');
    await engine.onReadings([
      d2.r('pressure', 0.1, T0),
      d2.r('pressure', 0.3, T0 + 30_000),
      d2.r('pressure', 0.1, T0 + 40_000),
      d2.r('pressure', 0.1, T0 + 90_000),
    ]);
    expect(await openAlarms(d2.id)).toEqual([]);
    await engine.onReadings([d2.r('pressure', 0.1, T0 + 100_000)]);
    expect(await openAlarms(d2.id)).toHaveLength(1);
  });

  it('repeating: three voltage readings out of range in a row; a normal reading resets the count', async () => {
    const d = device('electricity_meter');
    await engine.onReadings([
      d.r('voltage', 260, T0),
      d.r('voltage', 180, T0 + 1000),
      d.r('voltage', 220, T0 + 2000),
      d.r('voltage', 260, T0 + 3000),
      d.r('voltage', 260, T0 + 4000),
    ]);
    // other keys of the meter do not count as readings of the condition
    await engine.onReadings([d.r('energy', 1000, T0 + 4500)]);
    expect(await openAlarms(d.id)).toEqual([]);
    await engine.onReadings([d.r('voltage', 300, T0 + 5000)]);
    const [a] = await openAlarms(d.id);
    expect(a).toMatchObject({ severity: 'minor', last_value: 300 });
    await engine.onReadings([d.r('voltage', 230, T0 + 6000)]);
    expect(await openAlarms(d.id)).toEqual([]);
  });

  it('no data: the job raises a warning after 300 s of silence, and resumed data clears it', async () => {
    const d = device('water_meter');
    clock.set(new Date(T0));
    await engine.onReadings([d.r('flow', 1, T0)]);
    clock.set(new Date(T0 + 299_000));
    await engine.checkNoData();
    expect(await openAlarms(d.id)).toEqual([]);
    clock.set(new Date(T0 + 300_000));
    // through the scheduler, as in production
    const ran = await t.kernel.jobs.runDue();
    expect(ran).toContain('alarms.no-data');
    const [a] = await openAlarms(d.id);
    expect(a).toMatchObject({ severity: 'warning', started_at: new Date(T0 + 300_000).toISOString() });
    await engine.checkNoData(new Date(T0 + 400_000));
    expect(await allAlarms(d.id)).toHaveLength(1); // still one
    await engine.onReadings([d.r('flow', 2, T0 + 401_000)]);
    expect(await openAlarms(d.id)).toEqual([]);
    expect((await allAlarms(d.id))[0].clear_reason).toBe('data_resumed');
    clock.set(new Date(T0));
  });

  it('schedule: outside the hours the rule does not fire', async () => {
    await addRule(
      'env_sensor',
      'co2_office',
      {
        type: 'condition',
        create: { major: { condition: { key: 'co2', op: '>', value: 1000 } } },
        clear: { condition: { key: 'co2', op: '<=', value: 1000 } },
      },
      {
        schedule: JSON.stringify({ timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }),
      },
    );
    const d = device('env_sensor');
    const sat = T0 - 2 * 86400_000;
    await engine.onReadings([d.r('co2', 1500, sat), d.r('co2', 1600, sat + 60_000)]);
    await engine.onReadings([d.r('co2', 1500, T0 + 9 * 3600_000)]); // Monday 19:00
    expect(await allAlarms(d.id)).toEqual([]);
    await engine.onReadings([d.r('co2', 1500, T0 + 10 * 86400_000)]); // a Thursday 10:00
    expect(await openAlarms(d.id)).toHaveLength(1);
  });

  it('severity: a higher create condition upgrades the open alarm, a lower one never downgrades it', async () => {
    await addRule('boiler', 'temp', {
      type: 'condition',
      create: { warning: { condition: { key: 't', op: '>', value: 30 } }, critical: { condition: { key: 't', op: '>', value: 50 } } },
      clear: { condition: { key: 't', op: '<', value: 25 } },
    });
    const d = device('boiler');
    await engine.onReadings([d.r('t', 35, T0)]);
    const [a] = await openAlarms(d.id);
    expect(a.severity).toBe('warning');
    await engine.onReadings([d.r('t', 55, T0 + 1000)]);
    await engine.onReadings([d.r('t', 35, T0 + 2000)]);
    const all = await allAlarms(d.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: a.id, severity: 'critical', status: 'active' });
    expect(JSON.parse(all[0].details).upgradedFrom).toBe('warning');
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).orderBy('seq').execute();
    expect(audit.map((x) => x.action)).toEqual(['alarms.alarm.create', 'alarms.alarm.upgrade']);
  });

  it('one open alarm per device and rule: within a batch, and when two nodes race', async () => {
    const d = device('smoke_detector');
    await engine.onReadings([d.r('obscuration', 20, T0), d.r('obscuration', 30, T0 + 1000), d.r('obscuration', 40, T0 + 2000)]);
    expect(await allAlarms(d.id)).toHaveLength(1);

    const d2 = device('smoke_detector');
    const other = new AlarmEngine(t.kernel);
    await other.start();
    await Promise.all([engine.onReadings([d2.r('obscuration', 20, T0)]), other.onReadings([d2.r('obscuration', 25, T0 + 10)])]);
    expect(await allAlarms(d2.id)).toHaveLength(1);
    await other.close();
    // the database refuses a second open alarm outright
    const [a] = await openAlarms(d2.id);
    await expect(
      t.kernel.db
        .insertInto('alarms')
        .values({ ...a, id: newId('alm') })
        .execute(),
    ).rejects.toThrow();
  });

  it('per-device override: replaces the type rule of the same code, or switches it off', async () => {
    const quiet = device('elevator');
    const strict = device('elevator');
    await addRule(
      'elevator',
      'fault',
      { type: 'condition', create: { critical: { condition: { key: 'fault_code', op: '!=', value: 0 } } } },
      { device_id: quiet.id, place_path: w.estate1.path, enabled: 0 },
    );
    await addRule(
      'elevator',
      'door_open',
      { type: 'condition', create: { minor: { condition: { key: 'door_open', op: '==', value: 1 } } } },
      { device_id: strict.id, place_path: w.estate1.path },
    );
    await engine.onReadings([quiet.r('fault_code', 9, T0), strict.r('door_open', 1, T0)]);
    expect(await allAlarms(quiet.id)).toEqual([]);
    const [a] = await openAlarms(strict.id);
    expect(a.severity).toBe('minor'); // immediately, not after the type rule's 120 s
  });

  it('acknowledge and clear through the API, each step audited and scoped', async () => {
    const d = device('elevator');
    await engine.onReadings([d.r('fault_code', 4, T0)]);
    const [a] = await openAlarms(d.id);

    const list = await pm1.get(`/api/v1/alarms?status=open&deviceId=${d.id}`);
    expect(list.status).toBe(200);
    expect(list.json.items.map((x: any) => x.id)).toEqual([a.id]);
    expect(list.json.items[0]).toMatchObject({ ruleCode: 'fault', severity: 'critical', createWorkOrder: true });
    expect(list.json.totals).toMatchObject({ open: 1, active: 1, acknowledged: 0, bySeverity: { critical: 1, major: 0, minor: 0, warning: 0 } });
    expect((await pm1.get(`/api/v1/alarms?deviceId=${d.id}&placeId=${w.c1.id}`)).json.total).toBe(1);
    expect((await pm1.get(`/api/v1/alarms?deviceId=${d.id}&placeId=${w.estate2.id}`)).json.total).toBe(0);
    expect((await pm1.get(`/api/v1/alarms?deviceId=${d.id}&status=cleared`)).json.total).toBe(0);
    expect((await pm1.get(`/api/v1/alarms?deviceId=${d.id}&severity=minor`)).json.total).toBe(0);
    expect((await pm1.get(`/api/v1/alarms?status=bogus`)).status).toBe(422);
    expect((await pm2.get(`/api/v1/alarms?deviceId=${d.id}`)).json.items).toEqual([]);
    expect((await pm2.get(`/api/v1/alarms/${a.id}`)).status).toBe(404);
    expect((await pm2.post(`/api/v1/alarms/${a.id}/acknowledge`, {})).status).toBe(404);

    const ack = await pm1.post(`/api/v1/alarms/${a.id}/acknowledge`, { note: '已派人' });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: pm1Id, ackNote: '已派人' });
    expect((await pm1.post(`/api/v1/alarms/${a.id}/acknowledge`, {})).status).toBe(409);
    // still open: the same fault does not open a second alarm
    await engine.onReadings([d.r('fault_code', 5, T0 + 1000)]);
    expect(await allAlarms(d.id)).toHaveLength(1);

    expect((await pm1.post(`/api/v1/alarms/${a.id}/clear`, {})).status).toBe(422);
    const clr = await pm1.post(`/api/v1/alarms/${a.id}/clear`, { reason: '已修复' });
    expect(clr.status).toBe(200);
    expect(clr.json).toMatchObject({ status: 'cleared', clearedBy: pm1Id, clearReason: '已修复' });
    expect((await pm1.post(`/api/v1/alarms/${a.id}/clear`, { reason: 'again' })).status).toBe(409);
    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', a.id).orderBy('seq').execute();
    expect(audit).toEqual([
      { action: 'alarms.alarm.create', actor_id: null },
      { action: 'alarms.alarm.acknowledge', actor_id: pm1Id },
      { action: 'alarms.alarm.clear', actor_id: pm1Id },
    ]);
    await waitFor(() => cleared.find((e) => e.payload.alarmId === a.id && e.payload.by === pm1Id));

    // after a manual clear a new fault opens a new alarm
    await engine.onReadings([d.r('fault_code', 6, T0 + 2000)]);
    expect(await openAlarms(d.id)).toHaveLength(1);
    expect(await allAlarms(d.id)).toHaveLength(2);
  });

  it('rules: list, create, update with validation (422 naming the field), type rules only by a platform admin', async () => {
    const rules = await pm1.get('/api/v1/alarm-rules?deviceTypeCode=elevator&pageSize=200');
    expect(rules.status).toBe(200);
    expect(rules.json.items.map((r: any) => r.code)).toEqual(expect.arrayContaining(['fault', 'door_open']));

    const def = { type: 'condition', create: { major: { condition: { key: 'humidity', op: '>', value: 90 }, spec: { type: 'duration', seconds: 600 } } } };
    expect((await pm1.post('/api/v1/alarm-rules', { deviceTypeCode: 'env_sensor', code: 'humid', name: '湿度过高', definition: def })).status).toBe(403);
    const bad = await admin.post('/api/v1/alarm-rules', {
      deviceTypeCode: 'env_sensor',
      code: 'humid',
      name: '湿度过高',
      definition: { ...def, create: { major: { condition: { key: 'humidity', op: '=>', value: 90 } } } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: any) => e.field)).toEqual(['definition.create.major.condition.op']);
    const bad2 = await admin.post('/api/v1/alarm-rules', {
      deviceTypeCode: 'env_sensor',
      code: 'humid',
      name: 'x',
      definition: def,
      schedule: { timezone: 'Mars/Olympus', days: [8], from: '8:00', to: '18:00' },
    });
    expect(bad2.status).toBe(422);
    expect(bad2.json.errors.map((e: any) => e.field).sort()).toEqual(['schedule.days', 'schedule.from', 'schedule.timezone']);

    const ok = await admin.post('/api/v1/alarm-rules', {
      deviceTypeCode: 'env_sensor',
      code: 'humid',
      name: '湿度过高',
      definition: def,
      createWorkOrder: true,
      workOrderCategory: 'facility',
    });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ deviceTypeCode: 'env_sensor', deviceId: null, placePath: '/', enabled: true, createWorkOrder: true });
    expect((await admin.post('/api/v1/alarm-rules', { deviceTypeCode: 'env_sensor', code: 'humid', name: 'dup', definition: def })).status).toBe(409);

    // the new rule is live at once
    const d = device('env_sensor');
    await engine.onReadings([d.r('humidity', 95, T0), d.r('humidity', 95, T0 + 600_000)]);
    expect(await openAlarms(d.id)).toHaveLength(1);

    expect((await pm1.patch(`/api/v1/alarm-rules/${ok.json.id}`, { enabled: false })).status).toBe(403);
    const off = await admin.patch(`/api/v1/alarm-rules/${ok.json.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json.enabled).toBe(false);
    const d2 = device('env_sensor');
    await engine.onReadings([d2.r('humidity', 95, T0), d2.r('humidity', 95, T0 + 600_000)]);
    expect(await openAlarms(d2.id)).toEqual([]);
    const unknownKey = await admin.post('/api/v1/alarm-rules', {
      deviceTypeCode: 'env_sensor',
      code: 'humid2',
      name: 'x',
      definition: {
        ...def,
        clear: {
          condition: {
            all: [
              { key: 'humidity', op: '<', value: 80 },
              { key: 'humid', op: '<', value: 80 },
            ],
          },
        },
      },
    });
    expect(unknownKey.status).toBe(422);
    expect(unknownKey.json.errors.map((e: any) => e.field)).toEqual(['definition.clear.condition.all.1.key']);
    expect((await admin.post('/api/v1/alarm-rules', { deviceTypeCode: 'no_such_type', code: 'x', name: 'x', definition: def })).status).toBe(422);
    const badPatch = await admin.patch(`/api/v1/alarm-rules/${ok.json.id}`, { definition: { type: 'no_data', seconds: 5, severity: 'fatal' } });
    expect(badPatch.status).toBe(422);
    expect(badPatch.json.errors.map((e: any) => e.field).sort()).toEqual(['definition.seconds', 'definition.severity']);
  });

  it('per-device overrides through the API: a property manager tunes a device of the community, not one of another', async () => {
    const dev1 = await createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate1.id, name: '1号泵' });
    const dev2 = await createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate2.id, name: '2号泵' });
    const def = {
      type: 'condition',
      create: { critical: { condition: { key: 'pressure', op: '<', value: 0.2 } } },
      clear: { condition: { key: 'pressure', op: '>=', value: 0.2 } },
    };
    const own = await pm1.post('/api/v1/alarm-rules', { deviceId: dev1.id, code: 'low_pressure', name: '1号泵压力', definition: def });
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({ deviceId: dev1.id, deviceTypeCode: 'water_pump', placePath: expect.stringContaining(w.estate1.path) });
    expect((await pm1.post('/api/v1/alarm-rules', { deviceId: dev2.id, code: 'low_pressure', name: 'x', definition: def })).status).toBe(404);
    expect((await pm2.get(`/api/v1/alarm-rules/${own.json.id}`)).status).toBe(404);
    expect((await pm2.patch(`/api/v1/alarm-rules/${own.json.id}`, { enabled: false })).status).toBe(404);
    expect((await pm1.patch(`/api/v1/alarm-rules/${own.json.id}`, { name: '1号泵压力（调整）' })).status).toBe(200);

    // readings the devices module accepts (announced on its hub before storage) are evaluated by the app's engine
    const reading = (deviceId: string, value: number, ts: number, communityId: string, placePath: string): Reading => ({
      deviceId,
      deviceTypeCode: 'water_pump',
      communityId,
      placePath,
      key: 'pressure',
      ts,
      value,
    });
    const p1 = own.json.placePath as string;
    telemetryHub(t.kernel).emit('accepted', [reading(dev1.id, 0.18, T0, w.c1.id, p1)]);
    const [a] = await waitFor(async () => {
      const rows = await openAlarms(dev1.id);
      return rows.length ? rows : null;
    });
    expect(a).toMatchObject({ severity: 'critical', device_name: '1号泵' });
    const ev = await waitFor(() => created.find((e) => e.payload.alarmId === a.id));
    expect(ev.payload.deviceName).toBe('1号泵');
  });

  it("changing a rule's condition restarts its counters; late readings do not rewind a duration", async () => {
    const def = (v: number) => ({
      type: 'condition',
      create: { major: { condition: { key: 'pm25', op: '>', value: v }, spec: { type: 'duration', seconds: 60 } } },
    });
    const rule = await admin.post('/api/v1/alarm-rules', { deviceTypeCode: 'env_sensor', code: 'pm25', name: 'PM2.5 超标', definition: def(75) });
    expect(rule.status).toBe(201);
    const d = device('env_sensor');
    await engine.onReadings([d.r('pm25', 100, T0), d.r('pm25', 100, T0 + 30_000)]);
    expect((await admin.patch(`/api/v1/alarm-rules/${rule.json.id}`, { definition: def(80) })).status).toBe(200);
    await engine.onReadings([d.r('pm25', 100, T0 + 60_000)]);
    expect(await openAlarms(d.id)).toEqual([]);
    await engine.onReadings([d.r('pm25', 100, T0 + 90_000)]);
    await engine.onReadings([d.r('pm25', 10, T0 + 70_000)]); // late (an earlier batch was newer): ignored
    expect(await openAlarms(d.id)).toEqual([]);
    await engine.onReadings([d.r('pm25', 100, T0 + 120_000)]);
    expect(await openAlarms(d.id)).toHaveLength(1);
  });

  it('end to end: telemetry posted to the HTTP ingest raises the alarm and the live-feed notification', async () => {
    const dev = await createDevice(t.kernel, { typeCode: 'elevator', placeId: w.estate1.id, name: '3号楼电梯' });
    const auth = 'Basic ' + Buffer.from(`${dev.id}:${dev.secret}`).toString('base64');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/telemetry',
      headers: { authorization: auth },
      payload: { ts: clock.now().getTime(), values: { fault_code: 12, floor: 5 } },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const [a] = await waitFor(async () => {
      const rows = await openAlarms(dev.id);
      return rows.length ? rows : null;
    }, 10_000);
    expect(a).toMatchObject({ severity: 'critical', device_name: '3号楼电梯', last_value: 12 });
    // the live feed follows the alarm's commit
    const item = await waitFor(async () => (await pm1.get('/api/v1/notifications')).json.items.find((x: any) => x.link === `/alarms/${a.id}`) ?? null, 10_000);
    expect(item).toMatchObject({ kind: 'alarm', title: '严重告警：电梯故障' });
  });
});
