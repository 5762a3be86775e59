// Rate limiting counts a signed-in caller against their account and everyone else against their
// address (kernel/http/rate-limit.ts): neighbours behind one carrier NAT address are not refused
// together, and one account cannot take more than its own allowance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { buildStaff, PASSWORD } from '../../test/fixtures.js';

const LIMIT = 5;
const CGNAT = '100.64.0.9'; // one carrier address shared by many households

describe('rate limiting per account and per address', () => {
  let t: TestApp;
  const get = (url: string, from: string, cookie?: string) => t.app.inject({ method: 'GET', url, remoteAddress: from, headers: cookie ? { cookie } : {} });
  const signIn = async (username: string, from: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, payload: { username, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return /linli_session=[^;]+/.exec(String(res.headers['set-cookie']))![0];
  };
  const burst = async (n: number, url: string, from: string, cookie?: () => string) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await get(url, from, cookie?.())).statusCode);
    return codes;
  };

  beforeAll(async () => {
    t = await createTestApp('sqlite', { rateLimit: LIMIT });
    await buildStaff(t.kernel, 'rl_a', 'platform_admin', null);
    await buildStaff(t.kernel, 'rl_b', 'platform_admin', null);
  });
  afterAll(async () => t?.close());

  it('gives two signed-in users behind one address each their own allowance', async () => {
    const a = await signIn('rl_a', CGNAT);
    const b = await signIn('rl_b', CGNAT);
    expect(await burst(LIMIT, '/api/v1/auth/me', CGNAT, () => a)).toEqual(Array(LIMIT).fill(200));
    const over = await get('/api/v1/auth/me', CGNAT, a);
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('http.rate_limited');
    expect(over.headers['retry-after']).toBeDefined();
    // the neighbour on the same address is not refused with them, nor is an anonymous visitor there
    expect(await burst(LIMIT, '/api/v1/auth/me', CGNAT, () => b)).toEqual(Array(LIMIT).fill(200));
    expect((await get('/healthz', CGNAT)).statusCode).toBe(200);
  });

  it('does not let one account exceed its allowance from another address or a new session', async () => {
    const again = await signIn('rl_a', '198.51.100.20');
    expect((await get('/api/v1/auth/me', '198.51.100.20', again)).statusCode).toBe(429);
  });

  it('counts anonymous callers per address, forged session cookies included', async () => {
    expect(await burst(LIMIT + 1, '/healthz', '192.0.2.1')).toEqual([...Array(LIMIT).fill(200), 429]);
    expect((await get('/healthz', '192.0.2.2')).statusCode).toBe(200);
    // a fresh made-up cookie each time is nobody: it counts against the address, then is refused
    const forged = () => `linli_session=${crypto.randomBytes(24).toString('base64url')}`;
    expect(await burst(LIMIT + 1, '/api/v1/auth/me', '192.0.2.3', forged)).toEqual([...Array(LIMIT).fill(401), 429]);
  });
});
