// Visitor passes, the access log (scope, export, retention) on a real database.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { FixedClock } from '../../kernel/clock.js';
import { anonymous } from '../../test/session.js';
import { buildDoors } from './access.fixtures.js';
import { AccessLogService } from './access.log.service.js';

const T0 = '2026-11-27T02:00:00.000Z'; // Friday 10:00 in Shanghai

describeEachDialect('access visitors and log', (dialect) => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  const clock = new FixedClock(new Date(T0));

  beforeAll(async () => {
    // the clock moves hours within a test: sessions must outlive that
    t = await createTestApp(dialect, { clock, env: { LINLI_SESSION_IDLE_MINUTES: '10080', LINLI_SESSION_MAX_HOURS: '2160' } });
    d = await buildDoors(t.kernel, t.app, 'v');
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '4242', cardFormat: 'w26' });
  });
  afterAll(async () => t?.close());

  const visit = async (link: string) => (await anonymous(t.app).req('GET', link.replace('/visit/', '/public/visits/'))).json;

  it('a resident invites a visitor: QR only inside the window, only at the pass doors, only for its uses', async () => {
    const inv = await d.c.resident.post('/api/v1/access/visitor-passes', {
      visitorName: '王阿姨',
      phone: '13800138000',
      validFrom: '2026-11-27T03:00:00Z',
      validUntil: '2026-11-27T06:00:00Z',
      pointIds: [d.gate.id, d.unitDoor.id],
      maxUses: 2,
    });
    expect(inv.status, inv.body).toBe(201);
    expect(inv.json).toMatchObject({ hostResidentId: d.me.id, issuedBy: 'resident', phone: '13800138000', uses: 0 });
    const row = await t.kernel.db.selectFrom('access_visitor_passes').selectAll().where('id', '=', inv.json.id).executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13800138000');

    // before the window: the page says so and carries no QR
    expect(await visit(inv.json.link)).toMatchObject({ state: 'not_yet_valid', token: null, visitorName: '王阿姨' });
    clock.set('2026-11-27T03:30:00.000Z');
    const page = await visit(inv.json.link);
    expect(page.state).toBe('valid');
    expect(page.hostName).toBe('李*');
    const r1 = await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: page.token });
    expect(r1.json).toMatchObject({ result: 'allow', reason: 'visitor', holderName: '王阿姨' });
    // the QR does not open the other building's … doors not on the pass
    const page2 = await visit(inv.json.link);
    expect((await d.decide({ doorId: d.gateIn.id, credentialType: 'qr', token: page2.token })).json.reason).toBe('qr_wrong_door');
    const page3 = await visit(inv.json.link);
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'qr', token: page3.token })).json.result).toBe('allow');
    const page4 = await visit(inv.json.link);
    expect(page4).toMatchObject({ state: 'used_up', token: null });
    // a token fetched before the last use cannot take a third
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: page2.token })).json.reason).toBe('pass_used_up');
    // every visit is tied to the host: the host sees it in their log
    const mine = await d.c.resident.get(`/api/v1/access/log?visitorPassId=${inv.json.id}`);
    expect(mine.json.items.filter((l: any) => l.result === 'allow')).toHaveLength(2);
    expect(mine.json.items.every((l: any) => l.residentId === d.me.id)).toBe(true);
    // and got a notification that the visitor arrived
    const inbox = await d.c.resident.get('/api/v1/notifications');
    expect(inbox.json.items.some((n: any) => n.kind === 'access.visitor' && n.title.includes('王阿姨'))).toBe(true);
    clock.set(T0);
  });

  it('refuses an expired pass, and a retry of a used event does not take a second use', async () => {
    const inv = await d.c.resident.post('/api/v1/access/visitor-passes', {
      visitorName: '快递',
      validFrom: T0,
      validUntil: '2026-11-27T03:00:00Z',
      pointIds: [d.gate.id],
      maxUses: 1,
    });
    const page = await visit(inv.json.link);
    const body = { eventId: 'vis-retry', doorId: d.gate.id, credentialType: 'qr', token: page.token };
    const a = await d.asController('POST', '/api/v1/access/decisions', body);
    const b = await d.asController('POST', '/api/v1/access/decisions', body);
    expect(a.json.result).toBe('allow');
    expect(b.json).toEqual(a.json);
    expect((await d.c.resident.get('/api/v1/access/visitor-passes')).json.items.find((p: any) => p.id === inv.json.id).uses).toBe(1);

    const later = await d.c.resident.post('/api/v1/access/visitor-passes', {
      visitorName: '钟点工',
      validFrom: T0,
      validUntil: '2026-11-27T03:00:00Z',
      pointIds: [d.gate.id],
      maxUses: 5,
    });
    const tok = (await visit(later.json.link)).token;
    clock.set('2026-11-27T03:00:00.000Z');
    expect((await visit(later.json.link)).state).toBe('expired');
    // the token's own expiry is ≤ 60 s and capped at the window: refused either way
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: tok })).json.result).toBe('deny');
    clock.set(T0);
  });

  it('checks what a resident may invite to; guards issue passes for a host; residents see only their own passes', async () => {
    // building 3's resident has no account here; the resident may not invite through another building's door
    const bad = await d.c.resident.post('/api/v1/access/visitor-passes', {
      visitorName: 'x',
      validFrom: T0,
      validUntil: '2026-11-27T03:00:00Z',
      pointIds: [d.c2gate.id],
      maxUses: 1,
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'pointIds.0', code: 'access.door_not_allowed' });
    expect(
      (
        await d.c.resident.post('/api/v1/access/visitor-passes', {
          visitorName: 'x',
          validFrom: T0,
          validUntil: '2026-12-27T03:00:00Z',
          pointIds: [d.gate.id],
          maxUses: 1,
        })
      ).json.errors[0].code,
    ).toBe('access.pass_window_too_long');
    const g = await d.c.guard.post('/api/v1/access/visitor-passes', {
      visitorName: '维修工',
      hostResidentId: d.far.id,
      validFrom: T0,
      validUntil: '2026-11-27T03:00:00Z',
      pointIds: [d.gate.id],
      maxUses: 1,
    });
    expect(g.status, g.body).toBe(201);
    expect(g.json).toMatchObject({ issuedBy: 'guard', hostResidentId: d.far.id });
    expect(
      (
        await d.c.guard.post('/api/v1/access/visitor-passes', {
          visitorName: 'x',
          validFrom: T0,
          validUntil: '2026-11-27T03:00:00Z',
          pointIds: [d.gate.id],
          maxUses: 1,
        })
      ).json.errors[0].field,
    ).toBe('hostResidentId');
    // a guard of another community cannot name a host here
    expect(
      (
        await d.c.pm2.post('/api/v1/access/visitor-passes', {
          visitorName: 'x',
          hostResidentId: d.me.id,
          validFrom: T0,
          validUntil: '2026-11-27T03:00:00Z',
          pointIds: [d.gate.id],
          maxUses: 1,
        })
      ).status,
    ).toBe(404);
    const mine = (await d.c.resident.get('/api/v1/access/visitor-passes')).json.items;
    expect(mine.every((p: any) => p.hostResidentId === d.me.id)).toBe(true);
    const today = (await d.c.guard.get('/api/v1/access/visitor-passes?today=true')).json.items;
    expect(today.map((p: any) => p.visitorName)).toContain('维修工');
    expect(today.find((p: any) => p.visitorName === '维修工').phone).toBeNull();
    // revoke: the pass stops working
    expect((await d.c.guard.post(`/api/v1/access/visitor-passes/${g.json.id}/revoke`, {})).json.status).toBe('revoked');
    expect((await visit(g.json.link)).state).toBe('revoked');
    expect((await d.c.pm2.post(`/api/v1/access/visitor-passes/${g.json.id}/revoke`, {})).status).toBe(404);
    expect((await anonymous(t.app).req('GET', '/public/visits/' + 'x'.repeat(24))).status).toBe(404);
  });

  it('log: residents see their own, staff their scope; search by door and result; a door’s last 50', async () => {
    await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '4242' });
    await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '9999' });
    const all = await d.c.guard.get('/api/v1/access/log');
    expect(all.status).toBe(200);
    expect(all.json.total).toBeGreaterThanOrEqual(2);
    const denied = await d.c.guard.get(`/api/v1/access/log?result=deny&pointId=${d.gate.id}`);
    expect(denied.json.items.length).toBeGreaterThan(0);
    expect(denied.json.items.every((l: any) => l.result === 'deny' && l.doorId === d.gate.id)).toBe(true);
    expect(denied.json.items[0].reasonText).toBeTruthy();
    const mine = await d.c.resident.get('/api/v1/access/log');
    expect(mine.json.items.length).toBeGreaterThan(0);
    expect(mine.json.items.every((l: any) => l.residentId === d.me.id)).toBe(true);
    // asking for someone else gives nothing
    expect((await d.c.resident.get(`/api/v1/access/log?residentId=${d.far.id}`)).json.items).toEqual([]);
    expect((await d.c.staff2.get('/api/v1/access/log')).json.total).toBe(0);
    const last = await d.c.guard.get(`/api/v1/access/points/${d.gate.id}/events`);
    expect(last.json.items.length).toBeGreaterThan(0);
    expect(last.json.items.length).toBeLessThanOrEqual(50);
    expect((await d.c.pm2.get(`/api/v1/access/points/${d.gate.id}/events`)).status).toBe(404);
  });

  it('exports the log as XLSX and audits the export; the retention job removes old entries', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/access/log/export.xlsx', headers: { cookie: d.c.pm.cookie } });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    expect(wb.worksheets[0].rowCount).toBeGreaterThan(2);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.log.export').execute();
    expect(audit).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/access/log/export.xlsx', headers: { cookie: d.c.guard.cookie } })).statusCode).toBe(403);

    const before = (await d.c.pm.get('/api/v1/access/log')).json.total;
    const svc = new AccessLogService(t.kernel);
    expect(await svc.purge(new Date('2027-01-01T00:00:00Z'))).toBe(0); // 35 days later: kept (180 by default)
    expect(await svc.purge(new Date('2027-06-01T00:00:00Z'))).toBe(before);
    expect((await d.c.pm.get('/api/v1/access/log')).json.total).toBe(0);
  });
});
