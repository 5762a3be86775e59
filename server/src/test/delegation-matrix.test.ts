// Delegation matrix: every role as grantor × every role it tries to grant × own place / other
// community / wider place × self / another staff user (and a resident account), through the real
// HTTP app. The expectations are written out by hand here, not derived from the policy's code,
// so a change to the permission tables or the policy that widens delegation shows up as a failure.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from './harness.js';
import { login, loginResident, type Client } from './session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from './fixtures.js';
import { roles, type Role } from '../kernel/authz/index.js';
import { PlacesService } from '../modules/registry/index.js';
import type { PlaceRow } from '../modules/registry/places.repository.js';

type Grantor = Role | 'street_staff';
type Side = 'own' | 'other' | 'wider';
const grantors: Grantor[] = [...roles, 'street_staff'];
const gate = '403:auth.forbidden'; // no user administration at all: refused at the route
const S = (code: string) => `403:identity.${code}`;

/**
 * What `grantor` must get when it grants `role` on `side` to another staff user / to itself.
 * own = 花家地社区 (c1), other = 南湖东园社区 (c2), wider = 望京街道 (the street above both);
 * for the street-level community staff ("street_staff") own = c1, other = c2 (both inside its
 * street) and wider = the district above the street.
 */
function expected(grantor: Grantor, role: Role, side: Side, self: boolean): string {
  if (!['platform_admin', 'community_staff', 'street_staff'].includes(grantor)) return gate;
  if (grantor === 'platform_admin') return self ? S('grant_self') : role === 'resident' ? S('grant_staff_account') : '201';
  // a platform-wide role names no place: the refusal does not depend on the place
  if (role === 'platform_admin') return self ? S('grant_self') : S('grant_from_above');
  const inScope = side === 'own' || (grantor === 'street_staff' && side === 'other');
  if (!inScope) return '404';
  if (self) return S('grant_self');
  if (role === 'resident') return S('grant_staff_account');
  if (role === 'gov_supervisor' || role === 'department_officer') return S('grant_from_above');
  // community staff hold neither the property company's money and device rights, nor the
  // technicians' and guards' field actions, nor the providers' booking rights, nor a doctor's
  // clinical access (health module): a platform admin grants those
  if (role === 'community_staff') return '201';
  return S('grant_not_delegable');
}

/** Granting `role` on `side` to a resident account of 花家地 (c1). */
function expectedForResident(grantor: Grantor, role: Role, side: Side): string {
  if (!['platform_admin', 'community_staff', 'street_staff'].includes(grantor)) return gate;
  if (grantor !== 'platform_admin' && role === 'platform_admin') return S('grant_resident_account');
  const inScope = grantor === 'platform_admin' || side === 'own' || (grantor === 'street_staff' && side === 'other');
  if (role !== 'platform_admin' && !inScope) return '404';
  if (role !== 'resident') return S('grant_resident_account');
  return grantor === 'platform_admin' ? '201' : S('grant_not_delegable'); // community staff do not hold a resident's own rights
}

