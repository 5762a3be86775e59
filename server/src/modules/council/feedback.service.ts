// Feedback (诉求): a resident's need or complaint; staff answer it, turn it into a work order
// (through the work-orders module's public function) or into a proposal; a deadline job flags
// what waits too long; the resident rates the answer; statistics carry no identities.
import type { Kernel } from '../../kernel/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { t } from '../../kernel/http/i18n.js';
import type { FeedbackStats, FeedbackView } from './council.schema.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { iso, localDate } from '../../kernel/clock.js';
import { places } from '../registry/index.js';
import { userOfResident, usersCovering } from '../identity/index.js';
import { createWorkOrderFor } from '../workorders/index.js';
import { communityOf, json, publishAction, residentOf } from './council.common.js';
import { feedbackComponent, proposalsComponent, setting } from './council.policy.js';
import { FeedbackRepository, type FeedbackRow } from './feedback.repository.js';
import {
  MAX_FEEDBACK_PHOTO_BYTES,
  type ListFeedbackQuery,
  type RateBody,
  type SubmitFeedbackBody,
  type ToProposalBody,
  type WorkOrderBody,
} from './feedback.schema.js';
import type { ProposalsService } from './proposals.service.js';

const scoped = (f: FeedbackRow) => ({ placePath: f.place_path, residentId: f.resident_id });

export class FeedbackService {
  readonly repo: FeedbackRepository;
  constructor(
    readonly k: Kernel,
    private proposals: ProposalsService,
  ) {
    this.repo = new FeedbackRepository(k.db);
  }

