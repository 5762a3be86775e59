// The only code that touches the feedback (诉求) table.
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { CouncilTables, FeedbackStatus } from './council.tables.js';
import { escapeLike, like } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './council.common.js';

/** A feedback record as stored (council.tables.ts). */
export type FeedbackRow = Selectable<CouncilTables['council_feedback']>;

const n = (r: { numUpdatedRows?: bigint } | undefined) => Number(r?.numUpdatedRows ?? 0);

/** The kernel's handle (or a transaction of it) seen through the council's tables. */
const own = (db: Db | Tx) => tablesOf<CouncilTables>(db);

export class FeedbackRepository {
  constructor(private db: Db) {}
  private get own() {
    return own(this.db);
  }

  byId(id: string) {
    return this.own.selectFrom('council_feedback').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insert(t: Tx, f: FeedbackRow) {
    await own(t).insertInto('council_feedback').values(f).execute();
  }
  /** Handle once: only feedback still waiting ('submitted') changes; false when someone was first. */
  async handle(t: Tx, id: string, patch: Partial<FeedbackRow>): Promise<boolean> {
    return n(await own(t).updateTable('council_feedback').set(patch).where('id', '=', id).where('status', '=', 'submitted').executeTakeFirst()) === 1;
  }
  async setProposal(t: Tx, id: string, proposalId: string) {
    await own(t).updateTable('council_feedback').set({ proposal_id: proposalId }).where('id', '=', id).execute();
  }
  async rate(t: Tx, id: string, rating: number, comment: string | null, at: string): Promise<boolean> {
    return (
      n(
        await own(t)
          .updateTable('council_feedback')
          .set({ rating, rating_comment: comment, updated_at: at })
          .where('id', '=', id)
          .where('status', '!=', 'submitted')
          .where('rating', 'is', null)
          .executeTakeFirst(),
      ) === 1
    );
  }
  async list(reach: Reachable, f: { status?: FeedbackStatus; overdue?: boolean; category?: string }, limit: number, offset: number) {
    let q = whereReach(this.own.selectFrom('council_feedback'), reach, 'place_path', 'resident_id');
    if (f.status) q = q.where('status', '=', f.status);
    if (f.overdue) q = q.where('overdue', '=', 1);
    if (f.category) q = q.where('category', '=', f.category);
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  byPhoto(fileId: string) {
    return this.own
      .selectFrom('council_feedback')
      .selectAll()
      .where(like('photo_ids', `%"${escapeLike(fileId)}"%`))
      .executeTakeFirst();
  }
  /** Past their deadline and still unanswered: flag them (once) and return them. */
  async flagOverdue(now: string): Promise<FeedbackRow[]> {
    const due = await this.own
      .selectFrom('council_feedback')
      .selectAll()
      .where('status', '=', 'submitted')
      .where('overdue', '=', 0)
      .where('respond_by', '<', now)
      .limit(500)
      .execute();
    if (!due.length) return [];
    await this.own
      .updateTable('council_feedback')
      .set({ overdue: 1 })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .where('overdue', '=', 0)
      .execute();
    return due;
  }
  /** Counts by category and month, no identities. */
  stats(reach: Reachable, from: string) {
    return whereReach(this.own.selectFrom('council_feedback'), reach)
      .select([
        'category',
        'month',
        (eb) => eb.fn.countAll<number>().as('total'),
        sql<number>`sum(case when status = 'submitted' then 0 else 1 end)`.as('handled'),
        sql<number>`sum(overdue)`.as('overdue'),
        sql<number>`sum(case when status in ('work_order', 'proposal') then 1 else 0 end)`.as('accepted'),
        sql<number>`count(rating)`.as('rated'),
        sql<number>`sum(rating)`.as('rating_sum'),
      ])
      .where('month', '>=', from)
      .groupBy(['category', 'month'])
      .orderBy('month')
      .orderBy('category')
      .execute();
  }
}
