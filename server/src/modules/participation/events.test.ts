import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { eventually } from '../../test/wait.js';

const T0 = '2026-11-25T02:00:00.000Z';

describeEachDialect('participation: events', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let staff: Client, staffC2: Client, a: Client, b: Client, c: Client, outsider: Client;
  const rid: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const people = [
      ['a', w.house1, '13900005001', w.c1],
      ['b', w.house1b, '13900005002', w.c1],
      ['c', w.house1b, '13900005003', w.c1],
      ['o', w.house2, '13900005004', w.c2],
    ] as const;
    for (const [k, h, phone, cm] of people) {
      const r = await buildResident(t.kernel, h, { name: `居民${k}`, phone });
      await buildResidentUser(t.kernel, r, cm);
      rid[k] = r.id;
    }
    await buildStaff(t.kernel, 'ev_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'ev_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'ev_staff', PASSWORD);
    staffC2 = await login(t.app, 'ev_staff2', PASSWORD);
    a = await loginResident(t.app, '13900005001', PASSWORD);
    b = await loginResident(t.app, '13900005002', PASSWORD);
    c = await loginResident(t.app, '13900005003', PASSWORD);
    outsider = await loginResident(t.app, '13900005004', PASSWORD);
  });
  afterAll(async () => t?.close());

  const event = async (capacity: number) => {
    const res = await staff.post('/api/v1/events', {
      communityId: w.c1.id,
      title: '垃圾分类志愿活动',
      location: '社区广场',
      capacity,
      startsAt: new Date(Date.parse(T0) + 600_000).toISOString(),
      endsAt: new Date(Date.parse(T0) + 3 * 3600_000).toISOString(),
      organiser: { kind: 'volunteer_team', name: '花家地志愿者服务队' },
    });
    expect(res.status, res.body).toBe(201);
    return res.json.id as string;
  };

  it('fills the seats, then the waiting list, and moves the first waiting resident up on a cancellation', async () => {
    const id = await event(1);
    expect((await a.post(`/api/v1/events/${id}/register`)).json.status).toBe('registered');
    expect((await b.post(`/api/v1/events/${id}/register`)).json.status).toBe('waitlisted');
    expect((await c.post(`/api/v1/events/${id}/register`)).json.status).toBe('waitlisted');
    expect((await a.post(`/api/v1/events/${id}/register`)).status).toBe(409);
    expect((await outsider.post(`/api/v1/events/${id}/register`)).status).toBe(404);
    expect((await b.get(`/api/v1/events/${id}/ticket`)).json.code).toBe('events.waitlisted_ticket');
    const cancel = await a.post(`/api/v1/events/${id}/unregister`);
    expect(cancel.json.promotedResidentId).toBe(rid.b);
    expect((await b.get(`/api/v1/events/${id}`)).json.myStatus).toBe('registered');
    expect((await c.get(`/api/v1/events/${id}`)).json.myStatus).toBe('waitlisted');
    const inbox = await b.get('/api/v1/notifications');
    expect(inbox.json.items.some((n: any) => n.link === `/portal/participation/events/${id}`)).toBe(true);
    const regs = await staff.get(`/api/v1/events/${id}/registrations`);
    expect(regs.json.items.map((r: any) => [r.residentName, r.status])).toEqual([
      ['居民a', 'cancelled'],
      ['居民b', 'registered'],
      ['居民c', 'waitlisted'],
    ]);
  });

  it('gives one seat to one of two residents registering at once for the last seat', async () => {
    const id = await event(1);
    const [x, y] = await Promise.all([a.post(`/api/v1/events/${id}/register`), b.post(`/api/v1/events/${id}/register`)]);
    expect([x.json.status, y.json.status].sort()).toEqual(['registered', 'waitlisted']);
  });

  it('checks in by signed ticket once, refuses forged or foreign tickets, records volunteer hours and credits points', async () => {
    const id = await event(5);
    await c.post(`/api/v1/events/${id}/register`);
    const ticket = (await c.get(`/api/v1/events/${id}/ticket`)).json.token as string;
    const forged = ticket.slice(0, -3) + (ticket.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await staff.post(`/api/v1/events/${id}/check-in`, { token: forged })).json.code).toBe('events.bad_ticket');
    const other = await event(5);
    expect((await staff.post(`/api/v1/events/${other}/check-in`, { token: ticket })).status).toBe(422);
    expect((await staffC2.post(`/api/v1/events/${id}/check-in`, { token: ticket })).status).toBe(404);
    expect((await c.post(`/api/v1/events/${id}/check-in`, { token: ticket })).status).toBe(403);
    expect((await staff.post(`/api/v1/events/${id}/hours`, { residentId: rid.a, hours: 2 })).status).toBe(422);

    const first = await staff.post(`/api/v1/events/${id}/check-in`, { token: ticket });
    expect(first.status).toBe(200);
    expect(first.json.checkedInAt).toBeTruthy();
    expect((await staff.post(`/api/v1/events/${id}/check-in`, { token: ticket })).status).toBe(200);
    // attend: 10 points once
    await eventually(async () => (await c.get('/api/v1/points/me')).json.balance === 10);
    const h = await staff.post(`/api/v1/events/${id}/hours`, { residentId: rid.c, hours: 2.5 });
    expect(h.json.volunteerHours).toBe(2.5);
    // volunteer: 10 per hour → 25
    await eventually(async () => (await c.get('/api/v1/points/me')).json.balance === 35);
    // the repeated check-in came before the hours: the volunteer credit (observed above) is the
    // later event, so whatever the repeat caused has been credited by now
    const me = (await c.get('/api/v1/points/me')).json;
    expect(me.ledger.map((l: any) => [l.component, l.action, l.delta]).sort()).toEqual([
      ['events', 'attend', 10],
      ['events', 'volunteer', 25],
    ]);
  });

  it('follows the community settings declared by the components (no waiting list; household surveys by default)', async () => {
    const list = await staff.get(`/api/v1/participation/settings?communityId=${w.c1.id}`);
    expect(list.json.items.find((c: any) => c.component === 'events').settings).toEqual([
      expect.objectContaining({ key: 'waitingList', value: true, default: true }),
    ]);
    expect(
      (await staff.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'events', key: 'waitingList', value: 'no' })).status,
    ).toBe(422);
    expect((await staff.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'events', key: 'nope', value: true })).status).toBe(
      422,
    );
    expect(
      (await staffC2.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'events', key: 'waitingList', value: false })).status,
    ).toBe(404);
    const set = await staff.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'events', key: 'waitingList', value: false });
    expect(set.status, set.body).toBe(200);
    const id = await event(1);
    expect((await a.post(`/api/v1/events/${id}/register`)).json.status).toBe('registered');
    const full = await b.post(`/api/v1/events/${id}/register`);
    expect(full.status).toBe(409);
    expect(full.json.code).toBe('events.full');

    await staff.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'surveys', key: 'defaultPer', value: 'household' });
    const s = await staff.post('/api/v1/surveys', { communityId: w.c1.id, title: 'x', questions: [{ id: 'q1', type: 'text', title: 'x' }] });
    expect(s.json.per).toBe('household');
  });
});
