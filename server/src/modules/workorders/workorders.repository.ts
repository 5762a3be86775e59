// The only code that touches the work-order tables.
import { sql } from 'kysely';
import type { Db } from '../../kernel/db/index.js';
import { escapeLike, like, startsWith, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Status } from './workorders.states.js';

export interface CategoryRow {
  id: string;
  community_id: string | null;
  code: string;
  name_zh: string;
  name_en: string;
  priority: string;
  response_minutes: number;
  resolve_minutes: number;
  sort: number;
  created_at: string;
}

export interface WorkOrderRow {
  id: string;
  number: string;
  community_id: string;
  place_id: string;
  place_path: string;
  house_id: string | null;
  resident_id: string | null;
  resident_name: string | null;
  source: 'alarm' | 'resident' | 'staff';
  alarm_id: string | null;
  category_id: string;
  priority: string;
  title: string;
  description: string;
  preferred_time: string | null;
  status: Status;
  assignee_id: string | null;
  assignee_name: string | null;
  respond_by: string;
  resolve_by: string;
  responded_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  overdue: number;
  escalated_at: string | null;
  rating: number | null;
  rating_comment: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface EventRow {
  id: string;
  work_order_id: string;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string;
  note: string | null;
  photo_ids: string;
}

export interface PhotoRow {
  file_id: string;
  work_order_id: string;
  event_id: string;
  created_at: string;
}

export interface CostRow {
  id: string;
  work_order_id: string;
  description: string;
  amount_fen: number;
  created_at: string;
  created_by: string | null;
}

export interface ListFilter {
  reach: Reachable;
  statuses?: string[];
  assigneeId?: string;
  overdue?: boolean;
  placePath?: string;
  categoryIds?: string[];
  source?: string;
  q?: string;
}

const norm = (r: any): WorkOrderRow => ({ ...r, overdue: Number(r.overdue), version: Number(r.version), rating: r.rating == null ? null : Number(r.rating) });

export class WorkOrdersRepository {
  constructor(private db: Db) {}

