// The only code that touches the records-in tables (migration 0033).
import type { Kernel } from '../../kernel/index.js';
import { insertMany, startsWith } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Transaction } from 'kysely';
import type { Schema } from '../../kernel/db/tables.js';
import type { RecordsInTables, RecordStatus, ReviewStatus } from './records.tables.js';
import type { Selectable } from 'kysely';

export type SourceRow = Selectable<RecordsInTables['exchange_sources']>;
export type ProfileRow = Selectable<RecordsInTables['exchange_profiles']>;
export type ImportRow = Selectable<RecordsInTables['exchange_imports']>;
export type RecordRow = Selectable<RecordsInTables['exchange_records']>;
export type ReviewRow = Selectable<RecordsInTables['exchange_reviews']>;
export type AssertionRow = Selectable<RecordsInTables['exchange_assertions']>;
export type MemoryRow = Selectable<RecordsInTables['exchange_match_memory']>;

export class RecordsRepository {
  constructor(private k: Kernel) {}
  private get db() {
    return tablesOf<RecordsInTables>(this.k.db);
  }

  transaction<T>(fn: (t: Transaction<RecordsInTables>) => Promise<T>): Promise<T> {
    return this.k.db.transaction().execute((t: Transaction<Schema>) => fn(txOf<RecordsInTables>(t)));
  }

  // ---------- sources and profiles ----------
  insertSource(r: SourceRow) {
    return this.db.insertInto('exchange_sources').values(r).execute();
  }
  source(id: string) {
    return this.db.selectFrom('exchange_sources').selectAll().where('id', '=', id).executeTakeFirst();
  }
  sources(reach: string[] | null) {
    let q = this.db.selectFrom('exchange_sources').selectAll();
    if (reach) q = reach.length ? q.where((eb) => eb.or(reach.map((p) => startsWith('place_path', p)))) : q.where('id', '=', '');
    return q.orderBy('created_at').execute();
  }
  profiles(sourceId: string) {
    return this.db.selectFrom('exchange_profiles').selectAll().where('source_id', '=', sourceId).orderBy('version', 'desc').execute();
  }
  latestProfile(sourceId: string) {
    return this.db.selectFrom('exchange_profiles').selectAll().where('source_id', '=', sourceId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  }
  insertProfile(r: ProfileRow, t?: Transaction<RecordsInTables>) {
    return (t ?? this.db).insertInto('exchange_profiles').values(r).execute();
  }

  // ---------- imports and records ----------
  insertImport(t: Transaction<RecordsInTables>, r: ImportRow) {
    return t.insertInto('exchange_imports').values(r).execute();
  }
  importById(id: string) {
    return this.db.selectFrom('exchange_imports').selectAll().where('id', '=', id).executeTakeFirst();
  }
  imports(sourceIds: string[], limit: number, offset: number) {
    if (!sourceIds.length) return Promise.resolve([] as ImportRow[]);
    return this.db
      .selectFrom('exchange_imports')
      .selectAll()
      .where('source_id', 'in', sourceIds)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }
  async countImports(sourceIds: string[]) {
    if (!sourceIds.length) return 0;
    const r = await this.db
      .selectFrom('exchange_imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_id', 'in', sourceIds)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  insertRecords(t: Transaction<RecordsInTables>, rows: RecordRow[]) {
    return insertMany(this.k.database, t as never, 'exchange_records', rows as never[]);
  }
  recordsOf(importId: string, status?: RecordStatus) {
    let q = this.db.selectFrom('exchange_records').selectAll().where('import_id', '=', importId);
    if (status) q = q.where('status', '=', status);
    return q.orderBy('row_n').execute();
  }
  recordById(id: string) {
    return this.db.selectFrom('exchange_records').selectAll().where('id', '=', id).executeTakeFirst();
  }
  recordsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as RecordRow[]);
    return this.db.selectFrom('exchange_records').selectAll().where('id', 'in', ids).execute();
  }
  setRecordMatch(t: Transaction<RecordsInTables>, id: string, patch: Pick<RecordRow, 'status' | 'resident_id' | 'match_kind'>) {
    return t.updateTable('exchange_records').set(patch).where('id', '=', id).execute();
  }
  /** Records of a source since a date: the fields the quality page counts. */
  qualityRows(sourceId: string, since: string) {
    return this.db
      .selectFrom('exchange_records')
      .select(['import_id', 'status', 'filled', 'valid', 'fingerprint', 'id_bidx', 'created_at'])
      .where('source_id', '=', sourceId)
      .where('created_at', '>=', since)
      .execute();
  }

