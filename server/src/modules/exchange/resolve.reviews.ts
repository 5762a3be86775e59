// The review queue: a record the matcher was unsure of, beside the resident it proposed, both
// masked. A reviewer says "same person" or "different"; the decision is audited (with the
// resident as subject) and remembered, so the same record meeting the same resident again is
// decided without asking.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { conflict, notFound } from '../../kernel/http/errors.js';
import { linkableResidents } from '../registry/index.js';
import type { MappedRecord } from './mapping.js';
import type { Comparison } from './resolve.js';
import { applyWelfareTags, assertionsOf } from './records.provenance.js';
import type { RecordsService } from './records.service.js';
import { maskedRecord } from './records.service.js';
import type { ReviewRow } from './records.repository.js';
import type { ReviewStatus } from './records.tables.js';

export class Reviews {
  constructor(
    private k: Kernel,
    private records: RecordsService,
  ) {}

  private get repo() {
    return this.records.repo;
  }

  private async views(rows: ReviewRow[]) {
    const recs = new Map((await this.repo.recordsByIds(rows.map((r) => r.record_id))).map((r) => [r.id, r]));
    const people = await linkableResidents.masked(
      this.k,
      rows.map((r) => r.candidate_id),
    );
    const sources = new Map((await this.repo.sources(null)).map((s) => [s.id, s]));
    return rows.map((r) => {
      const rec = recs.get(r.record_id)!;
      const v = JSON.parse(this.k.vault.decrypt(rec.data_enc)) as MappedRecord;
      const c = people.get(r.candidate_id);
      return {
        id: r.id,
        status: r.status,
        sourceId: r.source_id,
        sourceName: sources.get(r.source_id)?.name ?? '',
        importId: rec.import_id,
        row: rec.row_n,
        weight: r.weight,
        levels: JSON.parse(r.levels) as Comparison,
        record: maskedRecord(v),
        candidate: c
          ? {
              id: c.id,
              name: c.name,
              idNumberMasked: c.idNumberMasked,
              gender: c.gender,
              birthDate: c.birthDate,
              ethnicity: c.ethnicity,
              phoneMasked: c.phoneMasked,
              address: c.address,
            }
          : null,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        createdAt: r.created_at,
      };
    });
  }

  async list(actor: Actor, status: ReviewStatus, page: number, pageSize: number) {
    const reach = this.records.reach(actor, 'read', 'MatchReview');
    const rows = await this.repo.reviews(reach, status, pageSize, (page - 1) * pageSize);
    return { items: await this.views(rows), total: await this.repo.countReviews(reach, status), page, pageSize };
  }

  async decide(actor: Actor, id: string, decision: 'same' | 'different', ip: string) {
    const r = await this.repo.reviewById(id);
    if (!r || !this.k.authz.can(actor, 'decide', 'MatchReview', { placePath: r.place_path })) throw notFound('exchange.review_not_found');
    if (r.status !== 'pending') throw conflict('exchange.review_decided');
    const rec = (await this.repo.recordById(r.record_id))!;
    const src = (await this.repo.source(r.source_id))!;
    const v = JSON.parse(this.k.vault.decrypt(rec.data_enc)) as MappedRecord;
    const at = this.k.clock.now().toISOString();
    await this.repo.transaction(async (t) => {
      if (!(await this.repo.decideReview(t, r.id, decision, actor.userId, at))) throw conflict('exchange.review_decided');
      await this.repo.setRecordMatch(
        t,
        rec.id,
        decision === 'same'
          ? { status: 'linked', resident_id: r.candidate_id, match_kind: 'decision' }
          : { status: 'new', resident_id: null, match_kind: null },
      );
      if (rec.fingerprint)
        await this.repo.remember(t, {
          fingerprint: rec.fingerprint,
          resident_id: r.candidate_id,
          decision,
          review_id: r.id,
          decided_by: actor.userId,
          decided_at: at,
        });
      if (decision === 'same') await this.repo.assert(t, assertionsOf(this.k, src, rec.id, r.candidate_id, src.place_path, v, at));
    });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'exchange.review.decide',
      targetType: 'exchange_review',
      targetId: r.id,
      scopePath: r.place_path,
      subjectResidentId: r.candidate_id,
      ip,
      detail: { decision, source: r.source_id, record: rec.id, weight: r.weight },
    });
    if (decision === 'same' && src.department === 'civil_affairs' && v.tags.length)
      await applyWelfareTags(this.k, new Map([[r.candidate_id, v.tags]]), rec.import_id);
    return (await this.views([(await this.repo.reviewById(r.id))!]))[0];
  }
}
