// The only code that touches the feedback (诉求) table.
import { sql } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { escapeLike, like } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './council.common.js';

export interface FeedbackRow {
  id: string;
  community_id: string;
  place_path: string;
  place_id: string | null;
  resident_id: string;
  resident_name: string;
  category: string;
  text: string;
  photo_ids: string;
  status: 'submitted' | 'answered' | 'work_order' | 'proposal';
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  work_order_id: string | null;
  proposal_id: string | null;
  respond_by: string;
  overdue: number;
  rating: number | null;
  rating_comment: string | null;
  month: string;
  created_at: string;
  updated_at: string;
}

const n = (r: any) => Number(r?.numUpdatedRows ?? 0);

export class FeedbackRepository {
  constructor(private db: Db) {}

  byId(id: string) {
    return this.db.selectFrom('council_feedback').selectAll().where('id', '=', id).executeTakeFirst() as Promise<FeedbackRow | undefined>;
  }
  async insert(t: Tx, f: FeedbackRow) {
    await t.insertInto('council_feedback').values(f).execute();
  }
  /** Handle once: only feedback still waiting ('submitted') changes; false when someone was first. */
  async handle(t: Tx, id: string, patch: Partial<FeedbackRow>): Promise<boolean> {
    return n(await t.updateTable('council_feedback').set(patch).where('id', '=', id).where('status', '=', 'submitted').executeTakeFirst()) === 1;
  }
  async setProposal(t: Tx, id: string, proposalId: string) {
    await t.updateTable('council_feedback').set({ proposal_id: proposalId }).where('id', '=', id).execute();
  }
  async rate(t: Tx, id: string, rating: number, comment: string | null, at: string): Promise<boolean> {
    return (
      n(
        await t
          .updateTable('council_feedback')
          .set({ rating, rating_comment: comment, updated_at: at })
          .where('id', '=', id)
          .where('status', '!=', 'submitted')
          .where('rating', 'is', null)
          .executeTakeFirst(),
      ) === 1
    );
  }
  async list(reach: Reachable, f: { status?: string; overdue?: boolean; category?: string }, limit: number, offset: number) {
    let q = whereReach(this.db.selectFrom('council_feedback'), reach, 'place_path', 'resident_id');
    if (f.status) q = q.where('status', '=', f.status);
    if (f.overdue) q = q.where('overdue', '=', 1);
    if (f.category) q = q.where('category', '=', f.category);
    const items = (await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()) as FeedbackRow[];
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  byPhoto(fileId: string) {
    return this.db
      .selectFrom('council_feedback')
      .selectAll()
      .where(like('photo_ids', `%"${escapeLike(fileId)}"%`))
      .executeTakeFirst() as Promise<FeedbackRow | undefined>;
  }
  /** Past their deadline and still unanswered: flag them (once) and return them. */
  async flagOverdue(now: string): Promise<FeedbackRow[]> {
    const due = (await this.db
      .selectFrom('council_feedback')
      .selectAll()
      .where('status', '=', 'submitted')
      .where('overdue', '=', 0)
      .where('respond_by', '<', now)
      .limit(500)
      .execute()) as FeedbackRow[];
    if (!due.length) return [];
    await this.db
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
    return whereReach(this.db.selectFrom('council_feedback'), reach)
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
