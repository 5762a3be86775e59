// The health module end to end over HTTP on a real database: contract and consent, readings from
// the portal, the clinic and a home device, every alert rule (thresholds, trend, missing,
// escalation), the alert lifecycle, consent withdrawal, audit of the doctor's views, and what a
// copy of the database shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { eventually } from '../../test/wait.js';
import { FixedClock } from '../../kernel/clock.js';
import { createDevice, ingestPipeline } from '../devices/index.js';
import { buildContract, buildHealthTeam, doctorActor, patientIdOf } from './health.fixtures.js';
import { healthOf } from './health.context.js';
import { HealthSetup } from './health.setup.js';
import { listReadings, recordReading } from './health.readings.js';

const DAY = 86_400_000;

describeEachDialect('health', (dialect) => {
  let t: TestApp;
  let w: World;
  let clock: FixedClock;
  let doctor: Client;
  let elder: Client;
  let daughter: Client;
  let staff: Client;
  let elderId: string;
  let daughterId: string;
  let patientId: string;
  let teamId: string;
  let otherDoctorId: string;

  beforeAll(async () => {
    clock = new FixedClock(new Date());
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const d1 = await buildStaff(t.kernel, 'dr_wang', 'doctor', w.c1);
    const d2 = await buildStaff(t.kernel, 'dr_li', 'doctor', w.c1);
    otherDoctorId = d2.id;
    const built = await buildHealthTeam(t.kernel, w.c1, [{ id: d1.id, name: '王医生' }], '王医生团队');
    // a second doctor of the same institution, not in the team: receives escalations only
    await new HealthSetup(t.kernel).addDoctor((await import('../../test/fixtures.js')).systemActor(), built.institution.id, { userId: d2.id, name: '李医生' });
    teamId = built.team.id;
    const e = await buildResident(t.kernel, w.house1, { name: '张大爷', birthDate: '1948-05-02', phone: '13900001001' });
    const d = await buildResident(t.kernel, w.house1, { name: '张小红', birthDate: '1978-09-09', phone: '13900001002', role: 'family' });
    elderId = e.id;
    daughterId = d.id;
    await buildResidentUser(t.kernel, e, w.c1);
    await buildResidentUser(t.kernel, d, w.c1);
    await buildStaff(t.kernel, 'hs_staff', 'community_staff', w.c1);
    doctor = await login(t.app, 'dr_wang', PASSWORD);
    elder = await loginResident(t.app, '13900001001', PASSWORD);
    daughter = await loginResident(t.app, '13900001002', PASSWORD);
    staff = await login(t.app, 'hs_staff', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('signs a contract; the resident sees it, gives consent and names family', async () => {
    const r = await doctor.post('/api/v1/health/contracts', {
      residentId: elderId,
      teamId,
      package: 'elderly',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      signedBy: 'guardian',
      guardianName: '张小红',
      conditions: ['hypertension', 'diabetes'],
    });
    expect(r.status).toBe(201);
    patientId = r.json.patientId;
    expect(r.json).toMatchObject({ status: 'active', guardianName: '张小红', teamName: '王医生团队' });
    // a second active contract is refused
    expect(
      (
        await doctor.post('/api/v1/health/contracts', {
          residentId: elderId,
          teamId,
          package: 'basic',
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          signedBy: 'self',
        })
      ).status,
    ).toBe(409);
    const renewed = await doctor.post(`/api/v1/health/contracts/${r.json.id}/renew`, { endDate: '2027-12-31' });
    expect(renewed.json).toMatchObject({ endDate: '2027-12-31', renewals: 1 });

    const mine = await elder.get('/api/v1/me/health');
    expect(mine.json).toMatchObject({ patientId, consent: false, contract: { status: 'active' } });
    expect(mine.json.household.map((m: { name: string }) => m.name)).toContain('张小红');
    expect((await elder.put('/api/v1/me/health/consent', { grant: true })).json.consent).toBe(true);
    const fam = await elder.put('/api/v1/me/health/family', { residentIds: [daughterId] });
    expect(fam.json.family).toEqual([{ residentId: daughterId, name: '张小红' }]);
    // only household members may be named
    const stranger = await buildResident(t.kernel, w.house2, { name: '外人' });
    expect((await elder.put('/api/v1/me/health/family', { residentIds: [stranger.id] })).status).toBe(422);
  });

  it('refuses implausible readings with problem+json in the user language', async () => {
    const zh = await elder.req('POST', '/api/v1/me/health/readings', { kind: 'bp', systolic: 80, diastolic: 95 }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(422);
    expect(zh.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zh.json.errors[0]).toMatchObject({ field: 'systolic', code: 'health.systolic_not_above_diastolic' });
    expect(zh.json.errors[0].message).toContain('收缩压');
    const en = await elder.req('POST', '/api/v1/me/health/readings', { kind: 'spo2', value: 101 }, { 'accept-language': 'en' });
    expect(en.json.errors[0].message).toBe('Oxygen saturation cannot exceed 100 %; check the reading');
    // mg/dL is converted; glucose needs its context when entered by hand
    expect((await elder.post('/api/v1/me/health/readings', { kind: 'glucose', unit: 'mg/dL', value: 99 })).status).toBe(422);
    const g = await elder.post('/api/v1/me/health/readings', { kind: 'glucose', unit: 'mg/dL', value: 99, context: 'fasting' });
    expect(g.json).toMatchObject({ value: 5.5, unit: 'mmol/L', level: 'normal', source: 'portal', shared: true });
  });

  it('an urgent home reading alerts the doctor, the resident and the named family at once; one open alert per rule', async () => {
    const r = await elder.post('/api/v1/me/health/readings', { kind: 'bp', systolic: 186, diastolic: 112, pulse: 88 });
    expect(r.json.level).toBe('urgent');
    const alerts = await doctor.get('/api/v1/health/alerts');
    expect(alerts.json.items).toHaveLength(1);
    expect(alerts.json.items[0]).toMatchObject({ patientName: '张大爷', rule: 'bp', severity: 'urgent', status: 'open', count: 1 });
    const n = await doctor.req('GET', '/api/v1/notifications', undefined, { 'accept-language': 'zh-CN' });
    expect(n.json.items[0].title).toBe('紧急健康预警：血压');
    expect((await elder.get('/api/v1/notifications')).json.items[0].title).toContain('家庭医生已收到提醒');
    expect((await daughter.get('/api/v1/notifications')).json.items[0].title).toContain('您关注的家人');
    // a second urgent reading bumps the same alert
    await elder.post('/api/v1/me/health/readings', { kind: 'bp', systolic: 182, diastolic: 100 });
    const again = await doctor.get('/api/v1/health/alerts');
    expect(again.json.items).toHaveLength(1);
    expect(again.json.items[0].count).toBe(2);
    // the resident sees their alert, the family their readings
    expect((await elder.get('/api/v1/me/health/alerts')).json.items[0]).toMatchObject({ rule: 'bp', severity: 'urgent' });
    const fam = await daughter.get('/api/v1/me/health/family-patients');
    expect(fam.json.items).toEqual([{ patientId, name: '张大爷' }]);
    const famReadings = await daughter.get(`/api/v1/me/health/family-patients/${patientId}/readings?kind=bp`);
    expect(famReadings.json.items.map((x: { value: number }) => x.value)).toEqual([182, 186]);
  });

  it('escalates an urgent alert nobody acknowledged, then acknowledge, snooze and close with an action', async () => {
    const h = healthOf(t.kernel);
    expect(await h.alerts.escalate(new Date(clock.now().getTime() + 5 * 60_000))).toBe(0);
    expect(await h.alerts.escalate(new Date(clock.now().getTime() + 16 * 60_000))).toBe(1);
    const li = await t.kernel.notify.list(otherDoctorId, { lang: 'en' });
    expect(li.items[0].title).toBe('Health alert unacknowledged for 15 min: blood pressure');
    // escalated once
    expect(await h.alerts.escalate(new Date(clock.now().getTime() + 30 * 60_000))).toBe(0);
    const id = (await doctor.get('/api/v1/health/alerts')).json.items[0].id;
    expect((await doctor.post(`/api/v1/health/alerts/${id}/acknowledge`)).json.status).toBe('acknowledged');
    const sn = await doctor.post(`/api/v1/health/alerts/${id}/snooze`, { minutes: 60, reason: '已电话联系，家属陪同复测' });
    expect(sn.json.snoozeReason).toBe('已电话联系，家属陪同复测');
    const closed = await doctor.post(`/api/v1/health/alerts/${id}/close`, { action: 'referral', note: '转诊至区医院心内科' });
    expect(closed.json).toMatchObject({ status: 'closed', action: 'referral', note: '转诊至区医院心内科' });
    expect((await doctor.post(`/api/v1/health/alerts/${id}/close`, { action: 'call' })).status).toBe(409);
    // a new urgent reading opens a new alert (the closed one stays closed)
    await recordReading(t.kernel, { patientId, kind: 'spo2', value: 91, source: 'device' });
    const open = await doctor.get('/api/v1/health/alerts?status=open');
    expect(open.json.items.map((a: { rule: string }) => a.rule)).toEqual(['spo2']);
  });

  it('the trend rule: three high readings in seven days', async () => {
    const now = clock.now().getTime();
    for (const [i, sys] of [145, 150, 142].entries()) {
      await doctor.post(`/api/v1/health/patients/${patientId}/readings`, {
        kind: 'bp',
        systolic: sys,
        diastolic: 88,
        takenAt: new Date(now - (3 - i) * DAY).toISOString(),
      });
    }
    const all = (await doctor.get('/api/v1/health/alerts')).json.items;
    // the urgent readings of the test before count as elevated too
    const trend = all.find((a: { rule: string }) => a.rule === 'trend_bp');
    expect(trend).toMatchObject({ severity: 'high', value: { kind: 'bp', days: 7 } });
    expect(trend.value.count).toBeGreaterThanOrEqual(3);
    // a per-patient override: the doctor raises this patient's office threshold
    const th = await doctor.put(`/api/v1/health/patients/${patientId}/thresholds`, { bpHighSys: 160, bpHighDia: 100 });
    expect(th.json).toMatchObject({ bpHighSys: 160, bpHomeHighSys: 135 });
    const r = await doctor.post(`/api/v1/health/patients/${patientId}/readings`, { kind: 'bp', systolic: 150, diastolic: 92 });
    expect(r.json.level).toBe('normal');
    const chart = await doctor.get(`/api/v1/health/patients/${patientId}/readings?kind=bp&days=90`);
    expect(chart.json.bands).toMatchObject({ high: [135, 85], officeHigh: [160, 100], urgent: [180, 110] });
  });

  it('the missing-reading rule: a contracted diabetic silent N days; a reading ends it', async () => {
    const h = healthOf(t.kernel);
    const silent = await buildResident(t.kernel, w.house1b, { name: '李奶奶', birthDate: '1945-01-01' });
    await buildContract(t.kernel, doctorActor(doctor.user.id, w.c1), teamId, silent.id, { conditions: ['diabetes'], start: '2026-01-01' });
    const pid = await patientIdOf(t.kernel, silent.id);
    await recordReading(t.kernel, { patientId: pid, kind: 'glucose', value: 6.1, context: 'fasting', source: 'device' });
    const open = () => h.repo.openAlert(pid, 'missing');
    expect(await h.alerts.checkMissing(new Date(clock.now().getTime() + 6 * DAY))).toBe(0);
    expect(await open()).toBeUndefined();
    // eight days on, this patient (and the elder of the tests before, silent too) are missing
    expect(await h.alerts.checkMissing(new Date(clock.now().getTime() + 8 * DAY))).toBeGreaterThanOrEqual(1);
    expect((await open())?.severity).toBe('high');
    expect(await h.alerts.checkMissing(new Date(clock.now().getTime() + 9 * DAY))).toBe(0); // one open per patient and rule
    await recordReading(t.kernel, { patientId: pid, kind: 'glucose', value: 6.0, context: 'fasting', source: 'device' });
    expect(await open()).toBeUndefined();
  });

  it('readings from a bound home blood-pressure monitor reach the doctor through the device pipeline', async () => {
    const dev = await createDevice(t.kernel, { typeCode: 'bp_monitor', placeId: w.house1.id, name: '张大爷血压计' });
    expect((await doctor.put(`/api/v1/health/devices/${dev.id}/binding`, { residentId: elderId })).status).toBe(200);
    const p = ingestPipeline(t.kernel);
    const ts = clock.now().getTime() + 1000;
    p.submit(dev.id, 'telemetry', { ts, values: { systolic: 200, diastolic: 118, pulse: 96 } });
    const got = await eventually(async () => (await listReadings(t.kernel, patientId, { kind: 'bp', sinceMs: ts }))[0]);
    expect(got).toMatchObject({ source: 'device', value: 200, diastolic: 118, pulse: 96, level: 'urgent' });
    // the same message again is one reading
    p.submit(dev.id, 'telemetry', { ts, values: { systolic: 200, diastolic: 118, pulse: 96 } });
    await p.flush();
    expect(await listReadings(t.kernel, patientId, { kind: 'bp', sinceMs: ts })).toHaveLength(1);
    const open = (await doctor.get('/api/v1/health/alerts?status=open')).json.items;
    expect(open.find((a: { rule: string }) => a.rule === 'bp')).toMatchObject({ severity: 'urgent', value: { source: 'device', v1: 200 } });
  });

  it('consent withdrawn: new readings no longer reach the team, the resident still sees them', async () => {
    expect((await elder.put('/api/v1/me/health/consent', { grant: false })).json.consent).toBe(false);
    const r = await elder.post('/api/v1/me/health/readings', { kind: 'temp', unit: '[degF]', value: 103 });
    expect(r.json).toMatchObject({ level: 'urgent', shared: false, value: 39.44 });
    const team = await doctor.get(`/api/v1/health/patients/${patientId}/readings?kind=temp`);
    expect(team.json.items).toEqual([]);
    expect((await doctor.get('/api/v1/health/alerts')).json.items.some((a: { rule: string }) => a.rule === 'temp')).toBe(false);
    expect((await elder.get('/api/v1/me/health/readings?kind=temp')).json.items).toHaveLength(1);
    await elder.put('/api/v1/me/health/consent', { grant: true });
  });

  it('advice and assessment reach the portal; follow-ups come due quarterly', async () => {
    expect((await doctor.post(`/api/v1/health/patients/${patientId}/notes`, { kind: 'advice', text: '低盐饮食，每日监测血压两次' })).status).toBe(201);
    clock.advance(1000);
    await doctor.post(`/api/v1/health/patients/${patientId}/notes`, { kind: 'assessment', text: '原发性高血压 2 级，控制不佳' });
    const mine = await elder.get('/api/v1/me/health/notes');
    expect(mine.json.items.map((n: { text: string }) => n.text)).toEqual(['原发性高血压 2 级，控制不佳', '低盐饮食，每日监测血压两次']);
    const f = await doctor.post(`/api/v1/health/patients/${patientId}/followups`, {
      disease: 'hypertension',
      visitDate: '2026-03-01',
      method: 'home',
      control: 'satisfied',
    });
    expect(f.json.nextDue).toBe('2026-05-30');
    const g = await doctor.post(`/api/v1/health/patients/${patientId}/followups`, {
      disease: 'diabetes',
      visitDate: '2026-03-01',
      method: 'clinic',
      control: 'unsatisfied',
    });
    expect(g.json.nextDue).toBe('2026-03-15');
    const panel = await doctor.get('/api/v1/health/patients');
    expect(panel.json.items[0]).toMatchObject({ patientId, name: '张大爷', uncontrolled: true, conditions: ['hypertension', 'diabetes'] });
    expect(panel.json.items[0].risk).toBeGreaterThan(panel.json.items[1].risk);
  });

  it("every look of the doctor is in the resident's access log; the database alone does not say whose data it is", async () => {
    expect((await doctor.get(`/api/v1/health/patients/${patientId}`)).json).toMatchObject({ name: '张大爷', age: expect.any(Number) });
    const log = await elder.get('/api/v1/me/access-log');
    const mine = log.json.items.filter((x: { action: string }) => x.action === 'health.patient.view');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].actorName).toBe('dr_wang');
    // a copy of the tables: no resident id, no clinical text in clear
    const q = t.kernel.db;
    const dump = JSON.stringify([
      await q.selectFrom('health_patients').selectAll().execute(),
      await q.selectFrom('health_readings').selectAll().execute(),
      await q.selectFrom('health_notes').selectAll().execute(),
      await q.selectFrom('health_alerts').selectAll().execute(),
      await q.selectFrom('health_viewers').selectAll().execute(),
      await q.selectFrom('health_contracts').selectAll().execute(),
      await q.selectFrom('health_followups').selectAll().execute(),
    ]);
    expect(dump).not.toContain(elderId);
    expect(dump).not.toContain(daughterId);
    expect(dump).not.toContain('低盐饮食');
    expect(dump).not.toContain('转诊至区医院');
    expect(dump).not.toContain('张小红');
    // nor do the audit entries carry the pseudonym
    const audit = JSON.stringify(await q.selectFrom('audit_log').selectAll().where('action', 'like', 'health.%').execute());
    expect(audit).not.toContain(patientId);
  });

  it('staff see aggregates only, small cells suppressed', async () => {
    const s = await staff.get(`/api/v1/health/stats?communityId=${w.c1.id}`);
    expect(s.json).toMatchObject({ minCell: 5, contracted: null, hypertension: null });
    expect((await staff.get(`/api/v1/health/patients/${patientId}`)).status).toBe(403);
    expect((await staff.get(`/api/v1/health/stats?communityId=${w.c2.id}`)).status).toBe(404);
    for (let i = 0; i < 5; i++) {
      const r = await buildResident(t.kernel, w.house1b, { name: `老人${i}`, birthDate: '1950-01-01' });
      await buildContract(t.kernel, doctorActor(doctor.user.id, w.c1), teamId, r.id, { conditions: ['hypertension'] });
    }
    const more = await staff.get(`/api/v1/health/stats?communityId=${w.c1.id}`);
    expect(more.json).toMatchObject({ contracted: 7, hypertension: 6, diabetes: null });
  });

  it('a contract ended: the team no longer reaches the patient', async () => {
    expect((await elder.post('/api/v1/me/health/contract/end', { reason: '搬家' })).json.contract).toBeNull();
    expect((await doctor.get(`/api/v1/health/patients/${patientId}`)).status).toBe(404);
    const r = await elder.post('/api/v1/me/health/readings', { kind: 'hr', value: 130 });
    expect(r.json.shared).toBe(false);
  });
});

describe('health module exports', () => {
  it('exports recordReading and listReadings for the FHIR layer', async () => {
    const m = await import('./index.js');
    expect(typeof m.recordReading).toBe('function');
    expect(typeof m.listReadings).toBe('function');
  });
});