describeEachDialect('delegation matrix', (dialect) => {
  let t: TestApp;
  let w: World;
  let district: PlaceRow;
  const clients = new Map<Grantor, Client>();
  let staffTarget: string;
  let residentTarget: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    district = (await new PlacesService(t.kernel).repo.byId(w.street.parent_id!))!;
    const at: Record<Grantor, PlaceRow | null> = {
      platform_admin: null,
      gov_supervisor: w.street,
      community_staff: w.c1,
      property_manager: w.c1,
      technician: w.c1,
      security_guard: w.c1,
      doctor: w.c1,
      department_officer: w.street,
      service_provider: w.c1,
      resident: null,
      street_staff: w.street,
    };
    for (const g of grantors) {
      if (g === 'resident') continue;
      await buildStaff(t.kernel, `d_${g}`, g === 'street_staff' ? 'community_staff' : g, at[g]);
      clients.set(g, await login(t.app, `d_${g}`, PASSWORD));
    }
    const me = await buildResident(t.kernel, w.house1, { name: '授权居民', phone: '13900008888' });
    residentTarget = (await buildResidentUser(t.kernel, me, w.c1)).id;
    clients.set('resident', await loginResident(t.app, '13900008888', PASSWORD));
    staffTarget = (await buildStaff(t.kernel, 'd_target', 'technician', w.c1)).id;
  });
  afterAll(async () => t?.close());

  const placeOf = (g: Grantor, side: Side) =>
    g === 'street_staff' ? { own: w.c1, other: w.c2, wider: district }[side] : { own: w.c1, other: w.c2, wider: w.street }[side];

  /** Try the grant; undo it when it was made, so no combination changes another. */
  async function attempt(g: Grantor, userId: string, role: Role, place: PlaceRow): Promise<string> {
    const held = new Set((await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', userId).execute()).map((r) => r.id));
    const res = await clients.get(g)!.post(`/api/v1/users/${userId}/grants`, { role, placeId: place.id });
    if (res.status === 201) {
      // a grant the user already held is answered as it is (idempotent): only a new one is undone
      if (!held.has(res.json.id)) await t.kernel.db.deleteFrom('role_grants').where('id', '=', res.json.id).execute();
      return '201';
    }
    return res.status === 403 ? `403:${res.json?.code}` : String(res.status);
  }

  it('answers every grantor × role × place × target combination as the policy says', async () => {
    const wrong: string[] = [];
    for (const g of grantors) {
      const selfId = clients.get(g)!.user.id as string;
      for (const role of roles) {
        for (const side of ['own', 'other', 'wider'] as const) {
          const place = placeOf(g, side);
          const cases: [string, string, string][] = [
            ['other staff', staffTarget, expected(g, role, side, false)],
            ['self', selfId, g === 'resident' ? gate : expected(g, role, side, true)],
            ['resident account', residentTarget, expectedForResident(g, role, side)],
          ];
          for (const [who, userId, want] of cases) {
            const got = await attempt(g, userId, role, place);
            if (got !== want) wrong.push(`${g} grants ${role} on ${side} to ${who}: expected ${want}, got ${got}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('refuses a community staff member who grants itself property_manager or gov_supervisor, and it gains nothing', async () => {
    const staff = clients.get('community_staff')!;
    for (const role of ['property_manager', 'gov_supervisor'] as const) {
      const res = await staff.post(`/api/v1/users/${staff.user.id}/grants`, { role, placeId: w.c1.id });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.code).toBe('identity.grant_self');
    }
    const me = await staff.get('/api/v1/auth/me');
    expect(me.json.user.grants.map((g: any) => g.role)).toEqual(['community_staff']);
    const perms = me.json.user.permissions.map((p: string[]) => p.join(':'));
    expect(perms).not.toContain('refund:Payment');
    expect(perms).not.toContain('rotate:Device');
  });

  it('refuses community_staff on a resident account, in Chinese and English, and the account keeps only its resident role', async () => {
    const staff = clients.get('community_staff')!;
    const zh = await staff.post(`/api/v1/users/${residentTarget}/grants`, { role: 'community_staff', placeId: w.c1.id });
    expect(zh.status).toBe(403);
    expect(zh.json).toMatchObject({ code: 'identity.grant_resident_account', title: '居民账号不能持有工作人员角色' });
    const en = await staff.req('POST', `/api/v1/users/${residentTarget}/grants`, { role: 'community_staff', placeId: w.c1.id }, { 'accept-language': 'en' });
    expect(en.json).toMatchObject({ code: 'identity.grant_resident_account', title: 'A resident account cannot hold a staff role' });
    const grants = await t.kernel.db.selectFrom('role_grants').select('role').where('user_id', '=', residentTarget).execute();
    expect(grants.map((g) => g.role)).toEqual(['resident']);
  });

  it('does not let a just-created user be granted more than the grantor holds', async () => {
    const staff = clients.get('community_staff')!;
    const created = await staff.post('/api/v1/users', { username: 'd_fresh', displayName: '新同事', password: PASSWORD });
    expect(created.status).toBe(201);
    for (const role of ['property_manager', 'technician', 'security_guard', 'service_provider'] as const) {
      const res = await staff.post(`/api/v1/users/${created.json.id}/grants`, { role, placeId: w.c1.id });
      expect([res.status, res.json.code]).toEqual([403, 'identity.grant_not_delegable']);
    }
    for (const role of ['platform_admin', 'gov_supervisor', 'department_officer'] as const) {
      const res = await staff.post(`/api/v1/users/${created.json.id}/grants`, { role, placeId: w.c1.id });
      expect([res.status, res.json.code]).toEqual([403, 'identity.grant_from_above']);
    }
    // another community's place stays invisible; the staff's own community works
    expect((await staff.post(`/api/v1/users/${created.json.id}/grants`, { role: 'community_staff', placeId: w.c2.id })).status).toBe(404);
    const first = await staff.post(`/api/v1/users/${created.json.id}/grants`, { role: 'community_staff', placeId: w.c1.id });
    expect(first.status).toBe(201);
    // the same grant again changes nothing and answers with the grant that exists (not a new id never stored)
    const again = await staff.post(`/api/v1/users/${created.json.id}/grants`, { role: 'community_staff', placeId: w.c1.id });
    expect(again.json.id).toBe(first.json.id);
    const held = await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', created.json.id).execute();
    expect(held.map((g) => g.id)).toEqual([first.json.id]);
  });

  it('revokes only what the revoker could grant, never its own grants, and lets a wrongly held role be taken away', async () => {
    const staff = clients.get('community_staff')!;
    const admin = clients.get('platform_admin')!;
    const give = async (userId: string, role: Role, place: PlaceRow) =>
      (await admin.post(`/api/v1/users/${userId}/grants`, { role, placeId: place.id })).json.id as string;
    const del = (c: Client, userId: string, grantId: string) => c.del(`/api/v1/users/${userId}/grants/${grantId}`);
    const pm = await give(staffTarget, 'property_manager', w.c1);
    const refused = await del(staff, staffTarget, pm);
    expect([refused.status, refused.json.code]).toEqual([403, 'identity.grant_not_delegable']);
    expect((await del(admin, staffTarget, pm)).status).toBe(204);
    const colleague = await give(staffTarget, 'community_staff', w.c1);
    expect((await del(staff, staffTarget, colleague)).status).toBe(204);
    const elsewhere = await give(staffTarget, 'community_staff', w.c2);
    expect((await del(staff, staffTarget, elsewhere)).status).toBe(404);
    const own = (await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', staff.user.id).executeTakeFirstOrThrow()).id;
    expect((await del(staff, staff.user.id, own)).json.code).toBe('identity.grant_self');
    const ownAdmin = (await t.kernel.db.selectFrom('role_grants').select('id').where('user_id', '=', admin.user.id).executeTakeFirstOrThrow()).id;
    expect((await del(admin, admin.user.id, ownAdmin)).json.code).toBe('identity.grant_self');
    // a staff role a resident account got before this policy existed can be removed
    await t.kernel.db
      .insertInto('role_grants')
      .values({
        id: 'grt_legacy',
        user_id: residentTarget,
        role: 'community_staff',
        place_id: w.c1.id,
        scope_path: w.c1.path,
        created_at: new Date().toISOString(),
        created_by: null,
      })
      .execute();
    expect((await del(staff, residentTarget, 'grt_legacy')).status).toBe(204);
  });

  it('audits grants, revocations and refused attempts with role, place and grantor', async () => {
    const staff = clients.get('community_staff')!;
    const res = await staff.post(`/api/v1/users/${staffTarget}/grants`, { role: 'community_staff', placeId: w.c1.id });
    expect(res.status).toBe(201);
    expect((await staff.del(`/api/v1/users/${staffTarget}/grants/${res.json.id}`)).status).toBe(204);
    expect((await staff.post(`/api/v1/users/${staffTarget}/grants`, { role: 'property_manager', placeId: w.c1.id })).status).toBe(403);
    const rows = await t.kernel.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'scope_path', 'detail'])
      .where('actor_id', '=', staff.user.id)
      .where('target_id', '=', staffTarget)
      .orderBy('seq')
      .execute();
    const seen = rows.map((r) => ({ action: r.action, actor: r.actor_id, scope: r.scope_path, ...JSON.parse(r.detail as string) }));
    expect(seen.slice(-3)).toMatchObject([
      { action: 'identity.grant.add', actor: staff.user.id, scope: w.c1.path, role: 'community_staff', placeId: w.c1.id, grantor: staff.user.id },
      { action: 'identity.grant.remove', actor: staff.user.id, scope: w.c1.path, role: 'community_staff', placeId: w.c1.id, grantor: staff.user.id },
      { action: 'identity.grant.add.refused', actor: staff.user.id, scope: w.c1.path, role: 'property_manager', code: 'identity.grant_not_delegable' },
    ]);
  });

  it('lists the roles the signed-in user may grant to a user on a place', async () => {
    const roleList = async (c: Client, userId: string, place: PlaceRow) => {
      const res = await c.get(`/api/v1/users/${userId}/grantable-roles?placeId=${place.id}`);
      return res.status === 200 ? res.json.items : res.status;
    };
    expect(await roleList(clients.get('community_staff')!, staffTarget, w.c1)).toEqual(['community_staff']);
    expect(await roleList(clients.get('community_staff')!, residentTarget, w.c1)).toEqual([]);
    expect(await roleList(clients.get('community_staff')!, staffTarget, w.c2)).toBe(404);
    expect(await roleList(clients.get('platform_admin')!, staffTarget, w.c2)).toEqual(roles.filter((r) => r !== 'resident'));
    expect(await roleList(clients.get('property_manager')!, staffTarget, w.c1)).toBe(403);
  });
});
