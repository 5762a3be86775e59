// Proposals by residents: co-signatures up to the agenda threshold, comments with moderation,
// staff answers with a dated status timeline that followers are told about.
import type { Kernel } from '../../kernel/index.js';
import type { CommentView, ModerationQueue, ProposalDetail, ProposalView } from './council.schema.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { electorate } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { communityOf, json, publishAction, residentOf, systemName, today } from './council.common.js';
import { proposalsComponent, setting } from './council.policy.js';
import { ProposalsRepository, type CommentRow, type ProposalRow } from './proposals.repository.js';
import { MAX_ATTACHMENT_BYTES, type CreateProposalBody, type ListProposalsQuery, type StatusBody } from './proposals.schema.js';

const scoped = (p: ProposalRow) => ({ placePath: p.place_path });

export class ProposalsService {
  readonly repo: ProposalsRepository;
  constructor(readonly k: Kernel) {
    this.repo = new ProposalsRepository(k.db);
  }

  async reachable(actor: Actor, id: string): Promise<ProposalRow> {
    const p = await this.repo.byId(id);
    if (!p || !this.k.authz.can(actor, 'read', 'Proposal', scoped(p))) throw notFound('council.proposal_not_found');
    return p;
  }
  private must(actor: Actor, action: string, p: ProposalRow) {
    if (!this.k.authz.can(actor, action, 'Proposal', scoped(p))) throw forbidden();
  }

  view(p: ProposalRow): ProposalView {
    return {
      id: p.id,
      communityId: p.community_id,
      title: p.title,
      body: p.body,
      attachmentIds: json<string[]>(p.attachment_ids, []),
      authorName: p.author_name,
      source: p.source,
      status: p.status,
      cosigns: p.cosigns,
      cosignThreshold: p.cosign_threshold,
      onAgendaAt: p.on_agenda_at,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
  }

  async list(actor: Actor, q: ListProposalsQuery) {
    const reach = this.k.authz.reach(actor, 'read', 'Proposal');
    const { items, total } = await this.repo.list(
      reach,
      { status: q.status, q: q.q?.trim() || undefined, mine: q.mine ? (actor.residentId ?? '-') : undefined },
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    return { items: items.map((p) => this.view(p)), total, page: q.page, pageSize: q.pageSize };
  }

  async get(actor: Actor, id: string): Promise<ProposalDetail> {
    const p = await this.reachable(actor, id);
    const moderator = this.k.authz.can(actor, 'moderate', 'Proposal', scoped(p));
    const [updates, comments, following, cosigned] = await Promise.all([
      this.repo.updates(p.id),
      this.repo.comments(p.id),
      this.repo.isFollowing(p.id, actor.userId),
      actor.residentId ? this.repo.hasCosigned(p.id, actor.residentId) : Promise.resolve(false),
    ]);
    return {
      ...this.view(p),
      timeline: updates.map((u) => ({ at: u.at, status: u.status, note: u.note, actorName: u.actor_name })),
      // hidden comments keep their place; only moderators read their text
      comments: comments.filter((c) => moderator || c.review !== 'removed').map((c) => this.commentView(c, moderator)),
      following,
      cosigned,
      mine: !!actor.residentId && actor.residentId === p.author_resident_id,
    };
  }

  private commentView(c: CommentRow, moderator: boolean): CommentView {
    const visible = !c.hidden || moderator;
    return {
      id: c.id,
      authorName: visible ? c.author_name : null,
      body: visible ? c.body : null,
      hidden: !!c.hidden,
      reports: moderator ? c.reports : undefined,
      review: moderator ? c.review : undefined,
      createdAt: c.created_at,
    };
  }

  // ---------- attachments ----------
  async upload(actor: Actor, name: string, data: Buffer) {
    const f = await this.k.files.save({ name, data, ownerId: actor.userId, accept: ['image', 'pdf'], maxBytes: MAX_ATTACHMENT_BYTES });
    return { id: f.id, name: f.name, mime: f.mime, size: f.size };
  }
  async attachment(actor: Actor, fileId: string) {
    const p = await this.repo.byAttachment(fileId);
    if (p) await this.reachable(actor, p.id);
    else if ((await this.k.files.get(fileId))?.ownerId !== actor.userId) throw notFound('http.not_found');
    const f = await this.k.files.read(fileId);
    if (!f) throw notFound('http.not_found');
    return f;
  }

  // ---------- create ----------
  async create(actor: Actor, b: CreateProposalBody, ip: string) {
    const me = await residentOf(this.k, actor);
    const c = await communityOf(this.k, me.communityId);
    if (!(await electorate.isAdultResidentOf(this.k, me.id, c.id, today(this.k, c.timeZone)))) throw new AppError(403, 'council.not_eligible_resident');
    const attachments = [...new Set(b.attachmentIds ?? [])];
    for (const [i, id] of attachments.entries()) {
      const f = await this.k.files.get(id);
      if (!f || f.ownerId !== actor.userId || (await this.repo.byAttachment(id)))
        throw invalid([{ field: `attachmentIds.${i}`, code: 'council.bad_attachment' }]);
    }
    const row = await this.insert(
      {
        communityId: c.id,
        path: c.path,
        title: b.title.trim(),
        body: b.body.trim(),
        attachments,
        authorResidentId: me.id,
        authorName: me.name,
        source: 'resident',
      },
      actor,
      ip,
    );
    await this.repo.follow(row.id, actor.userId, true);
    await publishAction(this.k, { communityId: c.id, residentId: me.id, component: 'proposals', action: 'propose', ref: row.id });
    return this.get(actor, row.id);
  }

  /** Also used by feedback triage (a resident's feedback becomes a proposal in their name). */
  async insert(
    o: {
      communityId: string;
      path: string;
      title: string;
      body: string;
      attachments: string[];
      authorResidentId: string | null;
      authorName: string;
      source: string;
      cosignThreshold?: number;
    },
    actor: Actor,
    ip: string,
    t?: Tx,
  ) {
    const at = iso(this.k.clock.now());
    const threshold = o.cosignThreshold ?? (await setting<number>(this.k, o.communityId, proposalsComponent, 'cosignThreshold'));
    const row: ProposalRow = {
      id: newId('prp'),
      community_id: o.communityId,
      place_path: o.path,
      title: o.title,
      body: o.body,
      attachment_ids: JSON.stringify(o.attachments),
      author_resident_id: o.authorResidentId,
      author_name: o.authorName,
      source: o.source,
      status: 'collecting',
      cosign_threshold: threshold,
      cosigns: 0,
      on_agenda_at: null,
      created_at: at,
      updated_at: at,
    };
    const run = async (tx: Tx) => {
      await this.repo.insert(tx, row);
      await this.repo.addUpdate(tx, { id: newId('pru'), proposal_id: row.id, at, status: 'collecting', note: null, actor_name: o.authorName });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.proposal.create',
          targetType: 'council_proposal',
          targetId: row.id,
          scopePath: row.place_path,
          ip,
          detail: { title: row.title, source: o.source },
        },
        tx,
      );
    };
    if (t) await run(t);
    else await this.k.db.transaction().execute(run);
    return row;
  }

