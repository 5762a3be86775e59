// "No input ever produces a 500": throw malformed input at every API route, signed in as a
// platform admin (who passes every gate), and check that nothing answers 5xx or non-JSON errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from './harness.js';
import { login, type Client } from './session.js';
import { buildResident, buildStaff, buildWorld, PASSWORD } from './fixtures.js';

const junkBodies: unknown[] = [
  'not json at all',
  '{"unterminated": ',
  [],
  [1, 2, 3],
  null,
  42,
  { name: 'x'.repeat(10_000) },
  { name: { $gt: '' }, idNumber: ['a'], houseId: 123, page: -1 },
  { kind: 'house', parentId: '../../etc/passwd', name: '\u0000\u202e' },
  { field: 'idNumber', reason: '🙂'.repeat(500) },
  { mapping: 'x', dryRun: 'yes' },
  { role: 'platform_admin', placeId: "'; drop table residents; --" },
];
const junkIds = ['%00', 'res_' + 'A'.repeat(200), "' or 1=1 --", '..%2F..%2F', '😀'];
const junkQueries = ['page=-5', 'pageSize=100000', 'page=abc', 'phone=%E4%BD%A0', 'idNumber=' + 'x'.repeat(300), 'q=%25%25%5F', 'status=evil', 'from=yesterday'];

describeEachDialect('robustness: malformed input never produces a 500', (dialect) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const w = await buildWorld(t.kernel);
    await buildResident(t.kernel, w.house1);
    await buildStaff(t.kernel, 'root', 'platform_admin', null);
    admin = await login(t.app, 'root', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('answers every route with a 4xx problem (or success), never 5xx', async () => {
    const bad: string[] = [];
    const routes = t.app.apiRoutes.filter((r) => !r.url.endsWith('/stream') && !r.url.endsWith('/logout') && !r.url.includes('/sessions/'));
    for (const r of routes) {
      const paths = r.url.includes(':') ? junkIds.map((id) => r.url.replace(/:[a-zA-Z]+/g, id)) : [r.url];
      for (const p of paths) {
        if (r.method === 'GET') {
          for (const q of junkQueries) {
            const res = await admin.req('GET', `${p}?${q}`);
            if (res.status >= 500) bad.push(`GET ${p}?${q} → ${res.status}`);
          }
        } else {
          for (const b of junkBodies) {
            const res = typeof b === 'string'
              ? await admin.req(r.method, p, b, { 'content-type': 'application/json' })
              : await admin.req(r.method, p, b === null ? 'null' : b, { 'content-type': 'application/json' });
            if (res.status >= 500) bad.push(`${r.method} ${p} ${JSON.stringify(b).slice(0, 40)} → ${res.status} ${res.body.slice(0, 100)}`);
            else if (res.status >= 400 && !String(res.headers['content-type']).includes('problem+json')) bad.push(`${r.method} ${p} → ${res.status} without problem+json`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  }, 180_000);

  it('refuses a body over the size limit with 413 and keeps the data', async () => {
    const before = await admin.get('/api/v1/residents');
    const res = await admin.req('POST', '/api/v1/residents', JSON.stringify({ name: 'x', note: 'y'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('http.payload_too_large');
    const after = await admin.get('/api/v1/residents');
    expect(after.json.total).toBe(before.json.total);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
