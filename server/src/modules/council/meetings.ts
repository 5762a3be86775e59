// Council meetings: agenda items (linked to proposals and votes), attendees, minutes and the
// resolution recorded per item. Small enough for one file: schema, data access, rules, routes.
import { Type, type Static } from '@sinclair/typebox';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { communityOf, json, whereReach } from './council.common.js';
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

interface MeetingRow {
  id: string;
  community_id: string;
  place_path: string;
  title: string;
  starts_at: string;
  location: string;
  minutes: string | null;
  attendees: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export class MeetingsService {
  constructor(private k: Kernel) {}

  private async reachable(actor: Actor, id: string, action = 'read') {
    const m = (await this.k.db.selectFrom('council_meetings').selectAll().where('id', '=', id).executeTakeFirst()) as MeetingRow | undefined;
    if (!m || !this.k.authz.can(actor, 'read', 'CouncilMeeting', { placePath: m.place_path })) throw notFound('council.meeting_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'CouncilMeeting', { placePath: m.place_path })) throw notFound('council.meeting_not_found');
    return m;
  }

  /** Linked proposals and votes must belong to the meeting's community. */
  private async checkLinks(communityId: string, items: Static<typeof AgendaItem>[]) {
    for (const [i, it] of items.entries()) {
      if (
        it.proposalId &&
        !(await this.k.db
          .selectFrom('council_proposals')
          .select('id')
          .where('id', '=', it.proposalId)
          .where('community_id', '=', communityId)
          .executeTakeFirst())
      )
        throw invalid([{ field: `agenda.${i}.proposalId`, code: 'council.link_unknown' }]);
      if (
        it.voteId &&
        !(await this.k.db.selectFrom('council_votes').select('id').where('id', '=', it.voteId).where('community_id', '=', communityId).executeTakeFirst())
      )
        throw invalid([{ field: `agenda.${i}.voteId`, code: 'council.link_unknown' }]);
    }
  }

  async list(actor: Actor, q: Static<typeof ListQuery>): Promise<Static<typeof R.MeetingPage>> {
    const base = whereReach(this.k.db.selectFrom('council_meetings'), this.k.authz.reach(actor, 'read', 'CouncilMeeting'));
    const items = (await base
      .selectAll()
      .orderBy('starts_at', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute()) as MeetingRow[];
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
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
    const items = await this.k.db
      .selectFrom('council_agenda_items')
      .leftJoin('council_proposals', 'council_proposals.id', 'council_agenda_items.proposal_id')
      .leftJoin('council_votes', 'council_votes.id', 'council_agenda_items.vote_id')
      .select([
        'council_agenda_items.id',
        'council_agenda_items.title',
        'council_agenda_items.proposal_id',
        'council_agenda_items.vote_id',
        'council_agenda_items.resolution',
        'council_proposals.title as proposal_title',
        'council_proposals.status as proposal_status',
        'council_votes.title as vote_title',
        'council_votes.status as vote_status',
        'council_votes.result as vote_result',
      ])
      .where('council_agenda_items.meeting_id', '=', m.id)
      .orderBy('council_agenda_items.sort')
      .execute();
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
      await t
        .insertInto('council_meetings')
        .values({
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
        })
        .execute();
      for (const [i, it] of (b.agenda ?? []).entries())
        await t
          .insertInto('council_agenda_items')
          .values({
            id: newId('agi'),
            meeting_id: id,
            sort: i,
            title: it.title.trim(),
            proposal_id: it.proposalId ?? null,
            vote_id: it.voteId ?? null,
            resolution: null,
          })
          .execute();
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
    const n = Number(
      (
        await this.k.db
          .selectFrom('council_agenda_items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('meeting_id', '=', m.id)
          .executeTakeFirst()
      )?.n ?? 0,
    );
    await this.k.db.transaction().execute(async (t) => {
      await t
        .insertInto('council_agenda_items')
        .values({
          id: newId('agi'),
          meeting_id: m.id,
          sort: n,
          title: b.title.trim(),
          proposal_id: b.proposalId ?? null,
          vote_id: b.voteId ?? null,
          resolution: null,
        })
        .execute();
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
      await t.updateTable('council_meetings').set(patch).where('id', '=', m.id).execute();
      for (const [i, r] of (b.resolutions ?? []).entries()) {
        const res = await t
          .updateTable('council_agenda_items')
          .set({ resolution: r.resolution })
          .where('id', '=', r.itemId)
          .where('meeting_id', '=', m.id)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw invalid([{ field: `resolutions.${i}.itemId`, code: 'council.link_unknown' }]);
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
