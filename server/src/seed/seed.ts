// Seeds the demo community through the registry and identity services (never raw SQL),
// and creates one demo login for every role.
import type { Kernel } from '../kernel/index.js';
import type { Role } from '../kernel/authz/index.js';
import { PlacesService, ResidentsService } from '../modules/registry/index.js';
import type { PlaceRow } from '../modules/registry/index.js';
import { IdentityService } from '../modules/identity/index.js';
import { generateDemo } from './demo-data.js';
import { localDate } from '../kernel/time.js';
import { modules } from '../modules/index.js';
import type { DemoContext } from '../kernel/app.js';

export const DEMO_PASSWORD = 'linli-demo-2026';

export interface DemoLogin {
  role: Role;
  username?: string;
  phone?: string;
  password: string;
  scope: string;
}

/** True when the database already holds places (so a restart does not reseed). */
export async function isSeeded(k: Kernel): Promise<boolean> {
  const r = await k.db.selectFrom('places').select('id').limit(1).executeTakeFirst();
  return !!r;
}

export async function seedDemo(k: Kernel): Promise<DemoLogin[]> {
  const d = generateDemo();
  const places = new PlacesService(k);
  const residents = new ResidentsService(k);
  const identity = new IdentityService(k);
  const byKey = new Map<string, PlaceRow>();

  await k.db.transaction().execute(async (t) => {
    const add = async (key: string, parentKey: string | null, input: Parameters<PlacesService['insertPlace']>[0]) => {
      byKey.set(key, await places.insertPlace(input, parentKey ? byKey.get(parentKey)! : null, t));
    };
    for (const r of d.regions) await add(r.key, r.parentKey, { kind: 'region', name: r.name, code: r.code, regionLevel: r.level });
    for (const c of d.communities) await add(c.key, c.parentKey, { kind: 'community', name: c.name, code: c.code, timeZone: c.timeZone });
    for (const e of d.estates) await add(e.key, e.parentKey, { kind: 'estate', name: e.name });
    for (const b of d.buildings) await add(b.key, b.parentKey, { kind: 'building', name: b.name });
    for (const u of d.units) await add(u.key, u.parentKey, { kind: 'unit', name: u.name });
    for (const h of d.houses) await add(h.key, h.parentKey, { kind: 'house', name: h.number, floor: h.floor, areaM2: h.areaM2, houseUse: h.houseUse });

    const residentRows = new Map(d.residents.map((r) => [r.key, r]));
    const rowsByKey = new Map<string, ReturnType<ResidentsService['buildRow']>>();
    for (const hh of d.households) {
      const house = byKey.get(hh.houseKey)!;
      for (const m of hh.members) {
        const r = residentRows.get(m.residentKey)!;
        let row = rowsByKey.get(r.key);
        if (!row) {
          row = residents.buildRow(
            {
              name: r.name,
              idType: r.idType,
              idNumber: r.idNumber,
              gender: r.gender,
              birthDate: r.birthDate,
              ethnicity: r.ethnicity,
              phone: r.phone,
              tags: r.tags,
              note: null,
            },
            house.community_id!,
            house.path,
          );
          await residents.residents.insert(row, t);
          rowsByKey.set(r.key, row);
        }
        const rs = await residents.addResidency(t, row, house, { houseId: house.id, role: m.role, relation: m.relation, moveIn: m.moveIn });
        row.place_path = house.path;
        if (m.moveOut) {
          await residents.residents.updateResidency(rs.id, { move_out: m.moveOut, move_out_reason: m.moveOutReason ?? null }, t);
          if (r.status === 'moved_out') await residents.residents.update(row.id, { status: 'moved_out' }, t);
        }
      }
    }
  });
  await k.audit.record({
    actorId: null,
    actorName: 'system',
    action: 'seed.demo',
    targetType: 'system',
    targetId: null,
    detail: { residents: d.residents.length, houses: d.houses.length },
  });

  // one login per role
  const street = byKey.get(d.regions[d.regions.length - 1].key)!;
  const [c1, c2] = d.communities.map((c) => byKey.get(c.key)!);
  const logins: DemoLogin[] = [];
  const userIds: Record<string, string> = {};
  const staff = async (username: string, name: string, role: Role, place: PlaceRow | null) => {
    const u = await identity.createStaffUser({ username, displayName: name, password: DEMO_PASSWORD }, null);
    userIds[username] = u.id;
    await identity.addGrant(u.id, role, place?.id ?? null, null);
    logins.push({ role, username, password: DEMO_PASSWORD, scope: place?.name ?? '全平台' });
    return u;
  };
  await staff('admin', '平台管理员', 'platform_admin', null);
  await staff('gov', '街道督导 周敏', 'gov_supervisor', street);
  await staff('staff', '社区工作者 李娜', 'community_staff', c1);
  await staff('staff2', '社区工作者 王强', 'community_staff', c2);
  await staff('property', '物业经理 陈刚', 'property_manager', c1);
  await staff('tech', '维修技师 赵磊', 'technician', c1);
  await staff('guard', '保安 孙伟', 'security_guard', c1);
  await staff('doctor', '社区医生 刘芳', 'doctor', c1);
  await staff('officer', '派出所民警 吴军', 'department_officer', street);
  await staff('provider', '家政服务 郑丽', 'service_provider', c1);

  // a resident of community 1 with a phone: sign in with phone + password or a one-time code
  const firstOwner = d.households.find((h) => byKey.get(h.houseKey)!.community_id === c1.id && findResident(d, h.members[0].residentKey)?.phone);
  const demoResident = findResident(d, firstOwner!.members[0].residentKey)!;
  const rRow = await residents.residents.byIdBidx(residents.idIndex(demoResident.idNumber));
  await identity.createResidentUser({
    residentId: rRow!.id,
    name: demoResident.name,
    phone: demoResident.phone!,
    communityPath: c1.path,
    password: DEMO_PASSWORD,
  });
  logins.push({ role: 'resident', phone: demoResident.phone!, password: DEMO_PASSWORD, scope: c1.name });
  // each module's part of the demo, in module order (devices before the doors and cameras on them…)
  const demo: DemoContext = {
    communityId: c1.id,
    streetId: street.id,
    residentId: rRow!.id,
    password: DEMO_PASSWORD,
    today: localDate(k.clock.now()),
    userIds,
  };
  for (const m of modules) if (m.seed) await m.seed(k, demo);
  return logins;
}

function findResident(d: ReturnType<typeof generateDemo>, key: string) {
  return d.residents.find((r) => r.key === key);
}

/** The demo logins of an already-seeded database (for the start banner). */
export async function demoLogins(k: Kernel): Promise<DemoLogin[]> {
  const users = await k.db
    .selectFrom('users')
    .innerJoin('role_grants', 'role_grants.user_id', 'users.id')
    .select(['users.username', 'users.kind', 'users.phone_enc', 'role_grants.role', 'role_grants.place_id'])
    .orderBy('users.created_at')
    .execute();
  const names = new Map(
    (
      await k.db
        .selectFrom('places')
        .select(['id', 'name'])
        .where(
          'id',
          'in',
          users
            .map((u) => u.place_id)
            .filter(Boolean)
            .concat(['-']),
        )
        .execute()
    ).map((p) => [p.id, p.name]),
  );
  return users.slice(0, 12).map((u) => ({
    role: u.role as Role,
    username: u.username ?? undefined,
    phone: u.phone_enc ? k.vault.decrypt(u.phone_enc) : undefined,
    password: DEMO_PASSWORD,
    scope: u.place_id ? (names.get(u.place_id) ?? '') : '全平台',
  }));
}
