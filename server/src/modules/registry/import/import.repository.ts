// Data access of the bulk import: the `imports` table, plus the place lookups and house
// updates an import needs inside its own transaction.
import { insertMany, type Database, type Db } from '../../../kernel/db/index.js';
import type { HouseholdRow, PlaceRow } from '../places.repository.js';
import type { ResidencyRow, ResidentRow } from '../residents.repository.js';

export interface ImportRow {
  id: string;
  community_id: string;
  place_path: string;
  kind: 'residents' | 'houses';
  file_id: string;
  file_name: string;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  dry_run: number;
  mapping: string | null;
  total_rows: number;
  processed_rows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  report_file_id: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

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
  constructor(
    private db: Db,
    private database: Database,
  ) {}

  async insert(r: ImportRow) {
    await this.db.insertInto('imports').values(r).execute();
  }
  async byId(id: string, db: Db = this.db) {
    const r = (await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst()) as ImportRow | undefined;
    return r ? num(r) : undefined;
  }
  async update(id: string, patch: ImportPatch, db: Db = this.db) {
    await db.updateTable('imports').set(patch).where('id', '=', id).execute();
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
  async firstHouseholds(houseIds: string[], db: Db): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!houseIds.length) return out;
    const rows = await db
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
    await insertMany(this.database, db, 'residents', rows as unknown as Record<string, unknown>[]);
  }
  async insertHouseholds(rows: HouseholdRow[], db: Db) {
    await insertMany(this.database, db, 'households', rows as unknown as Record<string, unknown>[]);
  }
  async insertResidencies(rows: ResidencyRow[], db: Db) {
    await insertMany(this.database, db, 'residencies', rows as unknown as Record<string, unknown>[]);
  }
  /** New places in the order given (parents before their children). */
  async insertPlaces(rows: PlaceRow[], db: Db) {
    await insertMany(this.database, db, 'places', rows as unknown as Record<string, unknown>[]);
  }

  childrenOf(parentId: string, db: Db = this.db) {
    return db.selectFrom('places').selectAll().where('parent_id', '=', parentId).execute() as Promise<PlaceRow[]>;
  }
  async updateHouse(id: string, patch: Pick<Partial<PlaceRow>, 'floor' | 'area_m2' | 'house_use' | 'updated_at'>, db: Db) {
    await db.updateTable('places').set(patch).where('id', '=', id).where('kind', '=', 'house').execute();
  }
}
