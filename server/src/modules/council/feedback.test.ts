// Feedback (诉求) through the real HTTP app on SQLite and PostgreSQL: submit, triage into an
// answer, a work order or a proposal (once), deadlines flagged by the job, rating, statistics.
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from '../participation/index.js';

const T0 = '2026-11-25T02:00:00.000Z';

describeEachDialect('council feedback', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let staff: Client, staffC2: Client, pm: Client, me: Client, neighbour: Client;
  let meId = '';
  const actions: ParticipationAction[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const r = await buildResident(t.kernel, w.house1, { name: '诉求人', phone: '13933330001' });
    meId = r.id;
    await buildResidentUser(t.kernel, r, w.c1);
    const n = await buildResident(t.kernel, w.house1b, { name: '邻居', phone: '13933330002' });
    await buildResidentUser(t.kernel, n, w.c1);
    await buildStaff(t.kernel, 'fb_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'fb_staff2', 'community_staff', w.c2);
    await buildStaff(t.kernel, 'fb_pm', 'property_manager', w.c1);
    staff = await login(t.app, 'fb_staff', PASSWORD);
    staffC2 = await login(t.app, 'fb_staff2', PASSWORD);
    pm = await login(t.app, 'fb_pm', PASSWORD);
    me = await loginResident(t.app, '13933330001', PASSWORD);
    neighbour = await loginResident(t.app, '13933330002', PASSWORD);
    t.kernel.events.subscribe<ParticipationAction>(PARTICIPATION_ACTION, (ev) => void actions.push(ev.payload));
  });
  afterAll(async () => t?.close());

  const submit = async (body: Record<string, unknown> = {}) => {
    const res = await me.post('/api/v1/council/feedback', { category: 'environment', text: '小区东门垃圾桶满溢无人清理', placeId: w.estate1.id, ...body });
    expect(res.status, res.body).toBe(201);
    return res.json;
  };

  it('a resident submits; staff see it, the neighbour and another community do not', async () => {
    const f = await submit();
    expect(f.status).toBe('submitted');
    expect(f.respondBy).toBe('2026-11-28T02:00:00.000Z'); // 72 hours
    expect((await staff.get('/api/v1/council/feedback')).json.items.map((x: any) => x.id)).toContain(f.id);
    expect((await neighbour.get(`/api/v1/council/feedback/${f.id}`)).status).toBe(404);
    expect((await neighbour.get('/api/v1/council/feedback')).json.items).toHaveLength(0);
    expect((await staffC2.get(`/api/v1/council/feedback/${f.id}`)).status).toBe(404);
    expect((await me.post('/api/v1/council/feedback', { category: 'environment', text: 'x', placeId: w.estate2.id })).status).toBe(422);
    expect((await me.post('/api/v1/council/feedback', { category: 'nope', text: 'x' })).status).toBe(422);
  });

  it('photos: uploaded first, attached once, seen by staff and the author only', async () => {
    const boundary = '----linli' + crypto.randomBytes(6).toString('hex');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bin.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/council/feedback/photos',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: me.cookie, 'x-csrf-token': me.csrf },
    });
    expect(up.statusCode, up.body).toBe(201);
    const photo = up.json().id;
    const f = await submit({ photoIds: [photo] });
    expect(f.photoIds).toEqual([photo]);
    expect((await staff.get(`/api/v1/council/feedback/photos/${photo}`)).status).toBe(200);
    expect((await me.get(`/api/v1/council/feedback/photos/${photo}`)).status).toBe(200);
    expect((await neighbour.get(`/api/v1/council/feedback/photos/${photo}`)).status).toBe(404);
    expect((await staffC2.get(`/api/v1/council/feedback/photos/${photo}`)).status).toBe(404);
    expect((await me.post('/api/v1/council/feedback', { category: 'other', text: 'again', photoIds: [photo] })).status).toBe(422);
  });

  it('answer, then the resident rates once; an answered feedback cannot be handled again', async () => {
    const f = await submit({ category: 'suggestion', text: '希望增加儿童游乐设施' });
    expect((await me.post(`/api/v1/council/feedback/${f.id}/rate`, { rating: 5 })).json.code).toBe('council.feedback_not_ratable');
    const a = await staff.post(`/api/v1/council/feedback/${f.id}/answer`, { answer: '已纳入明年改造计划' });
    expect(a.status).toBe(200);
    expect(a.json.status).toBe('answered');
    expect((await pm.post(`/api/v1/council/feedback/${f.id}/answer`, { answer: 'again' })).status).toBe(409);
    const rated = await me.post(`/api/v1/council/feedback/${f.id}/rate`, { rating: 4, comment: '满意' });
    expect(rated.json.rating).toBe(4);
    expect((await me.post(`/api/v1/council/feedback/${f.id}/rate`, { rating: 1 })).json.code).toBe('council.already_rated');
    expect(JSON.stringify((await me.get('/api/v1/notifications')).json)).toContain('已纳入明年改造计划');
  });

  it('turns feedback into a work order through the work-orders module, once; the resident is credited', async () => {
    const f = await submit();
    const [r1, r2] = await Promise.all([
      staff.post(`/api/v1/council/feedback/${f.id}/work-order`, { category: 'public_area' }),
      staff.post(`/api/v1/council/feedback/${f.id}/answer`, { answer: '已处理' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const got = (await me.get(`/api/v1/council/feedback/${f.id}`)).json;
    if (r1.status === 200) {
      expect(got.status).toBe('work_order');
      const wo = await pm.get(`/api/v1/work-orders/${got.workOrderId}`);
      expect(wo.status).toBe(200);
      expect(wo.json.description).toContain(f.id);
      await expect.poll(() => actions.filter((a) => a.component === 'feedback' && a.ref === f.id && a.residentId === meId).length).toBe(1);
    }
    const f2 = await submit();
    expect((await staff.post(`/api/v1/council/feedback/${f2.id}/work-order`, { category: 'no-such' })).status).toBe(422);
    expect((await me.get(`/api/v1/council/feedback/${f2.id}`)).json.status).toBe('submitted');
  });

  it('turns feedback into a proposal in the resident’s name', async () => {
    const f = await submit({ category: 'facilities', text: '建议在2号楼前加装无障碍坡道' });
    const res = await staff.post(`/api/v1/council/feedback/${f.id}/proposal`, { title: '加装无障碍坡道' });
    expect(res.status, res.body).toBe(200);
    const p = (await me.get(`/api/v1/council/proposals/${res.json.proposalId}`)).json;
    expect(p).toMatchObject({ title: '加装无障碍坡道', authorName: '诉求人', source: 'feedback', status: 'collecting', mine: true });
  });

  it('the deadline job flags unanswered feedback and tells the staff; statistics carry no identities', async () => {
    const f = await submit({ category: 'safety', text: '楼道堆放杂物有消防隐患' });
    clock.set(new Date(Date.parse(T0) + 73 * 3_600_000));
    await t.kernel.jobs.runDue();
    // three days later: sign in again (sessions expire)
    staff = await login(t.app, 'fb_staff', PASSWORD);
    staffC2 = await login(t.app, 'fb_staff2', PASSWORD);
    me = await loginResident(t.app, '13933330001', PASSWORD);
    expect((await staff.get(`/api/v1/council/feedback/${f.id}`)).json.overdue).toBe(true);
    expect((await staff.get('/api/v1/council/feedback?overdue=true')).json.items.map((x: any) => x.id)).toContain(f.id);
    expect(JSON.stringify((await staff.get('/api/v1/notifications')).json)).toContain('楼道堆放杂物');
    const stats = (await staff.get('/api/v1/council/feedback-stats')).json;
    const safety = stats.items.find((x: any) => x.category === 'safety' && x.month === '2026-11');
    expect(safety).toMatchObject({ total: 1, handled: 0, overdue: 1 });
    const env = stats.items.find((x: any) => x.category === 'suggestion');
    expect(env).toMatchObject({ total: 1, handled: 1, rated: 1, averageRatingTenths: 40 });
    expect(JSON.stringify(stats)).not.toContain('诉求人');
    expect(JSON.stringify(stats)).not.toContain('消防');
    expect((await staffC2.get('/api/v1/council/feedback-stats')).json.items).toHaveLength(0);
    expect((await me.get('/api/v1/council/feedback-stats')).status).toBe(403);
  });
});
