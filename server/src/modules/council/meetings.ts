// Council meetings: agenda items (linked to proposals and votes), attendees, minutes and the
// resolution recorded per item. Small enough for one file: schema, rules, routes (data access:
// meetings.repository.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { communityOf, json } from './council.common.js';
import { MeetingsRepository, type MeetingRow } from './meetings.repository.js';
import { IdParam, lit, Paging, Str } from './votes.schema.js';
import * as R from './council.schema.js';

const AgendaItem = Type.Object(
  { title: Str(200, 1), proposalId: Type.Optional(Type.Union([Str(64, 1), Type.Null()])), voteId: Type.Optional(Type.Union([Str(64, 1), Type.Null()])) },
  { additionalProperties: false },
);
const Attendee = Type.Object({ name: Str(50, 1), role: Str(30) }, { additionalProperties: false });
export const CreateMeetingBody = Type.Object(
  {
    communityId: Str(64, 1),
    title: Str(200, 1),
    startsAt: Type.String({ format: 'date-time' }),
    location: Str(200, 1),
    agenda: Type.Optional(Type.Array(AgendaItem, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export const UpdateMeetingBody = Type.Object(
  {
    minutes: Type.Optional(Str(20000)),
    attendees: Type.Optional(Type.Array(Attendee, { maxItems: 300 })),
    status: Type.Optional(lit(['planned', 'held'] as const)),
    resolutions: Type.Optional(Type.Array(Type.Object({ itemId: Str(64, 1), resolution: Str(2000) }, { additionalProperties: false }), { maxItems: 30 })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({ ...Paging });

export class MeetingsService {
  private repo: MeetingsRepository;
  constructor(private k: Kernel) {
    this.repo = new MeetingsRepository(k.db);
  }

  private async reachable(actor: Actor, id: string, action = 'read') {
    const m = await this.repo.byId(id);
    if (!m || !this.k.authz.can(actor, 'read', 'CouncilMeeting', { placePath: m.place_path })) throw notFound('council.meeting_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'CouncilMeeting', { placePath: m.place_path })) throw notFound('council.meeting_not_found');
    return m;
  }

  /** Linked proposals and votes must belong to the meeting's community. */
  private async checkLinks(communityId: string, items: Static<typeof AgendaItem>[]) {
    for (const [i, it] of items.entries()) {
      if (it.proposalId && !(await this.repo.proposalIn(it.proposalId, communityId)))
        throw invalid([{ field: `agenda.${i}.proposalId`, code: 'council.link_unknown' }]);
      if (it.voteId && !(await this.repo.voteIn(it.voteId, communityId))) throw invalid([{ field: `agenda.${i}.voteId`, code: 'council.link_unknown' }]);
    }
  }

  async list(actor: Actor, q: Static<typeof ListQuery>): Promise<Static<typeof R.MeetingPage>> {
    const { items, total } = await this.repo.list(this.k.authz.reach(actor, 'read', 'CouncilMeeting'), q.pageSize, (q.page - 1) * q.pageSize);
    return { items: items.map((m) => this.view(m)), total, page: q.page, pageSize: q.pageSize };
  }

  private view(m: MeetingRow): R.MeetingView {
    return {
      id: m.id,
      communityId: m.community_id,
      title: m.title,
      startsAt: m.starts_at,
      location: m.location,
      minutes: m.minutes,
      attendees: json<R.MeetingView['attendees']>(m.attendees, []),
      status: m.status,
      createdAt: m.created_at,
    };
  }

  async get(actor: Actor, id: string): Promise<R.MeetingDetail> {
    const m = await this.reachable(actor, id);
    const items = await this.repo.agenda(m.id);
    return {
      ...this.view(m),
      agenda: items.map((i) => ({
        id: i.id,
        title: i.title,
        resolution: i.resolution,
        proposal: i.proposal_id ? { id: i.proposal_id, title: i.proposal_title, status: i.proposal_status } : null,
        vote: i.vote_id
          ? { id: i.vote_id, title: i.vote_title, status: i.vote_status, outcome: json<{ outcome?: string } | null>(i.vote_result, null)?.outcome ?? null }
          : null,
      })),
    };
  }

  async create(actor: Actor, b: Static<typeof CreateMeetingBody>, ip: string) {
    const c = await communityOf(this.k, b.communityId);
    if (!this.k.authz.can(actor, 'manage', 'CouncilMeeting', { placePath: c.path })) throw notFound('council.community_unknown');
    await this.checkLinks(c.id, b.agenda ?? []);
    const at = iso(this.k.clock.now());
    const id = newId('mtg');
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insert(t, {
        id,
        community_id: c.id,
        place_path: c.path,
        title: b.title.trim(),
        starts_at: b.startsAt,
        location: b.location.trim(),
        minutes: null,
        attendees: '[]',
        status: 'planned',
        created_at: at,
        updated_at: at,
      });
      for (const [i, it] of (b.agenda ?? []).entries())
        await this.repo.insertItem(t, {
          id: newId('agi'),
          meeting_id: id,
          sort: i,
          title: it.title.trim(),
          proposal_id: it.proposalId ?? null,
          vote_id: it.voteId ?? null,
          resolution: null,
        });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.meeting.create',
          targetType: 'council_meeting',
          targetId: id,
          scopePath: c.path,
          ip,
          detail: { title: b.title, agenda: b.agenda?.length ?? 0 },
        },
        t,
      );
    });
    return this.get(actor, id);
  }

  async addItem(actor: Actor, id: string, b: Static<typeof AgendaItem>, ip: string) {
    const m = await this.reachable(actor, id, 'manage');
    await this.checkLinks(m.community_id, [b]);
    const n = await this.repo.itemCount(m.id);
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertItem(t, {
        id: newId('agi'),
        meeting_id: m.id,
        sort: n,
        title: b.title.trim(),
        proposal_id: b.proposalId ?? null,
        vote_id: b.voteId ?? null,
        resolution: null,
      });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.meeting.agenda_item',
          targetType: 'council_meeting',
          targetId: m.id,
          scopePath: m.place_path,
          ip,
          detail: { ...b },
        },
        t,
      );
    });
    return this.get(actor, m.id);
  }

  async update(actor: Actor, id: string, b: Static<typeof UpdateMeetingBody>, ip: string) {
    const m = await this.reachable(actor, id, 'manage');
    const at = iso(this.k.clock.now());
    await this.k.db.transaction().execute(async (t) => {
      const patch: Partial<MeetingRow> = { updated_at: at };
      if (b.minutes !== undefined) patch.minutes = b.minutes;
      if (b.attendees) patch.attendees = JSON.stringify(b.attendees);
      if (b.status) patch.status = b.status;
      await this.repo.update(t, m.id, patch);
      for (const [i, r] of (b.resolutions ?? []).entries()) {
        if (!(await this.repo.setResolution(t, m.id, r.itemId, r.resolution)))
          throw invalid([{ field: `resolutions.${i}.itemId`, code: 'council.link_unknown' }]);
      }
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.meeting.update',
          targetType: 'council_meeting',
          targetId: m.id,
          scopePath: m.place_path,
          ip,
          detail: { status: b.status, attendees: b.attendees?.length, minutes: b.minutes !== undefined, resolutions: b.resolutions },
        },
        t,
      );
    });
    return this.get(actor, m.id);
  }
}

