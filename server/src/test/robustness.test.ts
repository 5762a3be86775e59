// "No input ever produces a 500": throw malformed input at every API route and check that nothing
// answers 5xx or non-JSON errors. First raw junk as a platform admin (who passes every gate); then
// bad values shaped by each route's own request schemas, on real records, as every role that
// reaches the route (fuzz.ts builds the cases; a seeded sample keeps the run short).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from './harness.js';
import { login, loginResident, type Client } from './session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from './fixtures.js';
import { roles, type Role } from '../kernel/authz/index.js';
import type { ApiRoute } from '../kernel/http/auth.js';
import { moduleMatrices } from './matrix-modules.js';
import { bodyCases, queryCases, sample, seeded, type Case, type Hints } from './fuzz.js';

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
// one seed for every sample in this file: a failure replays the same way
const SEED = 20261207;
const junkIds = ['%00', 'res_' + 'A'.repeat(200), "' or 1=1 --", '..%2F..%2F', '😀'];
const junkQueries = [
  'page=-5',
  'pageSize=100000',
  'page=abc',
  'phone=%E4%BD%A0',
  'idNumber=' + 'x'.repeat(300),
  'q=%25%25%5F',
  'status=evil',
  'from=yesterday',
];

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
    const rand = seeded(SEED);
    const routes = t.app.apiRoutes.filter((r) => !r.url.endsWith('/stream') && !r.url.endsWith('/logout') && !r.url.includes('/sessions/'));
    for (const r of routes) {
      // two of the junk ids per route, picked by a seeded generator (the run stays short)
      const paths = r.url.includes(':') ? sample(junkIds, 2, rand).map((id) => r.url.replace(/:[a-zA-Z]+/g, id)) : [r.url];
      for (const p of paths) {
        if (r.method === 'GET') {
          for (const q of junkQueries) {
            const res = await admin.req('GET', `${p}?${q}`);
            if (res.status >= 500) bad.push(`GET ${p}?${q} → ${res.status}`);
          }
        } else {
          for (const b of junkBodies) {
            const res =
              typeof b === 'string'
                ? await admin.req(r.method, p, b, { 'content-type': 'application/json' })
                : await admin.req(r.method, p, b === null ? 'null' : b, { 'content-type': 'application/json' });
            if (res.status >= 500) bad.push(`${r.method} ${p} ${JSON.stringify(b).slice(0, 40)} → ${res.status} ${res.body.slice(0, 100)}`);
            else if (res.status >= 400 && !String(res.headers['content-type']).includes('problem+json'))
              bad.push(`${r.method} ${p} → ${res.status} without problem+json`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  }, 180_000);

  it('refuses a body over the size limit with 413 and keeps the data', async () => {
    const before = await admin.get('/api/v1/residents');
    const res = await admin.req('POST', '/api/v1/residents', JSON.stringify({ name: 'x', note: 'y'.repeat(2 * 1024 * 1024) }), {
      'content-type': 'application/json',
    });
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

// Sampled cases per route beyond the ones every reaching role gets (the valid-looking input, {},
// no query); the seed makes the sample the same on every run.
const SAMPLED_PER_ROUTE = 20;
// Where each role's grant sits (as in the authorization matrix): c1, the street, or everywhere.
const at: Record<Role, 'street' | 'c1' | null> = {
  platform_admin: null,
  gov_supervisor: 'street',
  community_staff: 'c1',
  property_manager: 'c1',
  technician: 'c1',
  security_guard: 'c1',
  doctor: 'c1',
  department_officer: 'street',
  service_provider: 'c1',
  resident: null,
};
// Routes that would end the test's own sessions, or that stream.
const skipped = (r: ApiRoute) => r.url.endsWith('/stream') || r.url.endsWith('/logout') || r.url.includes('/sessions/') || r.url === '/api/v1/auth/password';
const order = ['GET', 'PATCH', 'PUT', 'POST', 'DELETE']; // reads first, removals last

describeEachDialect('robustness: schema-shaped bad values, as every role that reaches the route', (dialect) => {
  let t: TestApp;
  let w: World;
  const clients = new Map<Role, Client>();
  const targets = new Map<string, { path?: string; body?: unknown }>();
  let ids: Record<string, string> = {};

  async function signIn(role: Role) {
    clients.set(role, role === 'resident' ? await loginResident(t.app, '13900009999', PASSWORD) : await login(t.app, `m_${role}`, PASSWORD));
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    // the same people as the authorization matrix (the modules' matrix setups look them up)
    const me = await buildResident(t.kernel, w.house1, { name: '矩阵居民', phone: '13900009999' });
    await buildResident(t.kernel, w.house2, { name: '外社区居民' });
    await buildResidentUser(t.kernel, me, w.c1);
    for (const role of roles) {
      if (role !== 'resident') await buildStaff(t.kernel, `m_${role}`, role, at[role] ? (at[role] === 'street' ? w.street : w.c1) : null);
      await signIn(role);
    }
    const target = await buildStaff(t.kernel, 'fz_target', 'technician', w.c1);
    const grant = (await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', target.id).executeTakeFirstOrThrow()).id;
    ids = { resident: me.id, house: w.house1.id, place: w.estate1.id, parent: w.estate1.id, community: w.c1.id, user: target.id, grant };
    // the modules' own records (the matrix setups), and the path and valid body of each of their routes
    for (const m of moduleMatrices) {
      const mids = (await m.setup(t.kernel, w)).own;
      for (const [route, entry] of Object.entries(m.rows)) targets.set(route, entry.request?.({ ...ids, ...mids }) ?? {});
      for (const [k, v] of Object.entries(mids)) ids[k] ??= v;
    }
  }, 120_000);
  afterAll(async () => t?.close());

  /** The route's path with real ids: the module's own choice, else the record its path names. */
  function pathOf(r: ApiRoute): string {
    const chosen = targets.get(`${r.method} ${r.url}`)?.path;
    if (chosen) return chosen;
    const record = r.url.includes('/residents/')
      ? ids.resident
      : r.url.includes('/houses/')
        ? ids.house
        : r.url.includes('/places/')
          ? ids.place
          : r.url.includes('/users/')
            ? ids.user
            : 'x_none';
    return r.url
      .replace(':grantId', ids.grant)
      .replace(/:id\b/, record)
      .replace(/:([a-zA-Z]+)/g, (_m, p: string) => ids[p.replace(/Id$/, '')] ?? 'x_none');
  }

  let n = 0;
  async function send(role: Role, r: ApiRoute, path: string, c: Case) {
    const url = c.query ? `${path}?${c.query}` : path;
    const headers = { 'content-type': 'application/json', 'idempotency-key': `fuzz-${SEED}-${++n}` };
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : JSON.stringify(c.body === undefined ? {} : c.body);
    let res = await clients.get(role)!.req(r.method, url, body, body === undefined ? { 'idempotency-key': headers['idempotency-key'] } : headers);
    if (res.status === 401) {
      // a route disabled the account or ended its sessions: sign in again and retry once
      await signIn(role).catch(() => undefined);
      res = await clients.get(role)!.req(r.method, url, body, body === undefined ? {} : headers);
    }
    return res;
  }

  it('answers every route, with bad values in each field of its body and query, 4xx (or success), never 5xx', async () => {
    const rand = seeded(SEED);
    const bad: string[] = [];
    const routes = t.app.apiRoutes.filter((r) => !skipped(r)).sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
    let sent = 0;
    for (const r of routes) {
      const path = pathOf(r);
      const base = targets.get(`${r.method} ${r.url}`)?.body as Record<string, unknown> | undefined;
      const hints: Hints = ids;
      const body = r.schema?.body ? bodyCases(r.schema.body as any, hints, base && typeof base === 'object' ? base : undefined) : null;
      const query = queryCases(r.schema?.querystring as any, hints);
      const always: Case[] = body ? body.always.map((c) => ({ ...c, query: query.always[1]?.query })) : query.always;
      const pool: Case[] = [...(body?.sampled ?? []), ...(r.schema?.querystring ? query.sampled.map((c) => ({ ...c, body: body?.always[0].body })) : [])];
      const check = (role: Role, c: Case, res: Awaited<ReturnType<Client['req']>>) => {
        sent++;
        const what = `${r.method} ${r.url} as ${role} [${c.label}]`;
        if (res.status >= 500) bad.push(`${what} → ${res.status} ${res.body.slice(0, 160)}`);
        else if (res.status >= 400 && !String(res.headers['content-type']).includes('problem+json')) bad.push(`${what} → ${res.status} without problem+json`);
      };
      // every role tries the valid-looking input; those the gate lets through get the rest
      const reaching: Role[] = [];
      for (const role of roles) {
        const res = await send(role, r, path, always[0]);
        check(role, always[0], res);
        if (!(res.status === 403 && res.json?.code === 'auth.forbidden') && res.status !== 401) reaching.push(role);
      }
      for (const role of reaching) for (const c of always.slice(1)) check(role, c, await send(role, r, path, c));
      if (!reaching.length) continue;
      const picked = sample(pool, SAMPLED_PER_ROUTE, rand);
      for (let i = 0; i < picked.length; i++) {
        const role = reaching[(i + Math.floor(rand() * reaching.length)) % reaching.length];
        check(role, picked[i], await send(role, r, path, picked[i]));
      }
    }
    expect(bad).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 10);
  }, 240_000);
});
