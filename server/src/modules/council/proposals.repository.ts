// The only code that touches the proposal tables (proposals, co-signatures, timeline, follows,
// comments and their reports).
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { CouncilTables, ProposalStatus } from './council.tables.js';
import { escapeLike, like } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './council.common.js';

/** A proposal as stored (council.tables.ts). */
export type ProposalRow = Selectable<CouncilTables['council_proposals']>;
/** A comment on a proposal as stored. */
export type CommentRow = Selectable<CouncilTables['council_comments']>;

const n = (r: { numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined) => Number(r?.numInsertedOrUpdatedRows ?? r?.numUpdatedRows ?? 0);

/** The kernel's handle (or a transaction of it) seen through the council's tables. */
const own = (db: Db | Tx) => tablesOf<CouncilTables>(db);

export class ProposalsRepository {
  constructor(private db: Db) {}
  private get own() {
    return own(this.db);
  }

  byId(id: string, db: Db = this.db) {
    return own(db).selectFrom('council_proposals').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insert(t: Tx, p: ProposalRow) {
    await own(t).insertInto('council_proposals').values(p).execute();
  }
  async update(t: Tx, id: string, patch: Partial<ProposalRow>) {
    await own(t).updateTable('council_proposals').set(patch).where('id', '=', id).execute();
  }
  async list(reach: Reachable, f: { status?: ProposalStatus; q?: string; mine?: string }, limit: number, offset: number) {
    let q = whereReach(this.own.selectFrom('council_proposals'), reach);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.q) q = q.where(like('title', `%${escapeLike(f.q)}%`));
    if (f.mine) q = q.where('author_resident_id', '=', f.mine);
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  byAttachment(fileId: string) {
    return this.own
      .selectFrom('council_proposals')
      .selectAll()
      .where(like('attachment_ids', `%"${escapeLike(fileId)}"%`))
      .executeTakeFirst();
  }

  // ---------- co-signatures ----------
  /**
   * Count a co-signature while the proposal still collects them (the update takes the row lock,
   * so a signature racing the one that reaches the agenda waits and is then refused).
   */
  async countCosign(t: Tx, proposalId: string, at: string): Promise<boolean> {
    const r = await own(t)
      .updateTable('council_proposals')
      .set((eb) => ({ cosigns: eb('cosigns', '+', 1), updated_at: at }))
      .where('id', '=', proposalId)
      .where('status', '=', 'collecting')
      .executeTakeFirst();
    return n(r) === 1;
  }
  /** One co-signature per resident (primary key); false when it was there already. */
  async addCosign(t: Tx, proposalId: string, residentId: string, at: string): Promise<boolean> {
    const r = await own(t)
      .insertInto('council_cosigns')
      .values({ proposal_id: proposalId, resident_id: residentId, at })
      .onConflict((oc) => oc.columns(['proposal_id', 'resident_id']).doNothing())
      .executeTakeFirst();
    return n(r) === 1;
  }
  async hasCosigned(proposalId: string, residentId: string) {
    return !!(await this.own
      .selectFrom('council_cosigns')
      .select('at')
      .where('proposal_id', '=', proposalId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst());
  }
  /** Move to the agenda once, when the threshold is reached (status guard: only from collecting). */
  async reachAgenda(t: Tx, id: string, at: string): Promise<boolean> {
    const r = await own(t)
      .updateTable('council_proposals')
      .set({ status: 'on_agenda', on_agenda_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'collecting')
      .whereRef('cosigns', '>=', 'cosign_threshold')
      .executeTakeFirst();
    return n(r) === 1;
  }

  // ---------- timeline and follows ----------
  async addUpdate(t: Tx, u: { id: string; proposal_id: string; at: string; status: ProposalStatus; note: string | null; actor_name: string }) {
    await own(t).insertInto('council_proposal_updates').values(u).execute();
  }
  updates(proposalId: string) {
    return this.own.selectFrom('council_proposal_updates').selectAll().where('proposal_id', '=', proposalId).orderBy('at').orderBy('id').execute();
  }
  async follow(proposalId: string, userId: string, on: boolean, db: Db = this.db) {
    if (on)
      await own(db)
        .insertInto('council_follows')
        .values({ proposal_id: proposalId, user_id: userId })
        .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
        .execute();
    else await own(db).deleteFrom('council_follows').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute();
  }
  async followers(proposalId: string): Promise<string[]> {
    return (await this.own.selectFrom('council_follows').select('user_id').where('proposal_id', '=', proposalId).execute()).map((r) => r.user_id);
  }
  async isFollowing(proposalId: string, userId: string) {
    return !!(await this.own
      .selectFrom('council_follows')
      .select('user_id')
      .where('proposal_id', '=', proposalId)
      .where('user_id', '=', userId)
      .executeTakeFirst());
  }

  // ---------- comments ----------
  async insertComment(c: CommentRow, db: Db = this.db) {
    await own(db).insertInto('council_comments').values(c).execute();
  }
  comments(proposalId: string) {
    return this.own.selectFrom('council_comments').selectAll().where('proposal_id', '=', proposalId).orderBy('created_at').orderBy('id').execute();
  }
  commentById(id: string, db: Db = this.db) {
    return own(db).selectFrom('council_comments').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** One report per user (primary key); hides the comment at `hideAt` reports unless staff kept it. */
  async report(t: Tx, commentId: string, userId: string, at: string, hideAt: number): Promise<boolean> {
    const r = await own(t)
      .insertInto('council_comment_reports')
      .values({ comment_id: commentId, user_id: userId, at })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (n(r) !== 1) return false;
    await own(t)
      .updateTable('council_comments')
      .set((eb) => ({ reports: eb('reports', '+', 1) }))
      .where('id', '=', commentId)
      .execute();
    await own(t)
      .updateTable('council_comments')
      .set({ hidden: 1, review: 'pending' })
      .where('id', '=', commentId)
      .where('reports', '>=', hideAt)
      .where('review', '=', 'none')
      .execute();
    return true;
  }
  async setReview(t: Tx, commentId: string, review: 'kept' | 'removed') {
    await own(t)
      .updateTable('council_comments')
      .set({ review, hidden: review === 'removed' ? 1 : 0 })
      .where('id', '=', commentId)
      .execute();
  }
  moderationQueue(reach: Reachable) {
    return whereReach(
      this.own.selectFrom('council_comments').innerJoin('council_proposals', 'council_proposals.id', 'council_comments.proposal_id'),
      reach,
      'council_proposals.place_path',
    )
      .selectAll('council_comments')
      .select('council_proposals.title as proposal_title')
      .where('council_comments.review', '=', 'pending')
      .orderBy('council_comments.created_at')
      .limit(200)
      .execute();
  }
}
