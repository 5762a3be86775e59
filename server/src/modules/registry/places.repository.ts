// Registry data access, part 1: places and households.
import { startsWith, type Db, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';

export type PlaceKind = 'region' | 'community' | 'estate' | 'building' | 'unit' | 'house';

export interface PlaceRow {
  id: string;
  kind: PlaceKind;
  region_level: string | null;
  parent_id: string | null;
  path: string;
  community_id: string | null;
  name: string;
  code: string | null;
  floor: number | null;
  area_m2: number | null;
  house_use: string | null;
  time_zone: string | null;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface HouseholdRow {
  id: string;
  house_id: string;
  community_id: string;
  place_path: string;
  householder_id: string | null;
  created_at: string;
  dissolved_at: string | null;
}

/** WHERE <col> LIKE 'prefix%' for each reachable prefix (or nothing when all). */
export function whereReach<Q extends { where: (...a: any[]) => Q }>(q: Q, col: string, reach: Reachable, residentCol?: string): Q {
  if (reach.all) return q;
  return q.where((eb: any) => {
    const ors = reach.prefixes.map((p) => startsWith(col, p));
    if (residentCol && reach.residentId) ors.push(eb(residentCol, '=', reach.residentId));
    return ors.length ? eb.or(ors) : noRows();
  });
}

export class PlacesRepository {
  constructor(private db: Db) {}

  byId(id: string, db: Db = this.db) {
    return db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PlaceRow | undefined>;
  }
  byIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as PlaceRow[]);
    return this.db.selectFrom('places').selectAll().where('id', 'in', ids).execute() as Promise<PlaceRow[]>;
  }
  byParentAndName(parentId: string | null, name: string, db: Db = this.db) {
    let q = db.selectFrom('places').selectAll().where('name', '=', name);
    q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null);
    return q.executeTakeFirst() as Promise<PlaceRow | undefined>;
  }
  /** Children of a place of one kind, in display order (then creation order). */
  children(parentId: string, kind: string) {
    return this.db
      .selectFrom('places')
      .selectAll()
      .where('parent_id', '=', parentId)
      .where('kind', '=', kind)
      .orderBy('sort')
      .orderBy('created_at')
      .execute() as Promise<PlaceRow[]>;
  }
  /** The first-created place of a kind with this name (the demo finds its community so). */
  firstByKindAndName(kind: string, name: string) {
    return this.db.selectFrom('places').selectAll().where('kind', '=', kind).where('name', '=', name).orderBy('created_at').executeTakeFirst() as Promise<
      PlaceRow | undefined
    >;
  }
  async insert(p: PlaceRow, db: Db = this.db) {
    await db.insertInto('places').values(p).execute();
  }
  async update(id: string, patch: Partial<PlaceRow>) {
    await this.db.updateTable('places').set(patch).where('id', '=', id).execute();
  }
  /** All non-house places the reach covers, plus their ancestors (so the tree has roots). */
  async tree(reach: Reachable) {
    let q = this.db.selectFrom('places').selectAll().where('kind', '!=', 'house');
    q = whereReach(q, 'path', reach);
    return (await q.orderBy('sort').orderBy('name').execute()) as PlaceRow[];
  }
  async childCounts(parentIds: string[]) {
    if (!parentIds.length) return new Map<string, number>();
    const rows = await this.db
      .selectFrom('places')
      .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('parent_id', 'in', parentIds)
      .groupBy('parent_id')
      .execute();
    return new Map(rows.map((r) => [r.parent_id as string, Number(r.n)]));
  }
  async list(opts: { reach: Reachable; parentId?: string; kind?: string; limit: number; offset: number }) {
    let q = this.db.selectFrom('places');
    q = whereReach(q, 'path', opts.reach);
    if (opts.parentId) q = q.where('parent_id', '=', opts.parentId);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = (await q.selectAll().orderBy('sort').orderBy('name').limit(opts.limit).offset(opts.offset).execute()) as PlaceRow[];
    return { items, total: Number(n) };
  }

  householdById(id: string, db: Db = this.db) {
    return db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst() as Promise<HouseholdRow | undefined>;
  }
  householdsOfHouse(houseId: string, db: Db = this.db) {
    return db.selectFrom('households').selectAll().where('house_id', '=', houseId).where('dissolved_at', 'is', null).orderBy('created_at').execute() as Promise<
      HouseholdRow[]
    >;
  }
  householdsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as HouseholdRow[]);
    return this.db.selectFrom('households').selectAll().where('id', 'in', ids).execute() as Promise<HouseholdRow[]>;
  }
  async insertHousehold(h: HouseholdRow, db: Db = this.db) {
    await db.insertInto('households').values(h).execute();
  }
}

/** "花家地西里 3号楼 2单元 1203" from a house and its ancestors (path ids). */
export function placeLabel(p: PlaceRow, byId: Map<string, PlaceRow>): string {
  const ids = p.path.split('/').filter(Boolean);
  const parts = ids
    .map((id) => byId.get(id))
    .filter((x): x is PlaceRow => !!x && (x.kind === 'estate' || x.kind === 'building' || x.kind === 'unit' || x.kind === 'house'));
  return parts.map((x) => x.name).join(' ');
}
