// Sign-in hardening (docs/security/signin.md): one-time codes that neither reveal nor lock out a
// phone, password sign-in that does the same work for unknown accounts and slows guessing by
// progressive delay instead of a lock, password strength, and expiring, revocable API tokens.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verify as argonVerify } from '@node-rs/argon2';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { IdentityService } from './identity.service.js';

describeEachDialect('identity: sign-in hardening', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'admin', 'platform_admin', null);
  });
  afterAll(async () => t?.close());

  /** An anonymous request from a given address. */
  async function from(ip: string, url: string, payload: unknown, headers: Record<string, string> = {}) {
    const res = await t.app.inject({ method: 'POST', url, payload: payload as any, remoteAddress: ip, headers });
    return { status: res.statusCode, json: JSON.parse(res.body), retryAfter: res.headers['retry-after'] };
  }
  /** The newest code the SMS outbox holds for a phone. */
  async function lastCode(phoneMasked: string): Promise<string> {
    const admin = await login(t.app, 'admin', PASSWORD);
    const msg = (await admin.get('/api/v1/admin/sms-outbox')).json.items.find((m: any) => m.toPhoneMasked === phoneMasked);
    return /(\d{6})/.exec(msg.text)![1];
  }

  // ---------- one-time codes ----------
  it('answers a registered and an unknown phone identically through ten requests (no enumeration, no lock)', async () => {
    await buildResident(t.kernel, w.house1, { name: '居民注册', phone: '13912340011' });
    const answers: Record<string, unknown[]> = { known: [], unknown: [] };
    for (let i = 0; i < 10; i++) {
      for (const [who, phone, ip] of [
        ['known', '13912340011', '10.1.0.1'],
        ['unknown', '13912340012', '10.1.0.2'],
      ] as const) {
        const r = await from(ip, '/api/v1/auth/otp/request', { phone });
        answers[who].push({ status: r.status, body: r.json, retryAfter: r.retryAfter });
      }
      clock.advance(30_000);
    }
    expect(answers.known).toEqual(answers.unknown);
    expect(answers.known.every((a: any) => a.status === 200)).toBe(true);
  });

  it('lets the owner sign in with a code after someone else kept asking for codes to their phone', async () => {
    await buildResident(t.kernel, w.house1, { name: '居民丁', phone: '13912340021' });
    for (let i = 0; i < 10; i++) {
      expect((await from('10.2.0.66', '/api/v1/auth/otp/request', { phone: '13912340021' })).status).toBe(200);
      clock.advance(30_000);
    }
    clock.advance(10 * 60_000); // the owner looks at the phone later; the newest SMS is 15 minutes old
    const ask = await from('10.2.0.1', '/api/v1/auth/otp/request', { phone: '13912340021' });
    expect(ask.status).toBe(200);
    const code = await lastCode('139****0021');
    const ok = await from('10.2.0.1', '/api/v1/auth/otp/verify', { phone: '13912340021', code });
    expect(ok.status).toBe(200);
    expect(ok.json.user.kind).toBe('resident');
  });

  it('wears a code out after five wrong answers and slows further guesses; the owner then gets a fresh code', async () => {
    await buildResident(t.kernel, w.house1, { name: '居民戊', phone: '13912340031' });
    expect((await from('10.3.0.1', '/api/v1/auth/otp/request', { phone: '13912340031' })).status).toBe(200);
    const first = await lastCode('139****0031');
    const wrong = first === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await from('10.3.0.66', '/api/v1/auth/otp/verify', { phone: '13912340031', code: wrong })).status).toBe(401);
    const slowed = await from('10.3.0.66', '/api/v1/auth/otp/verify', { phone: '13912340031', code: wrong });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.retryAfter)).toBeGreaterThan(0);
    clock.advance(61_000);
    expect((await from('10.3.0.1', '/api/v1/auth/otp/verify', { phone: '13912340031', code: first })).status).toBe(401); // worn out
    clock.advance(61_000);
    expect((await from('10.3.0.1', '/api/v1/auth/otp/request', { phone: '13912340031' })).status).toBe(200);
    const fresh = await lastCode('139****0031');
    const ok = await from('10.3.0.1', '/api/v1/auth/otp/verify', { phone: '13912340031', code: fresh });
    expect(ok.status).toBe(200);
  });

  // ---------- passwords ----------
  it('checks a password for an unknown account against a dummy Argon2id hash made like real ones', async () => {
    const seen: string[] = [];
    const svc = new IdentityService(t.kernel, { verify: (h, p) => (seen.push(h), argonVerify(h, p)) });
    const real = await buildStaff(t.kernel, 'known1', 'technician', w.c1);
    await expect(svc.loginStaff('known1', 'wrong-password-x', '10.4.0.1', undefined)).rejects.toMatchObject({ status: 401 });
    await expect(svc.loginStaff('nobody-here', 'wrong-password-x', '10.4.0.1', undefined)).rejects.toMatchObject({ status: 401 });
    await expect(svc.loginResidentPassword('13912349999', 'wrong-password-x', '10.4.0.1', undefined)).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(3); // one Argon2 verification per attempt, known or not
    expect(seen[0]).toBe(real.password_hash);
    const params = (h: string) => h.split('$').slice(1, 4).join('$'); // argon2id$v=19$m=…,t=…,p=…
    expect(seen[1]).toMatch(/^\$argon2id\$/);
    expect(params(seen[1])).toBe(params(real.password_hash!));
    expect(seen[2]).toBe(seen[1]); // made once, reused
  });

  it('slows guessing by progressive delay instead of locking: the right password after the wait signs in', async () => {
    await buildStaff(t.kernel, 'pd_admin', 'platform_admin', null);
    const attempt = (password: string, ip = '10.5.0.9') => from(ip, '/api/v1/auth/login', { username: 'pd_admin', password });
    for (let i = 0; i < 5; i++) expect((await attempt('nope-nope-nope', `10.5.0.${i}`)).status).toBe(401);
    const waiting = await attempt(PASSWORD);
    expect(waiting.status).toBe(429);
    expect(waiting.json.code).toBe('auth.retry_later');
    expect(waiting.retryAfter).toBe('2');
    clock.advance(2_000);
    expect((await attempt('nope-nope-nope')).status).toBe(401); // sixth failure: 4 s
    for (let i = 0; i < 5; i++) expect((await attempt(PASSWORD)).status).toBe(429); // waiting attempts do not count
    clock.advance(4_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
    // forgiven after a success: the next failure is free again
    expect((await attempt('nope-nope-nope')).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it('slows an address that guesses across many accounts, not other addresses', async () => {
    await buildStaff(t.kernel, 'victim2', 'technician', w.c1);
    // 30 failures on 30 accounts from one address, over both password routes (each route also has
    // a plain per-address rate limit of 30 a minute)
    for (let i = 0; i < 15; i++) {
      expect((await from('10.6.0.66', '/api/v1/auth/login', { username: `spray${i}`, password: 'nope-nope-nope' })).status).toBe(401);
      expect((await from('10.6.0.66', '/api/v1/auth/resident/login', { phone: `139000000${10 + i}`, password: 'nope-nope-nope' })).status).toBe(401);
    }
    const slowed = await from('10.6.0.66', '/api/v1/auth/login', { username: 'victim2', password: PASSWORD });
    expect(slowed.status).toBe(429);
    expect(slowed.retryAfter).toBe('2');
    expect((await from('10.6.0.1', '/api/v1/auth/login', { username: 'victim2', password: PASSWORD })).status).toBe(200);
  });

  it('refuses weak passwords and ones containing the username, name or phone, on every path that sets one', async () => {
    const admin = await login(t.app, 'admin', PASSWORD);
    const create = (username: string, displayName: string, password: string) => admin.post('/api/v1/users', { username, displayName, password });
    for (const pw of ['aaaaaaaaaa', '1234567890']) {
      const r = await create('weak1', '弱密码', pw);
      expect(r.status).toBe(422);
      expect(r.json.errors[0]).toMatchObject({ field: 'password', code: 'auth.password_weak' });
    }
    expect((await create('wangfang', '王芳', 'Wangfang-in-2026')).json.errors[0].code).toBe('auth.password_personal');
    expect((await create('lfang', '李芳芳', '李芳芳的新家在北京东路')).json.errors[0].code).toBe('auth.password_personal');
    const en = await admin.req('POST', '/api/v1/users?lang=en', { username: 'weak2', displayName: 'x', password: '1234567890' });
    expect(en.json.errors[0].message).toMatch(/too easy to guess/);
    expect((await create('strong1', '强密码', 'violet-lantern-harbor')).status).toBe(201);

    // changing one's password
    const staff = await login(t.app, 'strong1', 'violet-lantern-harbor');
    const change = await staff.post('/api/v1/auth/password', { currentPassword: 'violet-lantern-harbor', newPassword: 'aaaaaaaaaa' });
    expect(change.status).toBe(422);
    expect(change.json.errors[0]).toMatchObject({ field: 'newPassword', code: 'auth.password_weak' });
    // a resident setting a password (signed in by code, no password yet) may not use the phone number
    const r = await buildResident(t.kernel, w.house1, { name: '居民己', phone: '13912340041' });
    await buildResidentUser(t.kernel, r, w.c1);
    const resident = await loginResident(t.app, '13912340041', PASSWORD);
    const phoneIn = await resident.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'my13912340041pw' });
    expect(phoneIn.json.errors[0]).toMatchObject({ field: 'newPassword', code: 'auth.password_personal' });
    expect(phoneIn.json.errors[0].message).toContain('手机号');
    expect((await resident.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'quiet-orchard-lamp-7' })).status).toBe(204);
  });

  // ---------- API tokens ----------
  it('API tokens expire, list without their secret with expiry and last use, and can be revoked by their owner only', async () => {
    let admin = await login(t.app, 'admin', PASSWORD);
    const short = await admin.post('/api/v1/auth/tokens', { name: 'short-lived', expiresInDays: 1 });
    const normal = await admin.post('/api/v1/auth/tokens', { name: 'default' });
    expect(short.status).toBe(201);
    expect(Date.parse(normal.json.expiresAt) - clock.now().getTime()).toBe(90 * 86_400_000);
    expect((await admin.post('/api/v1/auth/tokens', { name: 'forever', expiresInDays: 3650 })).status).toBe(422);
    const use = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect((await use(short.json.token)).statusCode).toBe(200);

    let list = (await admin.get('/api/v1/auth/tokens')).json.items;
    const row = list.find((x: any) => x.id === short.json.id);
    expect(row).toMatchObject({ name: 'short-lived', createdAt: clock.now().toISOString(), lastUsedAt: clock.now().toISOString() });
    expect(JSON.stringify(list)).not.toContain(short.json.token);
    expect(list.find((x: any) => x.id === normal.json.id).lastUsedAt).toBeNull();

    // last use is written at most once a minute
    clock.advance(30_000);
    await use(short.json.token);
    list = (await admin.get('/api/v1/auth/tokens')).json.items;
    expect(list.find((x: any) => x.id === short.json.id).lastUsedAt).toBe(new Date(clock.now().getTime() - 30_000).toISOString());
    clock.advance(31_000);
    await use(short.json.token);
    list = (await admin.get('/api/v1/auth/tokens')).json.items;
    expect(list.find((x: any) => x.id === short.json.id).lastUsedAt).toBe(clock.now().toISOString());

    // expiry
    clock.advance(86_400_000);
    expect((await use(short.json.token)).statusCode).toBe(401);
    expect((await use(normal.json.token)).statusCode).toBe(200);

    // revoke: someone else's token is 404; one's own is refused afterwards
    admin = await login(t.app, 'admin', PASSWORD); // the session went idle during the day
    await buildStaff(t.kernel, 'other_admin', 'platform_admin', null);
    const other = await login(t.app, 'other_admin', PASSWORD);
    expect((await other.del(`/api/v1/auth/tokens/${normal.json.id}`)).status).toBe(404);
    expect((await use(normal.json.token)).statusCode).toBe(200);
    expect((await admin.del(`/api/v1/auth/tokens/${normal.json.id}`)).status).toBe(204);
    expect((await use(normal.json.token)).statusCode).toBe(401);
    expect((await admin.del(`/api/v1/auth/tokens/${normal.json.id}`)).status).toBe(404);
    expect((await admin.get('/api/v1/auth/tokens')).json.items.map((x: any) => x.id)).not.toContain(normal.json.id);
  });
});
