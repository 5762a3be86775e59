// Runs this module's authorization-matrix rows the way server/src/test/authz-matrix.test.ts
// does (once the rows are listed in matrix-modules.ts that test runs them too).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { anonymous, login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import type { Role } from '../../kernel/authz/index.js';
import { workordersMatrix } from './workorders.authz-rows.js';

const cols: Role[] = ['platform_admin', 'gov_supervisor', 'community_staff', 'property_manager', 'technician', 'security_guard', 'doctor', 'department_officer', 'service_provider', 'resident'];
const outcome = (s: number) => (s === 401 ? 'u' : s === 403 ? 'd' : s === 404 ? 'n' : 'o');

describeEachDialect('work orders authorization matrix', (dialect) => {
  let t: TestApp;
  let w: World;
  const clients = new Map<Role, Client>();
  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    const at: Record<Role, 'street' | 'c1' | null> = {
      platform_admin: null, gov_supervisor: 'street', community_staff: 'c1', property_manager: 'c1', technician: 'c1',
      security_guard: 'c1', doctor: 'c1', department_officer: 'street', service_provider: 'c1', resident: null,
    };
    const me = await buildResident(t.kernel, w.house1, { name: '矩阵居民', phone: '13900009999' });
    await buildResident(t.kernel, w.house2, { name: '外社区居民' });
    await buildResidentUser(t.kernel, me, w.c1);
    for (const role of cols) {
      if (role === 'resident') clients.set(role, await loginResident(t.app, '13900009999', PASSWORD));
      else {
        await buildStaff(t.kernel, `m_${role}`, role, at[role] ? (at[role] === 'street' ? w.street : w.c1) : null);
        clients.set(role, await login(t.app, `m_${role}`, PASSWORD));
      }
    }
  });
  afterAll(async () => t?.close());

  it('has a row for every work-order route', () => {
    const mine = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).filter((r) => /work-order|repair-request/.test(r));
    expect(mine.filter((r) => !(r in workordersMatrix.rows))).toEqual([]);
  });

  it('gives each role the declared outcome', async () => {
    const ids = await workordersMatrix.setup(t.kernel, w);
    const wrong: string[] = [];
    for (const [route, entry] of Object.entries(workordersMatrix.rows)) {
      const [method, url] = route.split(' ');
      for (const side of ['own', 'other'] as const) {
        const row = side === 'own' ? entry.own : entry.other;
        if (!row) continue;
        for (let i = 0; i < cols.length; i++) {
          const r = entry.request?.(ids[side]) ?? {};
          const res = await clients.get(cols[i])!.req(method, r.path ?? url, method === 'GET' ? undefined : r.body ?? {});
          if (outcome(res.status) !== row[i]) wrong.push(`${route} [${side}] as ${cols[i]}: expected ${row[i]}, got ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
      const anon = await anonymous(t.app).req(method, url, method === 'GET' ? undefined : {});
      if (anon.status !== 401) wrong.push(`${route} anonymous: ${anon.status}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
