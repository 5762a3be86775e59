// Surveys (问卷调查): questions of eight types with required and conditional questions (checked on
// the server), an audience of places and tags, one response per resident or per household (the
// roll's primary key), named or anonymous (anonymous responses keep no resident link), open and
// close times, results with the response rate per building, and XLSX export.
import crypto from 'node:crypto';
import { exceljs } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, invalid, notFound } from '../../kernel/http/errors.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { places, residents } from '../registry/index.js';
import { SurveysRepository, type SurveyRow } from './surveys.repository.js';
import { checkAnswers, checkQuestions, type Question } from './surveys.questions.js';
import { aggregate } from './surveys.results.js';
import type { Static } from '@sinclair/typebox';
import type { AnswerBody, AnswerResult, SurveyCreateBody, SurveyListQuery, SurveyPage, SurveyResults, SurveyView } from './surveys.schema.js';
import { audiencePaths, audienceResidents, communityFor, parseJson, residentOf, timeField, type Audience } from './participation.common.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from './components.js';
import { componentSettings } from './settings.service.js';

export class SurveysService {
  readonly repo: SurveysRepository;
  constructor(readonly k: Kernel) {
    this.repo = new SurveysRepository(k.database);
  }
  private now() {
    return iso(this.k.clock.now());
  }

  state(s: SurveyRow): 'upcoming' | 'open' | 'closed' {
    const now = this.now();
    if (s.closed_at || (s.closes_at && s.closes_at <= now)) return 'closed';
    return s.opens_at > now ? 'upcoming' : 'open';
  }

  view(s: SurveyRow, extra: Partial<SurveyView> = {}): SurveyView {
    return {
      id: s.id,
      communityId: s.community_id,
      title: s.title,
      description: s.description,
      questions: parseJson<Question[]>(s.questions, []),
      audience: parseJson<Audience>(s.audience, { placeIds: [], tags: [] }),
      per: s.per,
      anonymous: !!s.anonymous,
      opensAt: s.opens_at,
      closesAt: s.closed_at ?? s.closes_at,
      state: this.state(s),
      ...extra,
    };
  }

  /** The audience row of this resident for the survey, or null when the survey is not for them. */
  private async membership(s: SurveyRow, residentId: string) {
    const a = parseJson<Audience>(s.audience, { placeIds: [], tags: [] });
    const paths = await audiencePaths(this.k, { path: s.place_path }, a);
    return (await audienceResidents(this.k, paths, a.tags, residentId))[0] ?? null;
  }

  private respondentKey(s: SurveyRow, m: { residentId: string; householdId: string | null; houseId: string }) {
    return s.per === 'household' ? (m.householdId ?? m.houseId) : m.residentId;
  }

  private async reachable(actor: Actor, id: string) {
    const s = await this.repo.byId(id);
    if (!s) throw notFound('surveys.not_found');
    if (actor.kind === 'resident' && actor.residentId) {
      const m = this.k.authz.can(actor, 'read', 'Survey', { placePath: s.place_path, residentId: actor.residentId })
        ? await this.membership(s, actor.residentId)
        : null;
      if (!m) throw notFound('surveys.not_found');
      return { s, m };
    }
    if (!this.k.authz.can(actor, 'read', 'Survey', { placePath: s.place_path })) throw notFound('surveys.not_found');
    return { s, m: null };
  }