  // ---------- categories ----------
  categories(communityIds: string[] | 'all') {
    let q = this.db.selectFrom('wo_categories').selectAll();
    if (communityIds !== 'all') {
      q = q.where((eb) =>
        communityIds.length ? eb.or([eb('community_id', 'is', null), eb('community_id', 'in', communityIds)]) : eb('community_id', 'is', null),
      );
    }
    return q.orderBy('sort').orderBy('code').execute() as Promise<CategoryRow[]>;
  }
  /** The community's own category with this code, else the default one. */
  async categoryByCode(code: string, communityId: string): Promise<CategoryRow | undefined> {
    const rows = (await this.db
      .selectFrom('wo_categories')
      .selectAll()
      .where('code', '=', code)
      .where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)]))
      .execute()) as CategoryRow[];
    return rows.find((r) => r.community_id === communityId) ?? rows[0];
  }
  /** Insert or replace a community's own category (an override of the default with that code). */
  async saveCategory(t: Db, row: CategoryRow): Promise<void> {
    await t.deleteFrom('wo_categories').where('code', '=', row.code).where('community_id', '=', row.community_id).execute();
    await t.insertInto('wo_categories').values(row).execute();
  }
  categoriesByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as CategoryRow[]);
    return this.db
      .selectFrom('wo_categories')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute() as Promise<CategoryRow[]>;
  }
  async categoryIdsByCode(code: string): Promise<string[]> {
    return (await this.db.selectFrom('wo_categories').select('id').where('code', '=', code).execute()).map((r) => r.id as string);
  }

  // ---------- orders ----------
  /** Next number of the day for a community: an atomic upsert on the counter row. */
  async nextSeq(t: Db, communityId: string, day: string): Promise<number> {
    const r = await t
      .insertInto('wo_counters')
      .values({ community_id: communityId, day, last: 1 })
      .onConflict((oc) => oc.columns(['community_id', 'day']).doUpdateSet({ last: sql`wo_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(r.last);
  }

  /** Insert an order; false when an order for the same alarm already exists. */
  async insert(t: Db, row: WorkOrderRow): Promise<boolean> {
    const r = await t
      .insertInto('work_orders')
      .values(row)
      .onConflict((oc) => oc.column('alarm_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async byId(id: string, db: Db = this.db): Promise<WorkOrderRow | undefined> {
    const r = await db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? norm(r) : undefined;
  }
  async byAlarm(alarmId: string): Promise<WorkOrderRow | undefined> {
    const r = await this.db.selectFrom('work_orders').selectAll().where('alarm_id', '=', alarmId).executeTakeFirst();
    return r ? norm(r) : undefined;
  }

  /**
   * Conditional update: only when the order is still in the status and version it was read
   * with (optimistic concurrency; of two concurrent grabs exactly one matches). Returns whether
   * the row changed.
   */
  async updateIf(
    t: Db,
    id: string,
    expect: { status?: Status; version?: number; extra?: 'rating_null' | 'not_overdue' },
    patch: Partial<WorkOrderRow>,
  ): Promise<boolean> {
    let q = t
      .updateTable('work_orders')
      .set({ ...patch, version: sql`version + 1` } as any)
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
        const ors: any[] = reach.prefixes.map((p) => startsWith('place_path', p));
        if (reach.residentId) ors.push(eb('resident_id', '=', reach.residentId));
        return ors.length ? eb.or(ors) : noRows();
      });
    }
    if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
    if (f.overdue) q = q.where('overdue', '=', 1);
    if (f.placePath) q = q.where(startsWith('place_path', f.placePath));
    if (f.categoryIds) q = f.categoryIds.length ? q.where('category_id', 'in', f.categoryIds) : q.where(sql<boolean>`1 = 0`);
    if (f.source) q = q.where('source', '=', f.source);
    if (f.q) {
      const pat = '%' + escapeLike(f.q) + '%';
      q = q.where((eb) => eb.or([like('number', pat, false), like('title', pat, false)]));
    }
    return q;
  }

  async list(f: ListFilter, limit: number, offset: number): Promise<{ items: WorkOrderRow[]; total: number }> {
    let q = this.filtered(f);
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items: items.map(norm), total: Number(c.n) };
  }

  /** Counts per status and overdue, over the filter without its status part. */
  async totals(f: ListFilter): Promise<Record<string, number>> {
    const rows = await this.filtered({ ...f, statuses: undefined })
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('overdue').as('o')])
      .groupBy('status')
      .execute();
    const out: Record<string, number> = { overdue: 0 };
    for (const r of rows) {
      out[r.status as string] = Number(r.n);
      out.overdue += Number(r.o ?? 0);
    }
    return out;
  }

  /** Open orders past a deadline that are not flagged yet. */
  overdueCandidates(now: string, open: Status[], limit = 500) {
    return this.db
      .selectFrom('work_orders')
      .selectAll()
      .where('overdue', '=', 0)
      .where('status', 'in', open)
      .where((eb) => eb.or([eb('resolve_by', '<', now), eb.and([eb('responded_at', 'is', null), eb('respond_by', '<', now)])]))
      .orderBy('resolve_by')
      .limit(limit)
      .execute()
      .then((rs) => rs.map(norm));
  }

  // ---------- timeline, photos, costs ----------
  async insertEvent(t: Db, e: EventRow) {
    await t.insertInto('wo_events').values(e).execute();
  }
  events(orderId: string) {
    return this.db.selectFrom('wo_events').selectAll().where('work_order_id', '=', orderId).orderBy('at').orderBy('id').execute() as Promise<EventRow[]>;
  }
  async insertPhotos(t: Db, rows: PhotoRow[]) {
    if (rows.length) await t.insertInto('wo_photos').values(rows).execute();
  }
  photosOf(orderId: string) {
    return this.db.selectFrom('wo_photos').selectAll().where('work_order_id', '=', orderId).orderBy('created_at').orderBy('file_id').execute() as Promise<
      PhotoRow[]
    >;
  }
  photoByFile(fileId: string) {
    return this.db.selectFrom('wo_photos').selectAll().where('file_id', '=', fileId).executeTakeFirst() as Promise<PhotoRow | undefined>;
  }
  photosByFiles(fileIds: string[]) {
    if (!fileIds.length) return Promise.resolve([] as PhotoRow[]);
    return this.db.selectFrom('wo_photos').selectAll().where('file_id', 'in', fileIds).execute() as Promise<PhotoRow[]>;
  }
  async insertCosts(t: Db, rows: CostRow[]) {
    if (rows.length) await t.insertInto('wo_costs').values(rows).execute();
  }
  async costsOf(orderId: string): Promise<CostRow[]> {
    const rows = await this.db.selectFrom('wo_costs').selectAll().where('work_order_id', '=', orderId).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ ...r, amount_fen: Number(r.amount_fen) }) as CostRow);
  }
}
