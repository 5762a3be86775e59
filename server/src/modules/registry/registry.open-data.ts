// Open data (exchange's NGSI-LD endpoint, issue 16 item 9): the non-personal part of the place
// tree — regions, communities, estates and buildings with their names and codes — and, per
// building, figures derived from houses and residencies: the highest floor of its houses, how many
// houses it has and how many active residents live there now. No resident row leaves this file:
// only counts, which the caller publishes with small-cell suppression.
import type { Kernel } from '../../kernel/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { PlaceKind, RegistryTables } from './registry.tables.js';

export interface OpenPlace {
  id: string;
  kind: Exclude<PlaceKind, 'unit' | 'house'>;
  name: string;
  code: string | null;
  regionLevel: string | null;
  parentId: string | null;
  path: string;
  createdAt: string;
  updatedAt: string;
}

export interface BuildingFigures {
  /** The highest floor of the building's houses, where floors are recorded. */
  floorsAboveGround: number | null;
  houses: number;
  /** Active residents with a current residency in one of its houses (exact; suppress before publishing). */
  residents: number;
}

const buildingOf = (path: string) => path.split('/').find((s) => s.startsWith('bld_')) ?? null;

export const openData = {
  /** Regions, communities, estates and buildings (no units or houses), by path. */
  async places(k: Kernel): Promise<OpenPlace[]> {
    const rows = await tablesOf<RegistryTables>(k.db)
      .selectFrom('places')
      .select(['id', 'kind', 'name', 'code', 'region_level', 'parent_id', 'path', 'created_at', 'updated_at'])
      .where('kind', 'in', ['region', 'community', 'estate', 'building'])
      .orderBy('path')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as OpenPlace['kind'],
      name: r.name,
      code: r.code,
      regionLevel: r.region_level,
      parentId: r.parent_id,
      path: r.path,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  },

  /** Per building id: floors, houses and current residents (exact counts). */
  async buildingFigures(k: Kernel): Promise<Map<string, BuildingFigures>> {
    const db = tablesOf<RegistryTables>(k.db);
    const houses = await db.selectFrom('places').select(['id', 'path', 'floor']).where('kind', '=', 'house').execute();
    const perHouse = await db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select(['residencies.house_id as houseId', (eb) => eb.fn.count<number | string>('residencies.resident_id').distinct().as('n')])
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .groupBy('residencies.house_id')
      .execute();
    const residentsOf = new Map(perHouse.map((r) => [r.houseId, Number(r.n)]));
    const out = new Map<string, BuildingFigures>();
    for (const h of houses) {
      const b = buildingOf(h.path);
      if (!b) continue;
      const f = out.get(b) ?? { floorsAboveGround: null, houses: 0, residents: 0 };
      f.houses++;
      f.residents += residentsOf.get(h.id) ?? 0;
      if (h.floor !== null && h.floor > 0) f.floorsAboveGround = Math.max(f.floorsAboveGround ?? 0, Number(h.floor));
      out.set(b, f);
    }
    return out;
  },
};