  // ---------- reviews and remembered decisions ----------
  insertReviews(t: Transaction<RecordsInTables>, rows: ReviewRow[]) {
    return insertMany(this.k.database, t as never, 'exchange_reviews', rows as never[]);
  }
  reviewById(id: string) {
    return this.db.selectFrom('exchange_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }
  reviews(reach: string[] | null, status: ReviewStatus, limit: number, offset: number) {
    let q = this.db.selectFrom('exchange_reviews').selectAll().where('status', '=', status);
    if (reach) q = reach.length ? q.where((eb) => eb.or(reach.map((p) => startsWith('place_path', p)))) : q.where('id', '=', '');
    return q.orderBy('created_at').limit(limit).offset(offset).execute();
  }
  async countReviews(reach: string[] | null, status: ReviewStatus) {
    let q = this.db
      .selectFrom('exchange_reviews')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', status);
    if (reach) q = reach.length ? q.where((eb) => eb.or(reach.map((p) => startsWith('place_path', p)))) : q.where('id', '=', '');
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }
  async decideReview(t: Transaction<RecordsInTables>, id: string, status: 'same' | 'different', by: string, at: string) {
    const r = await t
      .updateTable('exchange_reviews')
      .set({ status, decided_by: by, decided_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  memory(fingerprints: string[]) {
    if (!fingerprints.length) return Promise.resolve([] as MemoryRow[]);
    return this.db.selectFrom('exchange_match_memory').selectAll().where('fingerprint', 'in', fingerprints).execute();
  }
  async remember(t: Transaction<RecordsInTables>, r: MemoryRow) {
    await t.deleteFrom('exchange_match_memory').where('fingerprint', '=', r.fingerprint).where('resident_id', '=', r.resident_id).execute();
    await t.insertInto('exchange_match_memory').values(r).execute();
  }

  // ---------- provenance ----------
  async assert(t: Transaction<RecordsInTables>, rows: AssertionRow[]) {
    for (const r of rows)
      await t
        .updateTable('exchange_assertions')
        .set({ current: 0 })
        .where('resident_id', '=', r.resident_id)
        .where('attribute', '=', r.attribute)
        .where('source_id', '=', r.source_id)
        .where('current', '=', 1)
        .execute();
    if (rows.length) await insertMany(this.k.database, t as never, 'exchange_assertions', rows as never[]);
  }
  assertions(residentId: string) {
    return this.db.selectFrom('exchange_assertions').selectAll().where('resident_id', '=', residentId).orderBy('asserted_at', 'desc').execute();
  }
  currentAssertions(residentIds: string[], attribute?: string) {
    if (!residentIds.length) return Promise.resolve([] as AssertionRow[]);
    let q = this.db.selectFrom('exchange_assertions').selectAll().where('resident_id', 'in', residentIds).where('current', '=', 1);
    if (attribute) q = q.where('attribute', '=', attribute);
    return q.execute();
  }
  /** Residents under a place with current assertions of an attribute from more than one source. */
  async contested(reach: string[] | null) {
    let q = this.db
      .selectFrom('exchange_assertions')
      .select(['resident_id', 'attribute'])
      .select((eb) => eb.fn.count<number>('value_key').distinct().as('values'))
      .where('current', '=', 1)
      .where('attribute', '!=', 'tags');
    if (reach) q = reach.length ? q.where((eb) => eb.or(reach.map((p) => startsWith('place_path', p)))) : q.where('id', '=', '');
    const rows = await q.groupBy(['resident_id', 'attribute']).execute();
    return rows.filter((r) => Number(r.values) > 1);
  }
}