  // ---------- co-sign ----------
  async cosign(actor: Actor, id: string, ip: string) {
    const p = await this.reachable(actor, id);
    this.must(actor, 'cosign', p);
    const me = await residentOf(this.k, actor);
    if (p.author_resident_id === me.id) throw conflict('council.cannot_cosign_own');
    if (p.status !== 'collecting') throw conflict('council.not_cosignable');
    const c = await communityOf(this.k, p.community_id);
    if (!(await electorate.isAdultResidentOf(this.k, me.id, p.community_id, today(this.k, c.timeZone))))
      throw new AppError(403, 'council.not_eligible_resident');
    const at = iso(this.k.clock.now());
    let onAgenda = false;
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.countCosign(t, p.id, at))) throw conflict('council.not_cosignable');
      if (!(await this.repo.addCosign(t, p.id, me.id, at))) throw conflict('council.already_cosigned');
      onAgenda = await this.repo.reachAgenda(t, p.id, at);
      if (onAgenda) await this.repo.addUpdate(t, { id: newId('pru'), proposal_id: p.id, at, status: 'on_agenda', note: null, actor_name: systemName() });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.proposal.cosign',
          targetType: 'council_proposal',
          targetId: p.id,
          scopePath: p.place_path,
          subjectResidentId: me.id,
          ip,
          detail: { onAgenda },
        },
        t,
      );
    });
    await this.repo.follow(p.id, actor.userId, true);
    await publishAction(this.k, { communityId: p.community_id, residentId: me.id, component: 'proposals', action: 'cosign', ref: p.id });
    if (onAgenda) await this.tellFollowers(p, 'on_agenda');
    return this.get(actor, p.id);
  }

  async follow(actor: Actor, id: string, on: boolean) {
    const p = await this.reachable(actor, id);
    this.must(actor, 'follow', p);
    await this.repo.follow(p.id, actor.userId, on);
    return { following: on };
  }

  // ---------- staff answer ----------
  async setStatus(actor: Actor, id: string, b: StatusBody, ip: string) {
    const p = await this.reachable(actor, id);
    this.must(actor, 'answer', p);
    const at = iso(this.k.clock.now());
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.update(t, p.id, { status: b.status, updated_at: at });
      await this.repo.addUpdate(t, { id: newId('pru'), proposal_id: p.id, at, status: b.status, note: b.note.trim(), actor_name: actor.name });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.proposal.status',
          targetType: 'council_proposal',
          targetId: p.id,
          scopePath: p.place_path,
          ip,
          detail: { from: p.status, to: b.status, note: b.note },
        },
        t,
      );
    });
    await this.tellFollowers(p, b.status);
    return this.get(actor, p.id);
  }

  private async tellFollowers(p: ProposalRow, status: string) {
    const users = new Set(await this.repo.followers(p.id));
    const author = p.author_resident_id ? await userOfResident(this.k, p.author_resident_id) : null;
    if (author) users.add(author);
    await this.k.notify.send([...users], {
      kind: 'council.proposal',
      code: 'council.notify.proposal_status',
      bodyCode: 'council.notify.proposal_status_body',
      params: { title: p.title, status },
      link: `/portal/council/proposals/${p.id}`,
    });
  }

  // ---------- comments ----------
  async comment(actor: Actor, id: string, body: string) {
    const p = await this.reachable(actor, id);
    this.must(actor, 'comment', p);
    const me = await residentOf(this.k, actor);
    const c: CommentRow = {
      id: newId('pcm'),
      proposal_id: p.id,
      author_user_id: actor.userId,
      author_name: me.name,
      body: body.trim(),
      reports: 0,
      hidden: 0,
      review: 'none',
      created_at: iso(this.k.clock.now()),
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertComment(c, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.comment.create',
          targetType: 'council_comment',
          targetId: c.id,
          scopePath: p.place_path,
          subjectResidentId: me.id,
          detail: { proposalId: p.id },
        },
        t,
      );
    });
    return this.commentView(c, false);
  }

  private async commentOf(actor: Actor, commentId: string, action: string) {
    const c = await this.repo.commentById(commentId);
    const p = c ? await this.repo.byId(c.proposal_id) : undefined;
    if (!c || !p || !this.k.authz.can(actor, 'read', 'Proposal', scoped(p))) throw notFound('council.comment_not_found');
    this.must(actor, action, p);
    return { c, p };
  }

  async report(actor: Actor, commentId: string) {
    const { c, p } = await this.commentOf(actor, commentId, 'report');
    const hideAt = await setting<number>(this.k, p.community_id, proposalsComponent, 'reportsToHide');
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.report(t, c.id, actor.userId, iso(this.k.clock.now()), hideAt))) throw conflict('council.already_reported');
    });
    const after = (await this.repo.commentById(c.id))!;
    return { reported: true as const, hidden: !!after.hidden };
  }

  async review(actor: Actor, commentId: string, decision: 'keep' | 'remove', ip: string) {
    const { c, p } = await this.commentOf(actor, commentId, 'moderate');
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.setReview(t, c.id, decision === 'keep' ? 'kept' : 'removed');
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: `council.comment.${decision}`,
          targetType: 'council_comment',
          targetId: c.id,
          scopePath: p.place_path,
          ip,
          detail: { proposalId: p.id, reports: c.reports, body: c.body },
        },
        t,
      );
    });
    return this.commentView((await this.repo.commentById(c.id))!, true);
  }

  async moderationQueue(actor: Actor): Promise<ModerationQueue> {
    const rows = await this.repo.moderationQueue(this.k.authz.reach(actor, 'moderate', 'Proposal'));
    return { items: rows.map((c) => ({ ...this.commentView(c, true), proposalId: c.proposal_id, proposalTitle: c.proposal_title })) };
  }

  async existsIn(id: string, communityId: string) {
    const p = await this.repo.byId(id);
    return !!p && p.community_id === communityId;
  }
}
