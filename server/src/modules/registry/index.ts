// Registry module: places, households, residents — the platform's unified data standard.
// Other modules reach the registry only through the functions exported here.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import './registry.policy.js';
import { PlacesService } from './places.service.js';
import { ResidentsService } from './residents.service.js';
import { registerRegistryRoutes } from './registry.routes.js';
import { registerImportRoutes } from './import/import.routes.js';

export { PlacesService, placeView } from './places.service.js';
export { ResidentsService } from './residents.service.js';
export { normalisePhone, isMainlandMobile } from './standard/phone.js';

/** Read-only lookups for other modules. */
export const places = {
  async getPlace(k: Kernel, id: string) {
    return new PlacesService(k).repo.byId(id);
  },
  async children(k: Kernel, parentId: string, kind: string) {
    return new PlacesService(k).repo.children(parentId, kind);
  },
  async firstByKindAndName(k: Kernel, kind: string, name: string) {
    return new PlacesService(k).repo.firstByKindAndName(kind, name);
  },
  async placeNames(k: Kernel, ids: string[]) {
    const rows = await new PlacesService(k).repo.byIds([...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r.name]));
  },
  /** The active resident with this phone, and the path of their community (for a resident account). */
  async residentByPhone(k: Kernel, phone: string) {
    const svc = new ResidentsService(k);
    const r = await svc.residents.byPhoneBidx(svc.phoneIndex(phone));
    if (!r) return null;
    const community = await svc.places.byId(r.community_id);
    return { id: r.id, name: r.name, communityPath: community?.path ?? r.place_path };
  },
};

/** A resident and the houses they live in now, for other modules (work orders, doors, billing). */
export const residents = {
  async get(k: Kernel, id: string) {
    const svc = new ResidentsService(k);
    const r = await svc.residents.byId(id);
    if (!r) return null;
    const current = (await svc.residents.residenciesOf([r.id])).filter((x) => !x.move_out);
    return {
      id: r.id,
      name: r.name,
      communityId: r.community_id,
      status: r.status,
      houses: current.map((x) => ({ houseId: x.house_id, householdId: x.household_id, communityId: x.community_id, placePath: x.place_path, role: x.role })),
    };
  },
};

export const registryModule: Module = {
  name: 'registry',
  async register(app, k) {
    const placesSvc = new PlacesService(k);
    const residentsSvc = new ResidentsService(k);
    registerRegistryRoutes(app, k, placesSvc, residentsSvc);
    registerImportRoutes(app, k, placesSvc, residentsSvc);
  },
};

/**
 * Residents living now under any of these place paths (communities, estates, buildings, houses),
 * optionally only those with all of the given tags (stored tags, or the derived 'elderly' and
 * 'child' from the birth date): audiences of notices and surveys. One row per current residency.
 */
export const audience = {
  async residents(k: Kernel, o: { paths: string[]; tags?: string[]; today: string; residentId?: string }) {
    if (!o.paths.length) return [];
    const { startsWith, like, escapeLike } = await import('../../kernel/db/index.js');
    // imported here: this block is appended to the registry's public face (others edit its head)
    const { ageTags } = await import('./standard/codes.js');
    let q = k.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select(['residents.id as residentId', 'residents.name as name', 'residents.birth_date as birthDate', 'residencies.house_id as houseId', 'residencies.household_id as householdId', 'residencies.place_path as placePath', 'residencies.role as role'])
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .where((eb) => eb.or(o.paths.map((p) => startsWith('residencies.place_path', p))));
    if (o.residentId) q = q.where('residents.id', '=', o.residentId);
    const derived = new Set(['elderly', 'child']);
    for (const t of o.tags ?? []) if (!derived.has(t)) q = q.where(like('residents.tags', `%"${escapeLike(t)}"%`));
    const rows = (await q.orderBy('residents.id').execute()) as { residentId: string; name: string; birthDate: string | null; houseId: string; householdId: string | null; placePath: string; role: string }[];
    const want = (o.tags ?? []).filter((t) => derived.has(t));
    const out = want.length ? rows.filter((r) => r.birthDate && want.every((t) => ageTags(r.birthDate!, o.today).includes(t))) : rows;
    const { ageOn } = await import('./standard/codes.js');
    return out.map((r) => ({ ...r, age: r.birthDate ? ageOn(r.birthDate, o.today) : null, buildingId: r.placePath.split('/').find((s) => s.startsWith('bld_')) ?? null }));
  },
};

