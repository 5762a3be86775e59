// Authorization matrix: every API route × every role → the outcome a person of that role must
// get. A route added without a row here fails the test, so nobody forgets to decide.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from './harness.js';
import { anonymous, login, loginResident, type Client } from './session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from './fixtures.js';
import { roles, type Role } from '../kernel/authz/index.js';
import { IdentityService } from '../modules/identity/index.js';
import { moduleMatrices } from './matrix-modules.js';

type Outcome = 'ok' | 'deny' | '404' | 'unauth';
// Column order: admin gov staff property tech guard doctor officer provider resident
const cols: Role[] = [
  'platform_admin',
  'gov_supervisor',
  'community_staff',
  'property_manager',
  'technician',
  'security_guard',
  'doctor',
  'department_officer',
  'service_provider',
  'resident',
];
const O = { o: 'ok', d: 'deny', n: '404' } as const;

// "own" = records in the actor's community (c1); "other" = records in community c2.
// Row: [own outcomes, other-community outcomes or null when the route has no record].
const matrix: Record<string, [string, string | null]> = {
  'GET /api/v1/auth/me': ['oooooooooo', null],
  'POST /api/v1/auth/logout': ['oooooooooo', null],
  'GET /api/v1/auth/sessions': ['oooooooooo', null],
  'DELETE /api/v1/auth/sessions/:id': ['nnnnnnnnnn', null], // someone else's session id: 404 for everyone
  'POST /api/v1/auth/password': ['oooooooooo', null],
  'GET /api/v1/auth/tokens': ['oooooooooo', null],
  'POST /api/v1/auth/tokens': ['oddddddddd', null],
  'DELETE /api/v1/auth/tokens/:id': ['nnnnnnnnnn', null], // a token that is not one's own (here: none): 404 for everyone
  'GET /api/v1/users': ['ododdddddd', null],
  'POST /api/v1/users': ['ododdddddd', null],
  'POST /api/v1/users/:id/grants': ['ododdddddd', 'odnddddddd'],
  'DELETE /api/v1/users/:id/grants/:grantId': ['ododdddddd', 'odnddddddd'],
  'GET /api/v1/users/:id/grantable-roles': ['ododdddddd', 'odnddddddd'], // which role on which place: delegation-matrix.test.ts
  'GET /api/v1/admin/sms-outbox': ['oddddddddd', null],
  'GET /api/v1/places/tree': ['oooooooddd', null],
  'GET /api/v1/places': ['oooooooddd', null],
  'GET /api/v1/places/:id': ['oooooooddd', 'oonnnnnddd'],
  'POST /api/v1/places': ['ododdddddd', 'odnddddddd'],
  'PATCH /api/v1/places/:id': ['odoodddddd', 'odnndddddd'],
  'GET /api/v1/houses/:id': ['oooooooddd', 'oonnnnnddd'],
  'GET /api/v1/residents': ['oooododddo', null],
  'GET /api/v1/residents/export.xlsx': ['odoodddddd', null],
  'GET /api/v1/residents/:id': ['oooododddo', 'oonndndddn'],
  'POST /api/v1/residents': ['ododdddddd', 'odnddddddd'],
  'PATCH /api/v1/residents/:id': ['ododdddddd', 'odnddddddd'],
  'POST /api/v1/residents/:id/move-in': ['ododdddddd', 'odnddddddd'],
  'POST /api/v1/residents/:id/move-out': ['ododdddddd', 'odnddddddd'],
  'POST /api/v1/residents/:id/reveal': ['ododdddddd', 'odnddddddd'],
  'GET /api/v1/residents/:id/access-log': ['oooddddddd', 'oonddddddd'],
  'GET /api/v1/me/resident': ['nddddddddo', null],
  'GET /api/v1/me/access-log': ['oddddddddo', null],
  'GET /api/v1/notifications': ['oooooooooo', null],
  'POST /api/v1/notifications/read': ['oooooooooo', null],
  'POST /api/v1/imports': ['ododdddddd', null], // scope of multipart uploads: import tests
  'POST /api/v1/imports/:id/run': ['ododdddddd', null],
  // no such import: the roles that pass the gate get 404 (scope of real imports: import tests)
  'GET /api/v1/imports/:id': ['ndnddddddd', null],
  'GET /api/v1/imports/:id/report.xlsx': ['ndnddddddd', null],
};
// Public routes: anyone, signed in or not. The SSE stream is covered by the notify tests.
const publicRoutes = [
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/resident/login',
  'POST /api/v1/auth/otp/request',
  'POST /api/v1/auth/otp/verify',
  'GET /api/v1/standard',
  'GET /api/v1/codes',
  // devices and brokers authenticate with device credentials or a shared secret, not a user session (ingest and MQTT tests)
  'POST /api/v1/ingest/telemetry',
  'POST /api/v1/mqtt/auth',
  'POST /api/v1/mqtt/acl',
  'POST /api/v1/mqtt/go-auth/user',
  'POST /api/v1/mqtt/go-auth/superuser',
  'POST /api/v1/mqtt/go-auth/acl',
  // cameras post their events with their device credential (incidents webhook tests)
  'POST /api/v1/incidents/camera-events',
  'POST /api/v1/incidents/camera-events/hikvision',
  // department systems sign each exchange request (RFC 9421) instead of holding a session (exchange api/agreements tests)
  'GET /api/v1/exchange/platform-keys',
  'POST /api/v1/exchange/r1/residents/lookup',
  'POST /api/v1/exchange/r1/residents/batch',
  'GET /api/v1/exchange/r1/residents/changes',
  'POST /api/v1/exchange/r1/residents/export',
];
const notInMatrix = ['GET /api/v1/notifications/stream'];

