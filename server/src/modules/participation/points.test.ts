import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { verifyAuditChain } from '../../kernel/audit/index.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from './components.js';
import { PointsService } from './points.service.js';
import { eventually } from '../../test/wait.js';

const T0 = '2026-11-25T02:00:00.000Z'; // 10:00 in Shanghai

describeEachDialect('participation: points, rewards and honours', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let staff: Client, staffC2: Client, a: Client, b: Client;
  let pts: PointsService;
  const rid: Record<string, string> = {};
  const act = (residentId: string, component: string, action: string, ref: string, quantity?: number): ParticipationAction => ({
    communityId: w.c1.id,
    residentId,
    component,
    action,
    ref,
    quantity,
    at: clock.now().toISOString(),
  });
  const balance = async (c: Client) => (await c.get('/api/v1/points/me')).json.balance as number;
  const redeem = (c: Client, id: string, key = crypto.randomUUID()) => c.req('POST', `/api/v1/rewards/${id}/redeem`, {}, { 'idempotency-key': key });

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    for (const [k, h, phone] of [
      ['a', w.house1, '13900006001'],
      ['b', w.house1b, '13900006002'],
    ] as const) {
      const r = await buildResident(t.kernel, h, { name: `居民${k}`, phone });
      await buildResidentUser(t.kernel, r, w.c1);
      rid[k] = r.id;
    }
    await buildStaff(t.kernel, 'pp_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'pp_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'pp_staff', PASSWORD);
    staffC2 = await login(t.app, 'pp_staff2', PASSWORD);
    a = await loginResident(t.app, '13900006001', PASSWORD);
    b = await loginResident(t.app, '13900006002', PASSWORD);
    pts = new PointsService(t.kernel);
  });
  afterAll(async () => t?.close());

  it('credits an action once however often (and however concurrently) it arrives', async () => {
    await t.kernel.events.publish(PARTICIPATION_ACTION, act(rid.a, 'surveys', 'answer', 'svy_1'));
    await t.kernel.events.publish(PARTICIPATION_ACTION, act(rid.a, 'surveys', 'answer', 'svy_1'));
    await eventually(async () => (await balance(a)) === 5);
    const outs = await Promise.all(Array.from({ length: 6 }, () => pts.credit(act(rid.a, 'surveys', 'answer', 'svy_2'))));
    expect(outs.filter((o) => o.credited === 5)).toHaveLength(1);
    expect(outs.filter((o) => o.duplicate)).toHaveLength(5);
    expect(await balance(a)).toBe(10);
    // an action no manifest declares credits nothing
    expect((await pts.credit(act(rid.a, 'surveys', 'nonsense', 'x'))).credited).toBe(0);
  });

  it('stops at the daily cap and starts again the next day', async () => {
    // surveys/answer: 5 points, cap 20 a day; 10 already today
    const got = [];
    for (let i = 3; i <= 6; i++) got.push((await pts.credit(act(rid.a, 'surveys', 'answer', `svy_${i}`))).credited);
    expect(got).toEqual([5, 5, 0, 0]);
    expect(await balance(a)).toBe(20);
    clock.advance(24 * 3600_000);
    expect((await pts.credit(act(rid.a, 'surveys', 'answer', 'svy_7'))).credited).toBe(5);
    a = await loginResident(t.app, '13900006001', PASSWORD);
    staff = await login(t.app, 'pp_staff', PASSWORD);
    staffC2 = await login(t.app, 'pp_staff2', PASSWORD);
    b = await loginResident(t.app, '13900006002', PASSWORD);
    expect(await balance(a)).toBe(25);
  });

  it('uses the community rule over the manifest default', async () => {
    const rules = await staff.get(`/api/v1/points/rules?communityId=${w.c1.id}`);
    expect(rules.json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ component: 'events', action: 'attend', points: 10, dailyCap: 30, custom: false })]),
    );
    const set = await staff.req('PUT', '/api/v1/points/rules', {
      communityId: w.c1.id,
      component: 'events',
      action: 'attend',
      points: 3,
      dailyCap: 0,
      enabled: true,
    });
    expect(set.status, set.body).toBe(200);
    expect((await pts.credit(act(rid.b, 'events', 'attend', 'evn_1'))).credited).toBe(3);
    expect(
      (await staff.req('PUT', '/api/v1/points/rules', { communityId: w.c1.id, component: 'events', action: 'nope', points: 3, dailyCap: 0, enabled: true }))
        .status,
    ).toBe(422);
    expect(
      (await staffC2.req('PUT', '/api/v1/points/rules', { communityId: w.c1.id, component: 'events', action: 'attend', points: 3, dailyCap: 0, enabled: true }))
        .status,
    ).toBe(404);
  });

  it('lets staff grant and deduct with a reason (audited), never below zero', async () => {
    const g = await staff.post('/api/v1/points/adjust', { residentId: rid.b, delta: 50, reason: '协助疫苗接种' });
    expect(g.status, g.body).toBe(200);
    expect(g.json.balance).toBe(53);
    const d = await staff.post('/api/v1/points/adjust', { residentId: rid.b, delta: -100, reason: '误发' });
    expect(d.status).toBe(409);
    expect(d.json.code).toBe('points.would_go_negative');
    expect((await staff.post('/api/v1/points/adjust', { residentId: rid.b, delta: -3, reason: '更正' })).json.balance).toBe(50);
    expect((await staffC2.post('/api/v1/points/adjust', { residentId: rid.b, delta: 5, reason: 'x' })).status).toBe(422);
    expect((await b.post('/api/v1/points/adjust', { residentId: rid.b, delta: 5, reason: 'x' })).status).toBe(403);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('action', '=', 'participation.points.adjust').execute();
    expect(audit.map((r) => JSON.parse(r.detail).reason)).toEqual(['协助疫苗接种', '更正']);
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
  });

  it('gives the last unit of stock to exactly one of concurrent redemptions; points never go negative', async () => {
    const r = await staff.post('/api/v1/rewards', { communityId: w.c1.id, name: '环保袋', cost: 20, stock: 1 });
    expect(r.status, r.body).toBe(201);
    // a has 25, b has 50: both can pay; only one unit
    const outs = await Promise.all([redeem(a, r.json.id), redeem(b, r.json.id), redeem(b, r.json.id)]);
    expect(outs.map((o) => o.status).sort()).toEqual([201, 409, 409]);
    expect((await staff.get('/api/v1/rewards')).json.items.find((x: any) => x.id === r.json.id).stock).toBe(0);
    const total = (await balance(a)) + (await balance(b));
    expect(total).toBe(75 - 20);

    // a resident with too few points for a plentiful reward: refused, nothing taken
    const big = await staff.post('/api/v1/rewards', { communityId: w.c1.id, name: '电饭煲', cost: 40, stock: 5 });
    const before = await balance(a);
    const res = await Promise.all([redeem(a, big.json.id), redeem(a, big.json.id)]);
    const ok = res.filter((x) => x.status === 201).length;
    expect(before - ok * 40).toBeGreaterThanOrEqual(0);
    expect(await balance(a)).toBe(before - ok * 40);
    expect(res.filter((x) => x.status === 409).every((x) => x.json.code === 'points.not_enough')).toBe(true);
    expect((await staff.get('/api/v1/rewards')).json.items.find((x: any) => x.id === big.json.id).stock).toBe(5 - ok);

    // a retry with the same key does not redeem twice
    const key = crypto.randomUUID();
    const first = await redeem(b, big.json.id, key);
    const again = await redeem(b, big.json.id, key);
    expect(again.json.id).toBe(first.json.id);
    const mine = (await b.get('/api/v1/redemptions')).json.items;
    expect(mine.filter((x: any) => x.rewardId === big.json.id)).toHaveLength(first.status === 201 ? 1 : 0);
    if (first.status === 201) {
      expect((await staff.post(`/api/v1/redemptions/${first.json.id}/fulfil`)).json.status).toBe('fulfilled');
      expect((await staff.post(`/api/v1/redemptions/${first.json.id}/fulfil`)).status).toBe(409);
    }
    expect((await redeem(staff, big.json.id)).status).toBe(403);
  });

  it('awards honours by threshold and by staff; residents see theirs', async () => {
    const h1 = await staff.post('/api/v1/honours', { communityId: w.c1.id, name: '热心居民', threshold: 60 });
    const h2 = await staff.post('/api/v1/honours', { communityId: w.c1.id, name: '优秀志愿者' });
    expect(h1.status).toBe(201);
    await staff.post('/api/v1/points/adjust', { residentId: rid.a, delta: 40, reason: '社区服务' });
    // lifetime points of a: 25 + 40 = 65 ≥ 60
    expect((await a.get('/api/v1/points/me')).json.honours.map((h: any) => h.name)).toEqual(['热心居民']);
    expect((await staff.post(`/api/v1/honours/${h2.json.id}/award`, { residentId: rid.b })).status).toBe(200);
    expect((await b.get('/api/v1/points/me')).json.honours.map((h: any) => h.name)).toEqual(['优秀志愿者']);
    expect((await staffC2.post(`/api/v1/honours/${h2.json.id}/award`, { residentId: rid.b })).status).toBe(404);
    expect((await b.get('/api/v1/honours')).json.items).toHaveLength(2);
  });

  it('ranks the residents of a building by lifetime points; a resident may opt out', async () => {
    // a (house1) and b (house1b) live in the same building
    const board = await a.get('/api/v1/points/leaderboard');
    expect(board.status, board.body).toBe(200);
    // lifetime points: a 25 + 40 granted = 65; b 3 + 50 granted = 53 (a deduction does not lower lifetime points)
    expect(board.json.items.map((x: any) => [x.name, x.me, x.earned])).toEqual([
      ['居民a', true, 65],
      ['居**', false, 53],
    ]);
    expect((await b.req('PUT', '/api/v1/points/leaderboard/opt-out', { optOut: true })).json.optedOut).toBe(true);
    const after = await a.get('/api/v1/points/leaderboard');
    expect(after.json.items.map((x: any) => x.me)).toEqual([true]);
    expect((await staff.get('/api/v1/points/leaderboard')).status).toBe(403);
  });
});
