import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { anonymous, clientFor, login, loginResident } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';

describeEachDialect('identity: sign-in, sessions, CSRF, throttling, tokens', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'staff1', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'admin', 'platform_admin', null);
  });
  afterAll(async () => t?.close());

  it('signs staff in with an HttpOnly SameSite cookie and answers /me with grants and permissions', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'staff1', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/linli_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const c = await login(t.app, 'staff1', PASSWORD);
    const me = await c.get('/api/v1/auth/me');
    expect(me.json.user.grants[0]).toMatchObject({ role: 'community_staff', placeName: '花家地社区' });
    expect(me.json.user.permissions).toContainEqual(['reveal', 'Resident']);
  });

  it('refuses wrong passwords with the same message as unknown users, and short passwords at creation', async () => {
    const a = await anonymous(t.app).req('POST', '/api/v1/auth/login', { username: 'staff1', password: 'wrong-password-x' });
    const b = await anonymous(t.app).req('POST', '/api/v1/auth/login', { username: 'nobody', password: 'wrong-password-x' });
    expect(a.status).toBe(401);
    expect(a.json.title).toBe(b.json.title);
    const admin = await login(t.app, 'admin', PASSWORD);
    const short = await admin.post('/api/v1/users', { username: 'newbie', displayName: '新人', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.json.errors[0]).toMatchObject({ field: 'password', code: 'auth.password_too_short' });
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const c = await login(t.app, 'staff1', PASSWORD);
    const without = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      payload: { kind: 'estate', parentId: w.c1.id, name: 'CSRF小区' },
      headers: { cookie: c.cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(JSON.parse(without.body).code).toBe('auth.csrf');
    const wrong = await clientFor(t.app, c.cookie, 'not-the-token').post('/api/v1/places', { kind: 'estate', parentId: w.c1.id, name: 'CSRF小区' });
    expect(wrong.status).toBe(403);
    const right = await c.post('/api/v1/places', { kind: 'estate', parentId: w.c1.id, name: 'CSRF小区' });
    expect(right.status).toBe(201);
  });

  it('lists and ends own sessions; logout invalidates the cookie', async () => {
    const a = await login(t.app, 'staff1', PASSWORD);
    const b = await login(t.app, 'staff1', PASSWORD);
    const list = await a.get('/api/v1/auth/sessions');
    const other = list.json.items.find((s: any) => !s.current);
    expect(list.json.items.filter((s: any) => s.current)).toHaveLength(1);
    expect((await a.del(`/api/v1/auth/sessions/${other.id}`)).status).toBe(204);
    // whichever session was ended no longer works
    const statuses = [(await a.get('/api/v1/auth/me')).status, (await b.get('/api/v1/auth/me')).status];
    expect(statuses).toContain(200);
    expect((await a.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await a.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('expires sessions after the idle time', async () => {
    const c = await login(t.app, 'staff1', PASSWORD);
    clock.advance(29 * 60_000);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200); // activity refreshes the idle timer
    clock.advance(29 * 60_000);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('slows an account after repeated failures with a clear message, then lets the right password in (no lock-out)', async () => {
    await buildStaff(t.kernel, 'target', 'technician', w.c1);
    for (let i = 0; i < 5; i++) await anonymous(t.app).req('POST', '/api/v1/auth/login', { username: 'target', password: 'nope-nope-nope' });
    const waiting = await anonymous(t.app).req('POST', '/api/v1/auth/login', { username: 'target', password: PASSWORD });
    expect(waiting.status).toBe(429);
    expect(waiting.json.title).toBe('尝试次数过多，请 2 秒后再试');
    expect(waiting.headers['retry-after']).toBe('2');
    clock.advance(2_000);
    const later = await anonymous(t.app).req('POST', '/api/v1/auth/login', { username: 'target', password: PASSWORD });
    expect(later.status).toBe(200);
  });

  it('signs a resident in with a one-time code from the outbox; the outbox is for platform admins only', async () => {
    const r = await buildResident(t.kernel, w.house1, { name: '居民甲', phone: '13912340001' });
    const req = await anonymous(t.app).req('POST', '/api/v1/auth/otp/request', { phone: '13912340001' });
    expect(req.status).toBe(200);
    const admin = await login(t.app, 'admin', PASSWORD);
    const outbox = await admin.get('/api/v1/admin/sms-outbox');
    const msg = outbox.json.items[0];
    expect(msg.toPhoneMasked).toBe('139****0001');
    const code = /(\d{6})/.exec(msg.text)![1];
    const staff = await login(t.app, 'staff1', PASSWORD);
    expect((await staff.get('/api/v1/admin/sms-outbox')).status).toBe(403);
    const wrong = await anonymous(t.app).req('POST', '/api/v1/auth/otp/verify', { phone: '13912340001', code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    const ok = await anonymous(t.app).req('POST', '/api/v1/auth/otp/verify', { phone: '13912340001', code });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toMatchObject({ kind: 'resident', residentId: r.id });
    const reuse = await anonymous(t.app).req('POST', '/api/v1/auth/otp/verify', { phone: '13912340001', code });
    expect(reuse.status).toBe(401);
  });

  it('lets a resident sign in with phone and password and read only their own record', async () => {
    const me = await buildResident(t.kernel, w.house1, { name: '居民乙', phone: '13912340002' });
    const neighbour = await buildResident(t.kernel, w.house1b, { name: '邻居丙' });
    await buildResidentUser(t.kernel, me, w.c1);
    const c = await loginResident(t.app, '13912340002', PASSWORD);
    const mine = await c.get('/api/v1/me/resident');
    expect(mine.json.resident).toMatchObject({ id: me.id, phoneMasked: '139****0002' });
    expect((await c.get(`/api/v1/residents/${me.id}`)).status).toBe(200);
    expect((await c.get(`/api/v1/residents/${neighbour.id}`)).status).toBe(404);
    expect((await c.get('/api/v1/residents')).json.items.map((x: any) => x.id)).toEqual([me.id]);
    expect((await c.get('/api/v1/audit')).status).toBe(403);
  });

  it('authenticates machines with hashed API tokens', async () => {
    const admin = await login(t.app, 'admin', PASSWORD);
    const tok = await admin.post('/api/v1/auth/tokens', { name: 'bench' });
    expect(tok.json.token).toMatch(/^lt_/);
    const stored = await t.kernel.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(tok.json.token);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/residents?pageSize=1', headers: { authorization: `Bearer ${tok.json.token}` } });
    expect(r.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/residents', headers: { authorization: 'Bearer lt_forged' } });
    expect(bad.statusCode).toBe(401);
  });
});