  async reachable(actor: Actor, id: string, action = 'read'): Promise<FeedbackRow> {
    const f = await this.repo.byId(id);
    if (!f || !this.k.authz.can(actor, 'read', 'Feedback', scoped(f))) throw notFound('council.feedback_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'Feedback', scoped(f))) throw forbidden();
    return f;
  }

  view(actor: Actor, f: FeedbackRow): FeedbackView {
    const staff = this.k.authz.can(actor, 'triage', 'Feedback', scoped(f));
    return {
      id: f.id,
      communityId: f.community_id,
      placeId: f.place_id,
      residentName: f.resident_name,
      category: f.category,
      text: f.text,
      photoIds: json<string[]>(f.photo_ids, []),
      status: f.status,
      answer: f.answer,
      answeredAt: f.answered_at,
      workOrderId: f.work_order_id,
      proposalId: f.proposal_id,
      respondBy: f.respond_by,
      overdue: !!f.overdue,
      rating: f.rating,
      ratingComment: f.rating_comment,
      createdAt: f.created_at,
      allowedActions: [
        ...(staff && f.status === 'submitted' ? ['answer', 'work_order', 'proposal'] : []),
        ...(f.resident_id === actor.residentId && f.status !== 'submitted' && f.rating == null ? ['rate'] : []),
      ],
    };
  }

  async list(actor: Actor, q: ListFeedbackQuery) {
    const { items, total } = await this.repo.list(
      this.k.authz.reach(actor, 'read', 'Feedback'),
      { status: q.status, overdue: q.overdue, category: q.category },
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    return { items: items.map((f) => this.view(actor, f)), total, page: q.page, pageSize: q.pageSize };
  }

  async get(actor: Actor, id: string) {
    return this.view(actor, await this.reachable(actor, id));
  }

  // ---------- photos ----------
  async upload(actor: Actor, name: string, data: Buffer) {
    const f = await this.k.files.save({ name, data, ownerId: actor.userId, accept: ['image'], maxBytes: MAX_FEEDBACK_PHOTO_BYTES });
    return { id: f.id, name: f.name, mime: f.mime, size: f.size };
  }
  async photo(actor: Actor, fileId: string) {
    const fb = await this.repo.byPhoto(fileId);
    if (fb) await this.reachable(actor, fb.id);
    else if ((await this.k.files.get(fileId))?.ownerId !== actor.userId) throw notFound('http.not_found');
    const f = await this.k.files.read(fileId);
    if (!f || f.meta.kind !== 'image') throw notFound('http.not_found');
    return f;
  }

  // ---------- submit ----------
  async submit(actor: Actor, b: SubmitFeedbackBody, ip: string) {
    const me = await residentOf(this.k, actor);
    const c = await communityOf(this.k, me.communityId);
    let placeId: string | null = null;
    let path = me.houses.find((h) => h.communityId === c.id)?.placePath ?? c.path;
    if (b.placeId) {
      const p = await places.getPlace(this.k, b.placeId);
      if (!p || p.community_id !== c.id || !p.path.startsWith(c.path)) throw invalid([{ field: 'placeId', code: 'council.place_not_in_community' }]);
      placeId = p.id;
      path = p.path;
    }
    const photos = [...new Set(b.photoIds ?? [])];
    for (const [i, id] of photos.entries()) {
      const f = await this.k.files.get(id);
      if (!f || f.kind !== 'image' || f.ownerId !== actor.userId || (await this.repo.byPhoto(id)))
        throw invalid([{ field: `photoIds.${i}`, code: 'council.bad_attachment' }]);
    }
    const now = this.k.clock.now();
    const at = iso(now);
    const responseHours = await setting<number>(this.k, c.id, feedbackComponent, 'responseHours');
    const row: FeedbackRow = {
      id: newId('fbk'),
      community_id: c.id,
      place_path: path,
      place_id: placeId,
      resident_id: me.id,
      resident_name: me.name,
      category: b.category,
      text: b.text.trim(),
      photo_ids: JSON.stringify(photos),
      status: 'submitted',
      answer: null,
      answered_by: null,
      answered_at: null,
      work_order_id: null,
      proposal_id: null,
      respond_by: iso(new Date(now.getTime() + responseHours * 3_600_000)),
      overdue: 0,
      rating: null,
      rating_comment: null,
      month: localDate(now, c.timeZone).slice(0, 7),
      created_at: at,
      updated_at: at,
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insert(t, row);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.feedback.submit',
          targetType: 'council_feedback',
          targetId: row.id,
          scopePath: row.place_path,
          subjectResidentId: me.id,
          ip,
          detail: { category: row.category },
        },
        t,
      );
    });
    return this.view(actor, row);
  }

  // ---------- triage ----------
  private async handle(
    actor: Actor,
    f: FeedbackRow,
    patch: Partial<FeedbackRow>,
    action: string,
    ip: string,
    extra: Record<string, unknown> = {},
    inTx?: (t: Tx) => Promise<void>,
  ) {
    const at = iso(this.k.clock.now());
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.handle(t, f.id, { ...patch, answered_by: actor.name, answered_at: at, updated_at: at })))
        throw conflict('council.feedback_already_handled');
      if (inTx) await inTx(t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: `council.feedback.${action}`,
          targetType: 'council_feedback',
          targetId: f.id,
          scopePath: f.place_path,
          subjectResidentId: f.resident_id,
          ip,
          detail: { answer: patch.answer ?? null, ...extra },
        },
        t,
      );
    });
    const user = await userOfResident(this.k, f.resident_id);
    if (user)
      await this.k.notify.send([user], {
        kind: 'council.feedback',
        code: 'council.notify.feedback_answered',
        params: { text: (patch.answer ?? '').slice(0, 100) },
        link: `/portal/council/feedback/${f.id}`,
      });
  }

  async answer(actor: Actor, id: string, answer: string, ip: string) {
    const f = await this.reachable(actor, id, 'triage');
    if (f.status !== 'submitted') throw conflict('council.feedback_already_handled');
    await this.handle(actor, f, { status: 'answered', answer: answer.trim() }, 'answer', ip);
    return this.get(actor, f.id);
  }

  async toWorkOrder(actor: Actor, id: string, b: WorkOrderBody, ip: string) {
    const f = await this.reachable(actor, id, 'triage');
    if (f.status !== 'submitted') throw conflict('council.feedback_already_handled');
    const placeId = f.place_id ?? f.place_path.split('/').filter(Boolean).pop()!;
    // the work order is created first (its own transaction); a lost race leaves an order that
    // says where it came from, and the feedback keeps the first handling
    let wo: { id: string; number: string };
    try {
      wo = await createWorkOrderFor(
        this.k,
        {
          placeId,
          category: b.category,
          title: `诉求：${f.text.slice(0, 40)}`,
          description: `${f.text}\n（居民诉求 ${f.id}）`,
          by: { userId: actor.userId, name: actor.name },
        },
        ip,
      );
    } catch (e) {
      if (e instanceof AppError && e.status === 422) throw invalid([{ field: 'category', code: 'council.unknown_category' }]);
      throw e;
    }
    const answer = b.answer?.trim() || `已转为工单 ${wo.number}`;
    await this.handle(actor, f, { status: 'work_order', work_order_id: wo.id, answer }, 'work_order', ip, { workOrderId: wo.id, number: wo.number });
    await publishAction(this.k, { communityId: f.community_id, residentId: f.resident_id, component: 'feedback', action: 'accepted', ref: f.id });
    return this.get(actor, f.id);
  }

  async toProposal(actor: Actor, id: string, b: ToProposalBody, ip: string) {
    const f = await this.reachable(actor, id, 'triage');
    if (f.status !== 'submitted') throw conflict('council.feedback_already_handled');
    const c = await communityOf(this.k, f.community_id);
    // read before the transaction: a read outside it would wait for the connection it holds (SQLite)
    const cosignThreshold = await setting<number>(this.k, c.id, proposalsComponent, 'cosignThreshold');
    let proposalId = '';
    await this.handle(
      actor,
      f,
      { status: 'proposal', answer: b.answer?.trim() || t('zh-CN', 'council.feedback_to_proposal_answer') },
      'proposal',
      ip,
      {},
      async (t) => {
        const p = await this.proposals.insert(
          {
            communityId: c.id,
            path: c.path,
            title: b.title?.trim() || f.text.slice(0, 60),
            body: f.text,
            attachments: [],
            authorResidentId: f.resident_id,
            authorName: f.resident_name,
            source: 'feedback',
            cosignThreshold,
          },
          actor,
          ip,
          t,
        );
        proposalId = p.id;
        await this.repo.setProposal(t, f.id, p.id);
      },
    );
    await publishAction(this.k, { communityId: f.community_id, residentId: f.resident_id, component: 'feedback', action: 'accepted', ref: f.id });
    return { ...(await this.get(actor, f.id)), proposalId };
  }

  async rate(actor: Actor, id: string, b: RateBody) {
    const f = await this.reachable(actor, id, 'rate');
    if (f.resident_id !== actor.residentId) throw forbidden();
    if (f.status === 'submitted') throw conflict('council.feedback_not_ratable');
    const ok = await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.rate(t, f.id, b.rating, b.comment?.trim() || null, iso(this.k.clock.now())))) return false;
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.feedback.rate',
          targetType: 'council_feedback',
          targetId: f.id,
          scopePath: f.place_path,
          subjectResidentId: f.resident_id,
          detail: { rating: b.rating },
        },
        t,
      );
      return true;
    });
    if (!ok) throw conflict('council.already_rated');
    return this.get(actor, f.id);
  }

  /** Counts per category and month; no names, no texts. */
  async stats(actor: Actor, months: number): Promise<FeedbackStats> {
    const now = this.k.clock.now();
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
    const from = d.toISOString().slice(0, 7);
    const rows = await this.repo.stats(this.k.authz.reach(actor, 'stats', 'Feedback'), from);
    return {
      from,
      items: rows.map((r) => ({
        category: r.category,
        month: r.month,
        total: Number(r.total),
        handled: Number(r.handled),
        overdue: Number(r.overdue),
        accepted: Number(r.accepted),
        rated: Number(r.rated),
        averageRatingTenths: Number(r.rated) ? Math.round((Number(r.rating_sum) * 10) / Number(r.rated)) : null,
      })),
    };
  }

  /** The deadline job: flag unanswered feedback past its deadline and tell the community's staff. */
  async flagOverdue(now: Date) {
    const due = await this.repo.flagOverdue(iso(now));
    for (const f of due) {
      const staff = await usersCovering(this.k, f.place_path, ['community_staff']);
      await this.k.notify.send(
        staff.map((s) => s.userId),
        {
          kind: 'council.feedback_overdue',
          code: 'council.notify.feedback_overdue',
          params: { text: f.text.slice(0, 100) },
          link: `/council/feedback?id=${f.id}`,
        },
      );
    }
    return due.length;
  }
}