  async create(actor: Actor, b: SurveyCreateBody, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'create', 'Survey');
    const errs = checkQuestions(b.questions);
    if (errs.length) throw invalid(errs);
    const audience: Audience = { placeIds: b.audience?.placeIds ?? [], tags: b.audience?.tags ?? [] };
    await audiencePaths(this.k, c, audience);
    const now = this.now();
    const opensAt = timeField(b.opensAt, 'opensAt') ?? now;
    const closesAt = timeField(b.closesAt, 'closesAt');
    if (closesAt && closesAt <= opensAt) throw invalid([{ field: 'closesAt', code: 'participation.bad_time' }]);
    const defaults = await componentSettings(this.k, c.id, 'surveys');
    const row: SurveyRow = {
      id: newId('svy'),
      community_id: c.id,
      place_path: c.path,
      title: b.title.trim(),
      description: b.description?.trim() ?? '',
      questions: JSON.stringify(b.questions),
      audience: JSON.stringify(audience),
      per: b.per ?? (defaults.defaultPer === 'household' ? 'household' : 'resident'),
      anonymous: b.anonymous ? 1 : 0,
      opens_at: opensAt,
      closes_at: closesAt,
      closed_at: null,
      created_by: actor.userId,
      created_at: now,
    };
    await this.repo.insert(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.survey.create',
      targetType: 'survey',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { title: row.title, per: row.per, anonymous: !!row.anonymous },
    });
    return this.view(row);
  }

  async list(actor: Actor, q: SurveyListQuery): Promise<Static<typeof SurveyPage>> {
    if (actor.kind === 'resident' && actor.residentId) {
      const me = await residentOf(this.k, actor);
      const out = [];
      for (const s of await this.repo.ofCommunity(me.communityPath)) {
        const m = await this.membership(s, me.residentId);
        if (!m) continue;
        const answered = (await this.repo.answeredBy([s.id], [this.respondentKey(s, m)])).size > 0;
        out.push(this.view(s, { answered }));
      }
      return { items: out, total: out.length, page: 1, pageSize: out.length };
    }
    const { items, total } = await this.repo.list(this.k.authz.reach(actor, 'read', 'Survey'), q.pageSize, (q.page - 1) * q.pageSize);
    const counts = await this.repo.counts(items.map((s) => s.id));
    return { items: items.map((s) => this.view(s, { responses: counts.get(s.id) ?? 0 })), total, page: q.page, pageSize: q.pageSize };
  }

  async get(actor: Actor, id: string): Promise<SurveyView> {
    const { s, m } = await this.reachable(actor, id);
    if (m) return this.view(s, { answered: (await this.repo.answeredBy([s.id], [this.respondentKey(s, m)])).size > 0 });
    return this.view(s, { responses: (await this.repo.counts([s.id])).get(s.id) ?? 0 });
  }

  async answer(actor: Actor, id: string, b: AnswerBody): Promise<Static<typeof AnswerResult>> {
    const me = await residentOf(this.k, actor);
    const { s, m } = await this.reachable(actor, id);
    if (!m) throw notFound('surveys.not_found');
    if (this.state(s) !== 'open') throw conflict('surveys.not_open');
    const { answers, errors } = checkAnswers(parseJson<Question[]>(s.questions, []), b.answers);
    if (errors.length) throw invalid(errors);
    const now = this.k.clock.now();
    const ok = await this.repo.answer(
      { survey_id: s.id, respondent_key: this.respondentKey(s, m), resident_id: me.residentId, building_id: m.buildingId, responded_at: iso(now) },
      // anonymous: a random id (not time-ordered) and no resident, so the response cannot be joined to the roll
      {
        id: s.anonymous ? `svr_${crypto.randomBytes(13).toString('hex')}` : newId('svr'),
        survey_id: s.id,
        resident_id: s.anonymous ? null : me.residentId,
        answers: JSON.stringify(answers),
        day: localDate(now, this.k.config.timeZone),
      },
    );
    if (!ok) throw conflict('surveys.already_answered');
    await this.k.events.publish<ParticipationAction>(PARTICIPATION_ACTION, {
      communityId: s.community_id,
      residentId: me.residentId,
      component: 'surveys',
      action: 'answer',
      ref: s.id,
      at: iso(now),
    });
    return { surveyId: s.id, answered: true };
  }

  async close(actor: Actor, id: string, ip: string) {
    const { s } = await this.reachable(actor, id);
    if (!this.k.authz.can(actor, 'edit', 'Survey', { placePath: s.place_path })) throw notFound('surveys.not_found');
    if (!s.closed_at) {
      await this.repo.update(id, { closed_at: this.now() });
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'participation.survey.close',
        targetType: 'survey',
        targetId: id,
        scopePath: s.place_path,
        ip,
      });
    }
    return this.view((await this.repo.byId(id))!);
  }

  /** Response rate per building: respondents over the audience (residents, or households). */
  private async rates(s: SurveyRow) {
    const a = parseJson<Audience>(s.audience, { placeIds: [], tags: [] });
    const people = await audienceResidents(this.k, await audiencePaths(this.k, { path: s.place_path }, a), a.tags);
    const eligible = new Map<string | null, Set<string>>();
    for (const p of people) {
      const set = eligible.get(p.buildingId) ?? new Set<string>();
      set.add(this.respondentKey(s, p));
      eligible.set(p.buildingId, set);
    }
    const answered = await this.repo.rollByBuilding(s.id);
    const ids = [...new Set([...eligible.keys(), ...answered.keys()])];
    const names = await places.placeNames(
      this.k,
      ids.filter((x): x is string => !!x),
    );
    const byBuilding = ids.map((b) => {
      const total = eligible.get(b)?.size ?? 0;
      const n = answered.get(b) ?? 0;
      return { buildingId: b, buildingName: b ? (names.get(b) ?? b) : null, eligible: total, responses: n, rate: total ? n / total : 0 };
    });
    const eligibleAll = byBuilding.reduce((x, r) => x + r.eligible, 0);
    const responsesAll = byBuilding.reduce((x, r) => x + r.responses, 0);
    return { eligible: eligibleAll, responses: responsesAll, rate: eligibleAll ? responsesAll / eligibleAll : 0, byBuilding };
  }

  async results(actor: Actor, id: string): Promise<Static<typeof SurveyResults>> {
    const { s, m } = await this.reachable(actor, id);
    if (m) throw new AppError(403, 'auth.forbidden');
    const qs = parseJson<Question[]>(s.questions, []);
    const rows = await this.repo.responses(s.id);
    return {
      survey: this.view(s),
      ...(await this.rates(s)),
      questions: aggregate(
        qs,
        rows.map((r) => parseJson<Record<string, unknown>>(r.answers, {})),
      ),
    };
  }

  /** XLSX of the responses; anonymous surveys export no identity. Audited either way. */
  async exportXlsx(actor: Actor, id: string, ip: string) {
    const { s } = await this.reachable(actor, id);
    if (!this.k.authz.can(actor, 'export', 'Survey', { placePath: s.place_path })) throw notFound('surveys.not_found');
    const qs = parseJson<Question[]>(s.questions, []);
    const rows = await this.repo.responses(s.id);
    const roll = s.anonymous ? new Map() : new Map((await this.repo.roll(s.id)).map((r) => [r.resident_id, r]));
    const residentIds = s.anonymous ? [] : [...new Set(rows.map((r) => r.resident_id!).filter(Boolean))];
    const who = new Map<string, string>();
    for (const rid of residentIds) who.set(rid, (await residents.get(this.k, rid))?.name ?? '');
    const buildings = await places.placeNames(this.k, [...roll.values()].map((r) => r.building_id).filter(Boolean));
    const wb = new (exceljs().Workbook)();
    const ws = wb.addWorksheet('responses');
    const cell = (q: Question, v: unknown) => {
      if (v == null) return '';
      if (Array.isArray(v)) return v.join(q.type === 'ranking' ? ' > ' : '; ');
      if (typeof v === 'object')
        return Object.entries(v)
          .map(([row, a]) => `${row}: ${[a].flat().join('/')}`)
          .join('; ');
      return v as string | number;
    };
    ws.addRow([...(s.anonymous ? [] : ['居民 Resident', '楼栋 Building']), '日期 Day', ...qs.map((q) => q.title)]);
    for (const r of rows) {
      const a = parseJson<Record<string, unknown>>(r.answers, {});
      const ident = s.anonymous ? [] : [who.get(r.resident_id!) ?? '', buildings.get(roll.get(r.resident_id!)?.building_id) ?? ''];
      ws.addRow([...ident, r.day, ...qs.map((q) => cell(q, a[q.id]))]);
    }
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.survey.export',
      targetType: 'survey',
      targetId: s.id,
      scopePath: s.place_path,
      ip,
      detail: { rows: rows.length, anonymous: !!s.anonymous },
    });
    return { name: `survey-${s.id}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
}
