// Billing: a community's houses with area and path, each with its current residents and their
// tags (fee rules, reminders).
import type { Kernel } from '../../kernel/index.js';
import { RegistryReadsRepository } from './registry.reads.repository.js';

export const billingHouses = {
  async ofCommunity(k: Kernel, communityId: string, houseIds?: string[]) {
    const repo = new RegistryReadsRepository(k.db);
    const houses = await repo.houses(communityId, houseIds);
    const occupants = new Map<string, { residentId: string; householdId: string | null; tags: string[] }[]>();
    for (const r of await repo.occupants(communityId, houseIds)) {
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
