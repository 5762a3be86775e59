// Data access of the bulk import: the `imports` table, plus the place lookups and house
// updates an import needs inside its own transaction.
import type { Insertable, Selectable } from 'kysely';
import { insertMany, type Database, type Db, type Tx } from '../../../kernel/db/index.js';
import { registryDb, type HouseholdRow, type PlaceRow } from '../places.repository.js';
import type { ResidencyRow, ResidentRow } from '../residents.repository.js';
import type { RegistryDb, RegistryTables } from '../registry.tables.js';

/** An import as stored (registry.tables.ts). */
export type ImportRow = Selectable<RegistryTables['imports']>;

export type ImportPatch = Partial<Omit<ImportRow, 'id'>>;

const num = (r: ImportRow): ImportRow => ({
  ...r,
  dry_run: Number(r.dry_run),
  total_rows: Number(r.total_rows),
  processed_rows: Number(r.processed_rows),
  imported: Number(r.imported),
  unchanged: Number(r.unchanged),
  rejected: Number(r.rejected),
});

export class ImportRepository {
  private db: RegistryDb;
  constructor(
    db: Db,
    private database: Database,
  ) {
    this.db = registryDb(db);
  }
  private on(t?: Db | Tx): RegistryDb {
    return t ? registryDb(t) : this.db;
  }

  async insert(r: Insertable<RegistryTables['imports']>) {
    await this.db.insertInto('imports').values(r).execute();
  }
  async byId(id: string, t?: Db | Tx) {
    const r = await this.on(t).selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? num(r) : undefined;
  }
  async update(id: string, patch: ImportPatch, t?: Db | Tx) {
    await this.on(t).updateTable('imports').set(patch).where('id', '=', id).execute();
  }
  /** Move to 'running' unless it already is (one statement, so two nodes cannot both start it). */
  async claim(id: string, patch: ImportPatch): Promise<boolean> {
    const r = await this.db
      .updateTable('imports')
      .set({ ...patch, status: 'running' })
      .where('id', '=', id)
      .where('status', '!=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The first open household of each house (the one new residents join). */
  async firstHouseholds(houseIds: string[], t: Db | Tx): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!houseIds.length) return out;
    const rows = await registryDb(t)
      .selectFrom('households')
      .select(['id', 'house_id'])
      .where('house_id', 'in', houseIds)
      .where('dissolved_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) if (!out.has(r.house_id)) out.set(r.house_id, r.id);
    return out;
  }
  // Multi-row inserts: one statement per table and 500 rows (≤ 500 rows × ≤ 17 columns, under both dialects' parameter limits).
  async insertResidents(rows: ResidentRow[], db: Db) {
    await insertMany(this.database, db, 'residents', rows);
  }
  async insertHouseholds(rows: HouseholdRow[], db: Db) {
    await insertMany(this.database, db, 'households', rows);
  }
  async insertResidencies(rows: ResidencyRow[], db: Db) {
    await insertMany(this.database, db, 'residencies', rows);
  }
  /** New places in the order given (parents before their children). */
  async insertPlaces(rows: PlaceRow[], db: Db) {
    await insertMany(this.database, db, 'places', rows);
  }

  childrenOf(parentId: string, t?: Db | Tx): Promise<PlaceRow[]> {
    return this.on(t).selectFrom('places').selectAll().where('parent_id', '=', parentId).execute();
  }
  async updateHouse(id: string, patch: Pick<Partial<PlaceRow>, 'floor' | 'area_m2' | 'house_use' | 'updated_at'>, t: Db | Tx) {
    await registryDb(t).updateTable('places').set(patch).where('id', '=', id).where('kind', '=', 'house').execute();
  }
}