function classify(status: number): Outcome {
  if (status === 401) return 'unauth';
  if (status === 403) return 'deny';
  if (status === 404) return '404';
  return 'ok';
}

describeEachDialect('authorization matrix', (dialect) => {
  let t: TestApp;
  let w: World;
  const clients = new Map<Role, Client>();
  let ids: Record<'own' | 'other', Record<string, string>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
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
    const me = await buildResident(t.kernel, w.house1, { name: '矩阵居民', phone: '13900009999' });
    const other = await buildResident(t.kernel, w.house2, { name: '外社区居民' });
    const mover = await buildResident(t.kernel, w.house1, { name: '迁出者' }); // moved out by the move-out row, so `me` stays put
    await buildResidentUser(t.kernel, me, w.c1);
    for (const role of roles) {
      if (role === 'resident') clients.set(role, await loginResident(t.app, '13900009999', PASSWORD));
      else {
        await buildStaff(t.kernel, `m_${role}`, role, at[role] ? (at[role] === 'street' ? w.street : w.c1) : null);
        clients.set(role, await login(t.app, `m_${role}`, PASSWORD));
      }
    }
    // users with a grant in c1 and in c2, whose grants may be edited
    const u1 = await buildStaff(t.kernel, 'target_c1', 'technician', w.c1);
    const u2 = await buildStaff(t.kernel, 'target_c2', 'technician', w.c2);
    const g = async (u: string) => (await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', u).executeTakeFirstOrThrow()).id;
    await login(t.app, 'target_c1', PASSWORD);
    const session = (await t.kernel.db.selectFrom('sessions').select('id').where('user_id', '=', u1.id).executeTakeFirstOrThrow()).id;
    const residency = async (r: string) => (await t.kernel.db.selectFrom('residencies').select('id').where('resident_id', '=', r).executeTakeFirstOrThrow()).id;
    ids = {
      own: {
        mover: mover.id,
        residency: await residency(mover.id),
        resident: me.id,
        place: w.estate1.id,
        house: w.house1.id,
        community: w.c1.id,
        user: u1.id,
        grant: await g(u1.id),
        session,
      },
      other: {
        mover: other.id,
        residency: await residency(other.id),
        resident: other.id,
        place: w.estate2.id,
        house: w.house2.id,
        community: w.c2.id,
        user: u2.id,
        grant: await g(u2.id),
        session,
      },
    };
  });
  afterAll(async () => t?.close());

  function request(route: string, side: 'own' | 'other') {
    const [method, url] = route.split(' ');
    const id = ids[side];
    const recordId = url.includes('/residents/')
      ? id.resident
      : url.includes('/houses/')
        ? id.house
        : url.includes('/places/')
          ? id.place
          : url.includes('/users/')
            ? id.user
            : url.includes('/sessions/')
              ? id.session
              : 'imp_none';
    const path = url.replace(':id', route.endsWith('/move-out') ? id.mover : recordId).replace(':grantId', id.grant);
    let body: any = method === 'GET' || method === 'DELETE' ? undefined : {};
    if (route === 'POST /api/v1/places') body = { kind: 'building', parentId: id.place, name: `B-${Math.random()}` };
    if (route === 'POST /api/v1/residents') body = { name: 'x', idNumber: '1', communityId: id.community };
    // a role community staff may delegate (only its own permissions); which role may grant which: delegation-matrix.test.ts
    if (route === 'POST /api/v1/users/:id/grants') body = { role: 'community_staff', placeId: id.community };
    if (route === 'GET /api/v1/users/:id/grantable-roles') return { method, path: `${path}?placeId=${id.community}`, body };
    if (route === 'POST /api/v1/imports') body = { communityId: id.community };
    // valid bodies, so a record outside the scope is judged (404) rather than the input (422)
    if (route.endsWith('/move-in')) body = { houseId: id.house, role: 'family', moveIn: '2025-01-01' };
    if (route.endsWith('/move-out')) body = { residencyId: id.residency, moveOut: '2025-01-01' };
    if (route.endsWith('/reveal')) body = { field: 'phone', reason: 'matrix' };
    if (route === 'POST /api/v1/auth/logout') return { method: 'GET', path: '/api/v1/auth/me', body }; // do not end the matrix sessions
    if (route === 'POST /api/v1/auth/password') body = { currentPassword: 'wrong-wrong-wrong', newPassword: 'whatever-long-1' };
    return { method, path, body };
  }

  /** A grant that the DELETE row may remove (each request removes one). */
  async function freshGrant(side: 'own' | 'other') {
    const userId = ids[side].user;
    await t.kernel.db.deleteFrom('role_grants').where('user_id', '=', userId).where('role', '=', 'community_staff').execute();
    const g = await new IdentityService(t.kernel).addGrant(userId, 'community_staff', ids[side].community, null);
    return g.id;
  }

  it('covers every API route', () => {
    const declared = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`);
    const fromModules = moduleMatrices.flatMap((m) => Object.keys(m.rows));
    const missing = declared.filter((r) => !(r in matrix) && !fromModules.includes(r) && !publicRoutes.includes(r) && !notInMatrix.includes(r));
    expect(missing).toEqual([]);
    for (const r of t.app.apiRoutes) if (publicRoutes.includes(`${r.method} ${r.url}`)) expect(r.auth).toBe('public');
  });

  it('denies anonymous callers on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of Object.keys(matrix)) {
      const { method, path, body } = request(route, 'own');
      const res = await anonymous(t.app).req(method, path, body);
      if (res.status !== 401) wrong.push(`${route}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives each role exactly the outcomes of the matrix, in its own community and in the other one', async () => {
    const wrong: string[] = [];
    for (const [route, [own, other]] of Object.entries(matrix)) {
      for (const [side, row] of [
        ['own', own],
        ['other', other],
      ] as const) {
        if (!row) continue;
        for (let i = 0; i < cols.length; i++) {
          const expected = O[row[i] as 'o' | 'd' | 'n'];
          if (route === 'DELETE /api/v1/users/:id/grants/:grantId') ids[side].grant = await freshGrant(side);
          const { method, path, body } = request(route, side);
          const res = await clients.get(cols[i])!.req(method, path, body);
          const got = classify(res.status);
          if (got !== expected) wrong.push(`${route} [${side}] as ${cols[i]}: expected ${expected}, got ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('gives each role the outcomes the modules declare for their routes', async () => {
    const wrong: string[] = [];
    for (const m of moduleMatrices) {
      const mids = await m.setup(t.kernel, w);
      for (const [route, entry] of Object.entries(m.rows)) {
        const [method, url] = route.split(' ');
        for (const side of ['own', 'other'] as const) {
          const row = side === 'own' ? entry.own : entry.other;
          if (!row) continue;
          for (let i = 0; i < cols.length; i++) {
            const r = entry.request?.({ ...ids[side], ...mids[side] }) ?? {};
            const path = r.path ?? url;
            const body = method === 'GET' || method === 'DELETE' ? undefined : (r.body ?? {});
            const res = await clients.get(cols[i])!.req(method, path, body);
            const got = classify(res.status);
            const expected = O[row[i] as 'o' | 'd' | 'n'];
            if (got !== expected) wrong.push(`${route} [${side}] as ${cols[i]}: expected ${expected}, got ${res.status} ${res.body.slice(0, 80)}`);
          }
        }
      }
      // anonymous callers are refused everywhere
      for (const route of Object.keys(m.rows)) {
        const [method, url] = route.split(' ');
        const res = await anonymous(t.app).req(method, url, method === 'GET' ? undefined : {});
        if (res.status !== 401) wrong.push(`${route} anonymous: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
