// Billing: a community's houses with area and path, each with its current residents and their
// tags (fee rules, reminders).
import type { Kernel } from '../../kernel/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { RegistryTables } from './registry.tables.js';

export const billingHouses = {
  async ofCommunity(k: Kernel, communityId: string, houseIds?: string[]) {
    const db = tablesOf<RegistryTables>(k.db);
    let q = db.selectFrom('places').select(['id', 'path', 'name', 'area_m2']).where('community_id', '=', communityId).where('kind', '=', 'house');
    if (houseIds) q = houseIds.length ? q.where('id', 'in', houseIds) : q.where('id', '=', '');
    const houses = await q.orderBy('path').execute();
    let rq = db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select(['residencies.house_id', 'residencies.household_id', 'residents.id', 'residents.tags'])
      .where('residencies.community_id', '=', communityId)
      .where('residencies.move_out', 'is', null);
    if (houseIds) rq = houseIds.length ? rq.where('residencies.house_id', 'in', houseIds) : rq.where('residencies.house_id', '=', '');
    const occupants = new Map<string, { residentId: string; householdId: string | null; tags: string[] }[]>();
    for (const r of await rq.execute()) {
      const list = occupants.get(r.house_id) ?? [];
      list.push({ residentId: r.id, householdId: r.household_id ?? null, tags: JSON.parse(r.tags || '[]') as string[] });
      occupants.set(r.house_id, list);
    }
    return houses.map((h) => ({
      houseId: h.id,
      path: h.path,
      name: h.name,
      areaM2: h.area_m2 === null ? null : Number(h.area_m2),
      occupants: occupants.get(h.id) ?? [],
    }));
  },
};