/** Billing: a community's houses with area and path, each with its current residents and their tags (fee rules, reminders). */
export const billingHouses = {
  async ofCommunity(k: Kernel, communityId: string, houseIds?: string[]) {
    let q = k.db.selectFrom('places').select(['id', 'path', 'name', 'area_m2']).where('community_id', '=', communityId).where('kind', '=', 'house');
    if (houseIds) q = houseIds.length ? q.where('id', 'in', houseIds) : q.where('id', '=', '');
    const houses = await q.orderBy('path').execute();
    let rq = k.db.selectFrom('residencies').innerJoin('residents', 'residents.id', 'residencies.resident_id').select(['residencies.house_id', 'residencies.household_id', 'residents.id', 'residents.tags']).where('residencies.community_id', '=', communityId).where('residencies.move_out', 'is', null);
    if (houseIds) rq = houseIds.length ? rq.where('residencies.house_id', 'in', houseIds) : rq.where('residencies.house_id', '=', '');
    const occupants = new Map<string, { residentId: string; householdId: string | null; tags: string[] }[]>();
    for (const r of await rq.execute()) {
      const list = occupants.get(r.house_id) ?? [];
      list.push({ residentId: r.id, householdId: r.household_id ?? null, tags: JSON.parse(r.tags || '[]') });
      occupants.set(r.house_id, list);
    }
    return houses.map((h) => ({ houseId: h.id as string, path: h.path as string, name: h.name as string, areaM2: h.area_m2 === null ? null : Number(h.area_m2), occupants: occupants.get(h.id) ?? [] }));
  },
};

/**
 * Council votes (issue 6): who may vote in a community on a date. 'residents' = active residents
 * living there now and 18 or older on `asOf` (no birth date → not counted); 'owners' = current
 * owners, one entry per owner with the houses they represent (a house with several registered
 * co-owners is represented by its first registered owner, so one house counts as one owner and its
 * area once); 'households' = active households, acted for by any adult member. Areas in m² as stored.
 */
export const electorate = {
  async of(k: Kernel, communityId: string, basis: 'residents' | 'owners' | 'households', asOf: string) {
    const adultBy = `${Number(asOf.slice(0, 4)) - 18}${asOf.slice(4, 10)}`;
    const rows = (await k.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .innerJoin('places', 'places.id', 'residencies.house_id')
      .select(['residencies.resident_id as residentId', 'residents.name as name', 'residents.birth_date as birthDate', 'residencies.house_id as houseId', 'residencies.household_id as householdId', 'residencies.role as role', 'residencies.move_in as moveIn', 'places.name as houseName', 'places.path as housePath', 'places.area_m2 as areaM2'])
      .where('residencies.community_id', '=', communityId)
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .orderBy('residencies.move_in').orderBy('residencies.resident_id')
      .execute()) as { residentId: string; name: string; birthDate: string | null; houseId: string; householdId: string | null; role: string; moveIn: string; houseName: string; housePath: string; areaM2: number | null }[];
    type Entry = { voterKey: string; residentId: string; name: string; houses: { houseId: string; name: string; path: string; areaM2: number | null }[]; members: string[] };
    const out = new Map<string, Entry>();
    const adult = (r: (typeof rows)[number]) => !!r.birthDate && r.birthDate <= adultBy;
    if (basis === 'residents') {
      for (const r of rows) if (adult(r) && !out.has(r.residentId)) out.set(r.residentId, { voterKey: r.residentId, residentId: r.residentId, name: r.name, houses: [{ houseId: r.houseId, name: r.houseName, path: r.housePath, areaM2: null }], members: [r.residentId] });
    } else if (basis === 'owners') {
      const represented = new Set<string>();
      for (const r of rows) {
        if (r.role !== 'owner' || represented.has(r.houseId)) continue;
        represented.add(r.houseId);
        const e = out.get(r.residentId) ?? { voterKey: r.residentId, residentId: r.residentId, name: r.name, houses: [], members: [r.residentId] };
        e.houses.push({ houseId: r.houseId, name: r.houseName, path: r.housePath, areaM2: r.areaM2 === null ? null : Number(r.areaM2) });
        out.set(r.residentId, e);
      }
    } else {
      for (const r of rows) {
        if (!r.householdId || !adult(r)) continue;
        const e = out.get(r.householdId) ?? { voterKey: r.householdId, residentId: r.residentId, name: r.name, houses: [{ houseId: r.houseId, name: r.houseName, path: r.housePath, areaM2: null }], members: [] };
        if (!e.members.includes(r.residentId)) e.members.push(r.residentId);
        out.set(r.householdId, e);
      }
    }
    return [...out.values()];
  },
  /** Is this resident 18 or older on `asOf` and living in the community now (co-signing proposals)? */
  async isAdultResidentOf(k: Kernel, residentId: string, communityId: string, asOf: string) {
    const adultBy = `${Number(asOf.slice(0, 4)) - 18}${asOf.slice(4, 10)}`;
    const r = await k.db.selectFrom('residencies').innerJoin('residents', 'residents.id', 'residencies.resident_id').select('residents.id')
      .where('residencies.resident_id', '=', residentId).where('residencies.community_id', '=', communityId).where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active').where('residents.birth_date', '<=', adultBy).executeTakeFirst();
    return !!r;
  },
};
