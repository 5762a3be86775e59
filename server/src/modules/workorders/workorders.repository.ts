// The only code that touches the work-order tables (typed by workorders.tables.ts).
import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { escapeLike, like, startsWith, noRows } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Status } from './workorders.states.js';
import type { CategoryRow, CostRow, EventRow, PhotoRow, WorkOrderRow, WorkOrdersDb, WorkOrdersTables, WorkOrderSource } from './workorders.tables.js';

export type { CategoryRow, CostRow, EventRow, PhotoRow, WorkOrderRow } from './workorders.tables.js';

export interface ListFilter {
  reach: Reachable;
  /** only these statuses (none: no order) */
  statuses?: Status[];
  assigneeId?: string;
  overdue?: boolean;
  placePath?: string;
  categoryIds?: string[];
  source?: WorkOrderSource;
  q?: string;
}

export class WorkOrdersRepository {
  private readonly db: WorkOrdersDb;
  constructor(db: Db) {
    this.db = tablesOf<WorkOrdersTables>(db);
  }

  // ---------- categories ----------
  categories(communityIds: string[] | 'all') {
    let q = this.db.selectFrom('wo_categories').selectAll();
    if (communityIds !== 'all') {
      q = q.where((eb) =>
        communityIds.length ? eb.or([eb('community_id', 'is', null), eb('community_id', 'in', communityIds)]) : eb('community_id', 'is', null),
      );
    }
    return q.orderBy('sort').orderBy('code').execute();
  }
  /** The community's own category with this code, else the default one. */
  async categoryByCode(code: string, communityId: string): Promise<CategoryRow | undefined> {
    const rows = await this.db
      .selectFrom('wo_categories')
      .selectAll()
      .where('code', '=', code)
      .where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)]))
      .execute();
    return rows.find((r) => r.community_id === communityId) ?? rows[0];
  }
  /** Insert or replace a community's own category (an override of the default with that code). */
  async saveCategory(tx: Tx, row: CategoryRow): Promise<void> {
    const t = txOf<WorkOrdersTables>(tx);
    await t.deleteFrom('wo_categories').where('code', '=', row.code).where('community_id', '=', row.community_id).execute();
    await t.insertInto('wo_categories').values(row).execute();
  }
  categoriesByIds(ids: string[]): Promise<CategoryRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('wo_categories')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
  }
  async categoryIdsByCode(code: string): Promise<string[]> {
    return (await this.db.selectFrom('wo_categories').select('id').where('code', '=', code).execute()).map((r) => r.id);
  }

  // ---------- orders ----------
  /** Next number of the day for a community: an atomic upsert on the counter row. */
  async nextSeq(tx: Tx, communityId: string, day: string): Promise<number> {
    const r = await txOf<WorkOrdersTables>(tx)
      .insertInto('wo_counters')
      .values({ community_id: communityId, day, last: 1 })
      .onConflict((oc) => oc.columns(['community_id', 'day']).doUpdateSet({ last: sql<number>`wo_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(r.last);
  }

  /** Insert an order; false when an order for the same alarm already exists. */
  async insert(tx: Tx, row: Insertable<WorkOrdersTables['work_orders']>): Promise<boolean> {
    const r = await txOf<WorkOrdersTables>(tx)
      .insertInto('work_orders')
      .values(row)
      .onConflict((oc) => oc.column('alarm_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  byId(id: string): Promise<WorkOrderRow | undefined> {
    return this.db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byAlarm(alarmId: string): Promise<WorkOrderRow | undefined> {
    return this.db.selectFrom('work_orders').selectAll().where('alarm_id', '=', alarmId).executeTakeFirst();
  }

  /**
   * Conditional update: only when the order is still in the status and version it was read
   * with (optimistic concurrency; of two concurrent grabs exactly one matches). Returns whether
   * the row changed.
   */
  async updateIf(
    tx: Tx,
    id: string,
    expect: { status?: Status; version?: number; extra?: 'rating_null' | 'not_overdue' },
    patch: Updateable<WorkOrdersTables['work_orders']>,
  ): Promise<boolean> {
    let q = txOf<WorkOrdersTables>(tx)
      .updateTable('work_orders')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (expect.status) q = q.where('status', '=', expect.status);
    if (expect.version !== undefined) q = q.where('version', '=', expect.version);
    if (expect.extra === 'rating_null') q = q.where('rating', 'is', null);
    if (expect.extra === 'not_overdue') q = q.where('overdue', '=', 0);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private filtered(f: ListFilter) {
    let q = this.db.selectFrom('work_orders');
    if (!f.reach.all) {
      const reach = f.reach;
      q = q.where((eb) => {
        const ors: Expression<SqlBool>[] = reach.prefixes.map((p) => startsWith('place_path', p));
        if (reach.residentId) ors.push(eb('resident_id', '=', reach.residentId));
        return ors.length ? eb.or(ors) : noRows();
      });
    }
    if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
    if (f.overdue) q = q.where('overdue', '=', 1);
    if (f.placePath) q = q.where(startsWith('place_path', f.placePath));
    if (f.categoryIds) q = f.categoryIds.length ? q.where('category_id', 'in', f.categoryIds) : q.where(noRows());
    if (f.source) q = q.where('source', '=', f.source);
    if (f.q) {
      const pat = '%' + escapeLike(f.q) + '%';
      q = q.where((eb) => eb.or([like('number', pat, false), like('title', pat, false)]));
    }
    return q;
  }

  async list(f: ListFilter, limit: number, offset: number): Promise<{ items: WorkOrderRow[]; total: number }> {
    let q = this.filtered(f);
    if (f.statuses) q = f.statuses.length ? q.where('status', 'in', f.statuses) : q.where(noRows());
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(c.n) };
  }

  /** Counts per status and overdue, over the filter without its status part. */
  async totals(f: ListFilter): Promise<Record<string, number>> {
    const rows = await this.filtered({ ...f, statuses: undefined })
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('overdue').as('o')])
      .groupBy('status')
      .execute();
    const out: Record<string, number> = { overdue: 0 };
    for (const r of rows) {
      out[r.status] = Number(r.n);
      out.overdue += Number(r.o ?? 0);
    }
    return out;
  }

  /** Open orders past a deadline that are not flagged yet. */
  overdueCandidates(now: string, open: Status[], limit = 500): Promise<WorkOrderRow[]> {
    return this.db
      .selectFrom('work_orders')
      .selectAll()
      .where('overdue', '=', 0)
      .where('status', 'in', open)
      .where((eb) => eb.or([eb('resolve_by', '<', now), eb.and([eb('responded_at', 'is', null), eb('respond_by', '<', now)])]))
      .orderBy('resolve_by')
      .limit(limit)
      .execute();
  }

  // ---------- timeline, photos, costs ----------
  async insertEvent(tx: Tx, e: EventRow) {
    await txOf<WorkOrdersTables>(tx).insertInto('wo_events').values(e).execute();
  }
  events(orderId: string): Promise<EventRow[]> {
    return this.db.selectFrom('wo_events').selectAll().where('work_order_id', '=', orderId).orderBy('at').orderBy('id').execute();
  }
  async insertPhotos(tx: Tx, rows: PhotoRow[]) {
    if (rows.length) await txOf<WorkOrdersTables>(tx).insertInto('wo_photos').values(rows).execute();
  }
  photosOf(orderId: string): Promise<PhotoRow[]> {
    return this.db.selectFrom('wo_photos').selectAll().where('work_order_id', '=', orderId).orderBy('created_at').orderBy('file_id').execute();
  }
  photoByFile(fileId: string): Promise<PhotoRow | undefined> {
    return this.db.selectFrom('wo_photos').selectAll().where('file_id', '=', fileId).executeTakeFirst();
  }
  photosByFiles(fileIds: string[]): Promise<PhotoRow[]> {
    if (!fileIds.length) return Promise.resolve([]);
    return this.db.selectFrom('wo_photos').selectAll().where('file_id', 'in', fileIds).execute();
  }
  async insertCosts(tx: Tx, rows: CostRow[]) {
    if (rows.length) await txOf<WorkOrdersTables>(tx).insertInto('wo_costs').values(rows).execute();
  }
  costsOf(orderId: string): Promise<CostRow[]> {
    return this.db.selectFrom('wo_costs').selectAll().where('work_order_id', '=', orderId).orderBy('created_at').orderBy('id').execute();
  }
}
