// Council votes (issue 6): who may vote in a community on a date.
import type { Kernel } from '../../kernel/index.js';
import { RegistryReadsRepository } from './registry.reads.repository.js';

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
    const rows = await new RegistryReadsRepository(k.db).electorate(communityId);
    type Entry = {
      voterKey: string;
      residentId: string;
      name: string;
      houses: { houseId: string; name: string; path: string; areaM2: number | null }[];
      members: string[];
    };
    const out = new Map<string, Entry>();
    const adult = (r: (typeof rows)[number]) => !!r.birthDate && r.birthDate <= adultBy;
    if (basis === 'residents') {
      for (const r of rows)
        if (adult(r) && !out.has(r.residentId))
          out.set(r.residentId, {
            voterKey: r.residentId,
            residentId: r.residentId,
            name: r.name,
            houses: [{ houseId: r.houseId, name: r.houseName, path: r.housePath, areaM2: null }],
            members: [r.residentId],
          });
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
        const e = out.get(r.householdId) ?? {
          voterKey: r.householdId,
          residentId: r.residentId,
          name: r.name,
          houses: [{ houseId: r.houseId, name: r.houseName, path: r.housePath, areaM2: null }],
          members: [],
        };
        if (!e.members.includes(r.residentId)) e.members.push(r.residentId);
        out.set(r.householdId, e);
      }
    }
    return [...out.values()];
  },
  /** Is this resident 18 or older on `asOf` and living in the community now (co-signing proposals)? */
  async isAdultResidentOf(k: Kernel, residentId: string, communityId: string, asOf: string) {
    const adultBy = `${Number(asOf.slice(0, 4)) - 18}${asOf.slice(4, 10)}`;
    return new RegistryReadsRepository(k.db).livesInBornBy(residentId, communityId, adultBy);
  },
};
