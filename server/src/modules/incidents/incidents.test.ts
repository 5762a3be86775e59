// Cameras (extras, masked stream credentials) and the incident workflow: transitions with actor
// and time, notes, audit, the work order, scope, and the per-community rules.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { verifyAuditChain } from '../../kernel/audit/index.js';
import { basic, buildCamera, post } from './incidents.fixtures.js';
import { maskStreamUrl } from './cameras.service.js';

const T0 = new Date('2026-11-25T02:00:00.000Z');
const HOOK = '/api/v1/incidents/camera-events';
const STREAM = 'rtsp://admin:Hik12345@192.168.1.64:554/Streaming/Channels/101';

describeEachDialect('cameras and incidents', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  let cam: { id: string; secret: string }, camC2: { id: string; secret: string };
  let guard: Client, guard2: Client, guardC2: Client, pm: Client, staff: Client, tech: Client;
  let n = 0;

  const open = async (kind = 'intrusion', c = cam) => {
    const r = await post(t.app, HOOK, basic(c.id, c.secret), JSON.stringify({ eventId: `t-${++n}`, kind }));
    expect(r.status, r.body).toBe(201);
    return r.json.incidentId as string;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    cam = await buildCamera(t.kernel, w.estate1.id, '西门摄像头');
    camC2 = await buildCamera(t.kernel, w.estate2.id, '南湖摄像头');
    for (const [u, role, place] of [
      ['in_guard', 'security_guard', w.c1],
      ['in_guard2', 'security_guard', w.c1],
      ['in_guard_c2', 'security_guard', w.c2],
      ['in_pm', 'property_manager', w.c1],
      ['in_staff', 'community_staff', w.c1],
      ['in_tech', 'technician', w.c1],
    ] as const) {
      await buildStaff(t.kernel, u, role, place);
    }
    [guard, guard2, guardC2, pm, staff, tech] = await Promise.all(
      ['in_guard', 'in_guard2', 'in_guard_c2', 'in_pm', 'in_staff', 'in_tech'].map((u) => login(t.app, u, PASSWORD)),
    );
  });
  afterAll(async () => t?.close());

  it('masks user and password of a stream address', () => {
    expect(maskStreamUrl(STREAM)).toBe('rtsp://***:***@192.168.1.64:554/Streaming/Channels/101');
    expect(maskStreamUrl('http://cam.local/live.flv?user=admin&password=secret')).toBe('http://cam.local/live.flv?user=admin&password=***');
    expect(maskStreamUrl('rtsp://192.168.1.65/stream1')).toBe('rtsp://192.168.1.65/stream1');
    expect(maskStreamUrl('not a url')).toBe('***');
  });

  it('keeps location and stream address of a camera; only those who manage cameras see the credentials', async () => {
    const res = await pm.req('PUT', `/api/v1/cameras/${cam.id}`, { location: '西门岗亭外', streamUrl: STREAM, mac: '44:19:B6:00:00:01', channel: 1 });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ location: '西门岗亭外', streamUrl: STREAM, mac: '44:19:b6:00:00:01', canManage: true });
    for (const c of [guard, tech, staff]) {
      const seen = (await c.get(`/api/v1/cameras/${cam.id}`)).json;
      expect(seen.streamUrl).toBe('rtsp://***:***@192.168.1.64:554/Streaming/Channels/101');
      expect(seen.streamMasked).toBe(true);
      const listed = (await c.get('/api/v1/cameras')).json.items.find((x: any) => x.id === cam.id);
      expect(listed.streamUrl).not.toContain('Hik12345');
    }
    expect((await guardC2.get(`/api/v1/cameras/${cam.id}`)).status).toBe(404);
    expect((await guardC2.get('/api/v1/cameras')).json.items.map((x: any) => x.id)).toEqual([camC2.id]);
    expect((await guard.req('PUT', `/api/v1/cameras/${cam.id}`, { location: 'x' })).status).toBe(403);
    // the audit log keeps the address without the password
    const audit = await t.kernel.db.selectFrom('audit_log').select('detail').where('action', '=', 'incidents.camera.update').execute();
    expect(audit.map((a) => a.detail).join()).not.toContain('Hik12345');
  });

  it('refuses a bad MAC, IP or stream address, and a MAC+channel another camera has', async () => {
    const bad = await pm.req('PUT', `/api/v1/cameras/${cam.id}`, { mac: 'zz:zz', ip: '999.1.1.1', streamUrl: 'file:///etc/passwd' });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: any) => e.field).sort()).toEqual(['ip', 'mac', 'streamUrl']);
    const second = await buildCamera(t.kernel, w.estate1.id, '东门摄像头');
    const taken = await pm.req('PUT', `/api/v1/cameras/${second.id}`, { mac: '44-19-b6-00-00-01', channel: 1 });
    expect(taken.status).toBe(422);
    expect(taken.json.errors[0].code).toBe('incidents.mac_taken');
    expect((await pm.req('PUT', `/api/v1/cameras/${second.id}`, { mac: '44-19-b6-00-00-01', channel: 2 })).status).toBe(200);
    // a device that is not a camera is not a camera here
    expect((await pm.get('/api/v1/cameras/dev_nothing')).status).toBe(404);
  });

  it('walks an incident new → investigating → resolved with a note, actor and time on every step', async () => {
    const id = await open();
    const first = (await guard.get(`/api/v1/incidents/${id}`)).json;
    expect(first.allowedActions).toEqual(expect.arrayContaining(['investigate', 'resolve', 'false_alarm', 'note', 'work_order']));
    expect(first.cameraLocation).toBe('西门岗亭外');

    clock.advance(60_000);
    const inv = await guard.post(`/api/v1/incidents/${id}/investigate`, { version: first.version });
    expect(inv.status, inv.body).toBe(200);
    expect(inv.json.status).toBe('investigating');
    // someone acting on the state they saw before: refused
    expect((await guard2.post(`/api/v1/incidents/${id}/investigate`, {})).status).toBe(409);
    expect((await guard2.post(`/api/v1/incidents/${id}/resolve`, { note: 'x', version: first.version })).json.code).toBe('incidents.version_conflict');

    const note = await guard2.post(`/api/v1/incidents/${id}/notes`, { note: '已调取录像，一名男子翻越围墙' });
    expect(note.status).toBe(201);

    const noNote = await guard.post(`/api/v1/incidents/${id}/resolve`, {});
    expect(noNote.status).toBe(422);
    expect(noNote.json.errors[0]).toMatchObject({ field: 'note', code: 'incidents.note_required' });
    clock.advance(60_000);
    const done = await guard.post(`/api/v1/incidents/${id}/resolve`, { note: '已移交派出所' });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'resolved', closedAt: clock.now().toISOString() });
    expect((await guard.post(`/api/v1/incidents/${id}/false_alarm`, { note: 'x' })).status).toBe(409);

    const detail = (await staff.get(`/api/v1/incidents/${id}`)).json;
    expect(detail.timeline.map((e: any) => [e.action, e.actorName, e.fromStatus, e.toStatus])).toEqual([
      ['open', '系统', null, 'new'],
      ['investigate', 'in_guard', 'new', 'investigating'],
      ['note', 'in_guard2', 'investigating', 'investigating'],
      ['resolve', 'in_guard', 'investigating', 'resolved'],
    ]);
    expect(detail.timeline[3]).toMatchObject({ note: '已移交派出所', at: clock.now().toISOString() });
    expect(detail.allowedActions).toEqual([]); // staff read only
    expect((await staff.post(`/api/v1/incidents/${id}/notes`, { note: 'x' })).status).toBe(403);
    expect((await guardC2.post(`/api/v1/incidents/${id}/notes`, { note: 'x' })).status).toBe(404);

    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_name']).where('target_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'incidents.incident.open',
      'incidents.incident.investigate',
      'incidents.incident.note',
      'incidents.incident.resolve',
    ]);
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
  });

  it('a closed incident takes no further events: the next one opens a new incident', async () => {
    const id = await open('tailgating');
    expect((await guard.post(`/api/v1/incidents/${id}/false_alarm`, { note: '业主忘带门卡，随家人进入' })).json.status).toBe('false_alarm');
    const next = await open('tailgating');
    expect(next).not.toBe(id);
  });

  it('lists incidents in scope with totals and filters', async () => {
    await open('loitering', camC2);
    const mine = (await guard.get('/api/v1/incidents?open=true')).json;
    expect(mine.items.every((i: any) => i.communityId === w.c1.id && ['new', 'investigating'].includes(i.status))).toBe(true);
    expect(mine.totals.resolved).toBe(1);
    expect(mine.totals.false_alarm).toBe(1);
    const theirs = (await guardC2.get('/api/v1/incidents')).json;
    expect(theirs.items.map((i: any) => i.kind)).toEqual(['loitering']);
    expect((await guard.get('/api/v1/incidents?status=evil')).status).toBe(422);
    expect((await tech.get('/api/v1/incidents')).status).toBe(403);
  });

  it('raises one work order for an incident through the work-orders module', async () => {
    const id = await open('smoke_fire');
    const res = await guard.post(`/api/v1/incidents/${id}/work-order`, { category: 'public_area', description: '西门消防栓附近冒烟，需检查线路' });
    expect(res.status, res.body).toBe(201);
    expect(res.json.workOrderId).toMatch(/^wo_/);
    expect(res.json.allowedActions).not.toContain('work_order');
    const wo = await pm.get(`/api/v1/work-orders/${res.json.workOrderId}`);
    expect(wo.status).toBe(200);
    expect(wo.json).toMatchObject({ placeId: w.estate1.id, categoryCode: 'public_area', description: '西门消防栓附近冒烟，需检查线路', source: 'staff' });
    expect(wo.json.timeline[0].actorName).toBe('in_guard');
    expect((await guard.post(`/api/v1/incidents/${id}/work-order`, {})).status).toBe(409);
    expect(res.json.timeline.at(-1)).toMatchObject({ action: 'work_order', note: wo.json.number });
  });

  it('five simultaneous work-order requests create exactly one work order', async () => {
    const id = await open('loitering');
    // the property manager's list of work orders: those raised for this incident (named in the description)
    const ordersOf = async () =>
      (await pm.get('/api/v1/work-orders?source=staff&pageSize=100')).json.items
        .filter((o: { description: string }) => o.description.includes(id))
        .map((o: { id: string }) => o.id);
    const res = await Promise.all([guard, guard2, pm, guard, guard2].map((c) => c.post(`/api/v1/incidents/${id}/work-order`, {})));
    expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(res.filter((r) => r.status === 409).every((r) => r.json.code === 'incidents.work_order_exists')).toBe(true);
    const orders = await ordersOf();
    expect(orders).toHaveLength(1);
    const seen = (await guard.get(`/api/v1/incidents/${id}`)).json;
    expect(seen).toMatchObject({ workOrderId: orders[0], workOrderPending: false });
    expect(seen.timeline.filter((e: any) => e.action === 'work_order')).toHaveLength(1);
  });

  it('a work order that cannot be created leaves the incident free for the next attempt', async () => {
    const id = await open('motion', camC2);
    const guardC2Bad = await guardC2.post(`/api/v1/incidents/${id}/work-order`, { category: 'no_such_category' });
    expect(guardC2Bad.status).toBe(422);
    expect(guardC2Bad.json.errors[0]).toMatchObject({ field: 'category', code: 'workorders.unknown_category' });
    const after = (await guardC2.get(`/api/v1/incidents/${id}`)).json;
    expect(after).toMatchObject({ workOrderId: null, workOrderPending: false });
    expect(after.allowedActions).toContain('work_order');
    const ok = await guardC2.post(`/api/v1/incidents/${id}/work-order`, {});
    expect(ok.status, ok.body).toBe(201);
    expect(ok.json.workOrderId).toMatch(/^wo_/);
  });

  it("follows the community's rules: a kind that does not open incidents is only stored; the window is configurable", async () => {
    expect((await guard.req('PUT', '/api/v1/incident-rules', { communityId: w.c1.id, rules: [{ kind: 'motion', opens: false, windowS: 60 }] })).status).toBe(
      403,
    );
    const set = await pm.req('PUT', '/api/v1/incident-rules', {
      communityId: w.c1.id,
      rules: [
        { kind: 'motion', opens: false, windowS: 60 },
        { kind: 'intrusion', opens: true, windowS: 30 },
      ],
    });
    expect(set.status, set.body).toBe(200);
    expect(set.json.rules.find((r: any) => r.kind === 'motion')).toEqual({ kind: 'motion', opens: false, windowS: 60 });
    const r = await post(t.app, HOOK, basic(cam.id, cam.secret), JSON.stringify({ eventId: 'quiet-1', kind: 'motion' }));
    expect(r.status).toBe(201);
    expect(r.json.incidentId).toBeNull();
    const a = await open('intrusion');
    clock.advance(20_000);
    expect(await open('intrusion')).toBe(a);
    clock.advance(31_000);
    expect(await open('intrusion')).not.toBe(a);
    expect((await guardC2.get(`/api/v1/incident-rules?communityId=${w.c1.id}`)).status).toBe(404);
    expect((await guardC2.get(`/api/v1/incident-rules?communityId=${w.c2.id}`)).json.rules.find((x: any) => x.kind === 'motion').opens).toBe(true);
  });
});
