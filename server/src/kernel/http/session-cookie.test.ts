// The session cookie is Secure whenever the browser reached us over HTTPS: on TLS, or behind a
// trusted proxy that says so in X-Forwarded-Proto. LINLI_SECURE_COOKIES=true forces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { buildStaff, PASSWORD } from '../../test/fixtures.js';

async function setCookie(t: TestApp, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cookie_admin', password: PASSWORD }, headers });
  expect(res.statusCode, res.body).toBe(200);
  const c = [res.headers['set-cookie']].flat().find((x) => String(x).startsWith('linli_session='));
  expect(c).toBeDefined();
  return String(c);
}
const isSecure = (cookie: string) => /;\s*Secure(;|$)/i.test(cookie);

describe('session cookie Secure attribute', () => {
  const apps: TestApp[] = [];
  const app = async (env: Record<string, string>) => {
    const t = await createTestApp('sqlite', { env });
    apps.push(t);
    await buildStaff(t.kernel, 'cookie_admin', 'platform_admin', null);
    return t;
  };
  let proxied: TestApp, direct: TestApp, forced: TestApp;
  beforeAll(async () => {
    proxied = await app({ LINLI_TRUST_PROXY: 'true' });
    direct = await app({});
    forced = await app({ LINLI_SECURE_COOKIES: 'true' });
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('is Secure behind a trusted proxy that forwarded an HTTPS request', async () => {
    const c = await setCookie(proxied, { 'x-forwarded-proto': 'https' });
    expect(isSecure(c)).toBe(true);
    expect(c).toMatch(/HttpOnly/i);
    expect(c).toMatch(/SameSite=Lax/i);
  });

  it('is not Secure for plain HTTP through that proxy (the cookie would never come back)', async () => {
    expect(isSecure(await setCookie(proxied, { 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(isSecure(await setCookie(proxied))).toBe(false);
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted', async () => {
    expect(isSecure(await setCookie(direct, { 'x-forwarded-proto': 'https' }))).toBe(false);
  });

  it('is always Secure with LINLI_SECURE_COOKIES=true, and logout clears it with the same attributes', async () => {
    const res = await forced.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cookie_admin', password: PASSWORD } });
    const c = String([res.headers['set-cookie']].flat().find((x) => String(x).startsWith('linli_session=')));
    expect(isSecure(c)).toBe(true);
    const session = /linli_session=[^;]+/.exec(c)![0];
    const out = await forced.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session, 'x-csrf-token': res.json().csrfToken } });
    expect(out.statusCode, out.body).toBeLessThan(300);
    const cleared = String([out.headers['set-cookie']].flat().find((x) => String(x).startsWith('linli_session=')));
    expect(isSecure(cleared)).toBe(true);
  });
});