const can = (action: string) => ({ auth: { action, subject: 'CouncilMeeting' } });
const tags = ['council'];

export function registerMeetingRoutes(app: App, svc: MeetingsService) {
  app.get(
    '/api/v1/council/meetings',
    { config: can('read'), schema: { tags, summary: 'Council meetings', querystring: ListQuery, response: { 200: R.MeetingPage } } },
    async (req) => svc.list(requireActor(req), req.query),
  );
  app.post(
    '/api/v1/council/meetings',
    { config: can('manage'), schema: { tags, summary: 'Plan a meeting with its agenda', body: CreateMeetingBody, response: { 201: R.MeetingDetail } } },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );
  app.get(
    '/api/v1/council/meetings/:id',
    {
      config: can('read'),
      schema: { tags, summary: 'A meeting: agenda with linked proposals and votes, attendees, minutes', params: IdParam, response: { 200: R.MeetingDetail } },
    },
    async (req) => svc.get(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/v1/council/meetings/:id',
    {
      config: can('manage'),
      schema: {
        tags,
        summary: 'Record attendees, minutes, resolutions; mark held',
        params: IdParam,
        body: UpdateMeetingBody,
        response: { 200: R.MeetingDetail },
      },
    },
    async (req) => svc.update(requireActor(req), req.params.id, req.body, req.ip),
  );
  app.post(
    '/api/v1/council/meetings/:id/agenda',
    { config: can('manage'), schema: { tags, summary: 'Add an agenda item', params: IdParam, body: AgendaItem, response: { 201: R.MeetingDetail } } },
    async (req, reply) => reply.status(201).send(await svc.addItem(requireActor(req), req.params.id, req.body, req.ip)),
  );
}
