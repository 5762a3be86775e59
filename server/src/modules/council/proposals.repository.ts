// The only code that touches the proposal tables (proposals, co-signatures, timeline, follows,
// comments and their reports).
import type { Db, Tx } from '../../kernel/db/index.js';
import { escapeLike, like } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './council.common.js';

export interface ProposalRow {
  id: string;
  community_id: string;
  place_path: string;
  title: string;
  body: string;
  attachment_ids: string;
  author_resident_id: string | null;
  author_name: string;
  source: string;
  status: string;
  cosign_threshold: number;
  cosigns: number;
  on_agenda_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommentRow {
  id: string;
  proposal_id: string;
  author_user_id: string;
  author_name: string;
  body: string;
  reports: number;
  hidden: number;
  review: string;
  created_at: string;
}

const n = (r: any) => Number(r?.numInsertedOrUpdatedRows ?? r?.numUpdatedRows ?? 0);

export class ProposalsRepository {
  constructor(private db: Db) {}

  byId(id: string, db: Db = this.db) {
    return db.selectFrom('council_proposals').selectAll().where('id', '=', id).executeTakeFirst() as Promise<ProposalRow | undefined>;
  }
  async insert(t: Tx, p: ProposalRow) {
    await t.insertInto('council_proposals').values(p).execute();
  }
  async update(t: Tx, id: string, patch: Partial<ProposalRow>) {
    await t.updateTable('council_proposals').set(patch).where('id', '=', id).execute();
  }
  async list(reach: Reachable, f: { status?: string; q?: string; mine?: string }, limit: number, offset: number) {
    let q = whereReach(this.db.selectFrom('council_proposals'), reach);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.q) q = q.where(like('title', `%${escapeLike(f.q)}%`));
    if (f.mine) q = q.where('author_resident_id', '=', f.mine);
    const items = (await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()) as ProposalRow[];
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  byAttachment(fileId: string) {
    return this.db
      .selectFrom('council_proposals')
      .selectAll()
      .where(like('attachment_ids', `%"${escapeLike(fileId)}"%`))
      .executeTakeFirst() as Promise<ProposalRow | undefined>;
  }

  // ---------- co-signatures ----------
  /**
   * Count a co-signature while the proposal still collects them (the update takes the row lock,
   * so a signature racing the one that reaches the agenda waits and is then refused).
   */
  async countCosign(t: Tx, proposalId: string, at: string): Promise<boolean> {
    const r = await t
      .updateTable('council_proposals')
      .set((eb) => ({ cosigns: eb('cosigns', '+', 1), updated_at: at }))
      .where('id', '=', proposalId)
      .where('status', '=', 'collecting')
      .executeTakeFirst();
    return n(r) === 1;
  }
  /** One co-signature per resident (primary key); false when it was there already. */
  async addCosign(t: Tx, proposalId: string, residentId: string, at: string): Promise<boolean> {
    const r = await t
      .insertInto('council_cosigns')
      .values({ proposal_id: proposalId, resident_id: residentId, at })
      .onConflict((oc) => oc.columns(['proposal_id', 'resident_id']).doNothing())
      .executeTakeFirst();
    return n(r) === 1;
  }
  async hasCosigned(proposalId: string, residentId: string) {
    return !!(await this.db
      .selectFrom('council_cosigns')
      .select('at')
      .where('proposal_id', '=', proposalId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst());
  }
  /** Move to the agenda once, when the threshold is reached (status guard: only from collecting). */
  async reachAgenda(t: Tx, id: string, at: string): Promise<boolean> {
    const r = await t
      .updateTable('council_proposals')
      .set({ status: 'on_agenda', on_agenda_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'collecting')
      .whereRef('cosigns', '>=', 'cosign_threshold')
      .executeTakeFirst();
    return n(r) === 1;
  }

  // ---------- timeline and follows ----------
  async addUpdate(t: Tx, u: { id: string; proposal_id: string; at: string; status: string; note: string | null; actor_name: string }) {
    await t.insertInto('council_proposal_updates').values(u).execute();
  }
  updates(proposalId: string) {
    return this.db.selectFrom('council_proposal_updates').selectAll().where('proposal_id', '=', proposalId).orderBy('at').orderBy('id').execute();
  }
  async follow(proposalId: string, userId: string, on: boolean, db: Db = this.db) {
    if (on)
      await db
        .insertInto('council_follows')
        .values({ proposal_id: proposalId, user_id: userId })
        .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
        .execute();
    else await db.deleteFrom('council_follows').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute();
  }
  async followers(proposalId: string): Promise<string[]> {
    return (await this.db.selectFrom('council_follows').select('user_id').where('proposal_id', '=', proposalId).execute()).map((r) => r.user_id as string);
  }
  async isFollowing(proposalId: string, userId: string) {
    return !!(await this.db
      .selectFrom('council_follows')
      .select('user_id')
      .where('proposal_id', '=', proposalId)
      .where('user_id', '=', userId)
      .executeTakeFirst());
  }

  // ---------- comments ----------
  async insertComment(c: CommentRow, db: Db = this.db) {
    await db.insertInto('council_comments').values(c).execute();
  }
  comments(proposalId: string) {
    return this.db.selectFrom('council_comments').selectAll().where('proposal_id', '=', proposalId).orderBy('created_at').orderBy('id').execute() as Promise<
      CommentRow[]
    >;
  }
  commentById(id: string, db: Db = this.db) {
    return db.selectFrom('council_comments').selectAll().where('id', '=', id).executeTakeFirst() as Promise<CommentRow | undefined>;
  }
  /** One report per user (primary key); hides the comment at `hideAt` reports unless staff kept it. */
  async report(t: Tx, commentId: string, userId: string, at: string, hideAt: number): Promise<boolean> {
    const r = await t
      .insertInto('council_comment_reports')
      .values({ comment_id: commentId, user_id: userId, at })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (n(r) !== 1) return false;
    await t
      .updateTable('council_comments')
      .set((eb) => ({ reports: eb('reports', '+', 1) }))
      .where('id', '=', commentId)
      .execute();
    await t
      .updateTable('council_comments')
      .set({ hidden: 1, review: 'pending' })
      .where('id', '=', commentId)
      .where('reports', '>=', hideAt)
      .where('review', '=', 'none')
      .execute();
    return true;
  }
  async setReview(t: Tx, commentId: string, review: 'kept' | 'removed') {
    await t
      .updateTable('council_comments')
      .set({ review, hidden: review === 'removed' ? 1 : 0 })
      .where('id', '=', commentId)
      .execute();
  }
  moderationQueue(reach: Reachable) {
    return whereReach(
      this.db.selectFrom('council_comments').innerJoin('council_proposals', 'council_proposals.id', 'council_comments.proposal_id'),
      reach,
      'council_proposals.place_path',
    )
      .selectAll('council_comments')
      .select('council_proposals.title as proposal_title')
      .where('council_comments.review', '=', 'pending')
      .orderBy('council_comments.created_at')
      .limit(200)
      .execute() as Promise<(CommentRow & { proposal_title: string })[]>;
  }
}
