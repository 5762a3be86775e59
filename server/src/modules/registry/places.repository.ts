// Registry data access, part 1: places and households.
import { sql, type Expression, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { startsWith, type Db, type Tx, noRows } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { PlaceKind, RegistryDb, RegistryTables } from './registry.tables.js';

export type { PlaceKind } from './registry.tables.js';

/** A place as stored (registry.tables.ts). */
export type PlaceRow = Selectable<RegistryTables['places']>;
export type HouseholdRow = Selectable<RegistryTables['households']>;

/** WHERE <col> LIKE 'prefix%' for each reachable prefix (or nothing when all). */
export function whereReach<Q extends { where(e: Expression<SqlBool>): Q }>(q: Q, col: string, reach: Reachable, residentCol?: string): Q {
  if (reach.all) return q;
  const ors = reach.prefixes.map((p) => startsWith(col, p));
  if (residentCol && reach.residentId) ors.push(sql<boolean>`${sql.ref(residentCol)} = ${reach.residentId}`);
  return q.where(ors.length ? sql<boolean>`(${sql.join(ors, sql` or `)})` : noRows());
}

/** The registry's tables, in the caller's transaction when one is given. */
export const registryDb = (db: Db | Tx): RegistryDb => tablesOf<RegistryTables>(db);

export class PlacesRepository {
  private db: RegistryDb;
  constructor(db: Db) {
    this.db = registryDb(db);
  }
  private on(t?: Db | Tx): RegistryDb {
    return t ? registryDb(t) : this.db;
  }

  byId(id: string, t?: Db | Tx) {
    return this.on(t).selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<PlaceRow[]>([]);
    return this.db.selectFrom('places').selectAll().where('id', 'in', ids).execute();
  }
  byParentAndName(parentId: string | null, name: string, t?: Db | Tx) {
    let q = this.on(t).selectFrom('places').selectAll().where('name', '=', name);
    q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null);
    return q.executeTakeFirst();
  }
  /** Children of a place of one kind, in display order (then creation order). */
  children(parentId: string, kind: PlaceKind) {
    return this.db.selectFrom('places').selectAll().where('parent_id', '=', parentId).where('kind', '=', kind).orderBy('sort').orderBy('created_at').execute();
  }
  /** The first-created place of a kind with this name (the demo finds its community so). */
  firstByKindAndName(kind: PlaceKind, name: string) {
    return this.db.selectFrom('places').selectAll().where('kind', '=', kind).where('name', '=', name).orderBy('created_at').executeTakeFirst();
  }
  async insert(p: Insertable<RegistryTables['places']>, t?: Db | Tx) {
    await this.on(t).insertInto('places').values(p).execute();
  }
  async update(id: string, patch: Updateable<RegistryTables['places']>) {
    await this.db.updateTable('places').set(patch).where('id', '=', id).execute();
  }
  /** All non-house places the reach covers, plus their ancestors (so the tree has roots). */
  async tree(reach: Reachable) {
    let q = this.db.selectFrom('places').selectAll().where('kind', '!=', 'house');
    q = whereReach(q, 'path', reach);
    return q.orderBy('sort').orderBy('name').execute();
  }
  async childCounts(parentIds: string[]) {
    if (!parentIds.length) return new Map<string, number>();
    const rows = await this.db
      .selectFrom('places')
      .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('parent_id', 'in', parentIds)
      .groupBy('parent_id')
      .execute();
    return new Map(rows.map((r) => [r.parent_id ?? '', Number(r.n)]));
  }
  async list(opts: { reach: Reachable; parentId?: string; kind?: PlaceKind; limit: number; offset: number }) {
    let q = this.db.selectFrom('places');
    q = whereReach(q, 'path', opts.reach);
    if (opts.parentId) q = q.where('parent_id', '=', opts.parentId);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = await q.selectAll().orderBy('sort').orderBy('name').limit(opts.limit).offset(opts.offset).execute();
    return { items, total: Number(n) };
  }

  householdById(id: string, t?: Db | Tx) {
    return this.on(t).selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
  }
  householdsOfHouse(houseId: string, t?: Db | Tx) {
    return this.on(t).selectFrom('households').selectAll().where('house_id', '=', houseId).where('dissolved_at', 'is', null).orderBy('created_at').execute();
  }
  householdsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<HouseholdRow[]>([]);
    return this.db.selectFrom('households').selectAll().where('id', 'in', ids).execute();
  }
  async insertHousehold(h: Insertable<RegistryTables['households']>, t?: Db | Tx) {
    await this.on(t).insertInto('households').values(h).execute();
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
