// Events (社区活动): capacity with a waiting list (the first waiting resident moves up when a
// registered one cancels), a signed check-in ticket shown as a QR code and scanned at the door,
// organisers (community, social organisation, volunteer team) and volunteer hours per participant.
// Attendance and hours are verified actions (points).
import { SignJWT, jwtVerify } from 'jose';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, invalid, notFound } from '../../kernel/http/errors.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { residents } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { EventsRepository, type EventRow, type RegistrationRow } from './events.repository.js';
import { communityFor, residentOf, timeField } from './participation.common.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from './components.js';
import type { Static } from '@sinclair/typebox';
import type { EventCreateBody, EventList, EventView, RegisterResult, RegistrationList, RegistrationView, Ticket, UnregisterResult } from './events.schema.js';
import { componentSettings } from './settings.service.js';

export class EventsService {
  readonly repo: EventsRepository;
  private key: Uint8Array;
  constructor(readonly k: Kernel) {
    this.repo = new EventsRepository(k.database);
    // the ticket key is derived from the vault's keyed index secret: nothing new to store or rotate apart
    this.key = new TextEncoder().encode(k.vault.blindIndex('participation.event-ticket', 'v1'));
  }
  private now() {
    return iso(this.k.clock.now());
  }

  private view(e: EventRow, extra: Pick<EventView, 'registered' | 'waitlisted' | 'checkedIn'> & Partial<EventView>): EventView {
    return {
      id: e.id,
      communityId: e.community_id,
      title: e.title,
      description: e.description,
      location: e.location,
      startsAt: e.starts_at,
      endsAt: e.ends_at,
      capacity: e.capacity,
      organiser: { kind: e.organiser_kind, name: e.organiser_name },
      status: e.status,
      ...extra,
    };
  }
  private regView(r: RegistrationRow): RegistrationView {
    return {
      id: r.id,
      residentId: r.resident_id,
      residentName: r.resident_name,
      status: r.status,
      registeredAt: r.registered_at,
      checkedInAt: r.checked_in_at,
      volunteerHours: r.volunteer_hours,
    };
  }

  private async reachable(actor: Actor, id: string) {
    const e = await this.repo.byId(id);
    if (!e) throw notFound('events.not_found');
    if (actor.kind === 'resident' && actor.residentId) {
      const me = await residentOf(this.k, actor);
      if (me.communityId !== e.community_id || !this.k.authz.can(actor, 'read', 'Event', { placePath: e.place_path, residentId: me.residentId }))
        throw notFound('events.not_found');
      return { e, me };
    }
    if (!this.k.authz.can(actor, 'read', 'Event', { placePath: e.place_path })) throw notFound('events.not_found');
    return { e, me: null };
  }
  private async staffOnly(actor: Actor, id: string, action: string) {
    const { e } = await this.reachable(actor, id);
    if (!this.k.authz.can(actor, action, 'Event', { placePath: e.place_path })) throw notFound('events.not_found');
    return e;
  }

  async create(actor: Actor, b: EventCreateBody, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'create', 'Event');
    const startsAt = timeField(b.startsAt, 'startsAt')!;
    const endsAt = timeField(b.endsAt, 'endsAt')!;
    if (endsAt <= startsAt) throw invalid([{ field: 'endsAt', code: 'participation.bad_time' }]);
    const row: EventRow = {
      id: newId('evn'),
      community_id: c.id,
      place_path: c.path,
      title: b.title.trim(),
      description: b.description?.trim() ?? '',
      location: b.location.trim(),
      starts_at: startsAt,
      ends_at: endsAt,
      capacity: b.capacity,
      organiser_kind: b.organiser.kind,
      organiser_name: b.organiser.name.trim(),
      status: 'open',
      created_by: actor.userId,
      created_at: this.now(),
    };
    await this.repo.insert(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.event.create',
      targetType: 'event',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { title: row.title, capacity: row.capacity },
    });
    return this.view(row, { registered: 0, waitlisted: 0, checkedIn: 0 });
  }

  async list(actor: Actor): Promise<Static<typeof EventList>> {
    let rows: EventRow[];
    if (actor.kind === 'resident' && actor.residentId) {
      const me = await residentOf(this.k, actor);
      rows = await this.repo.list(null, me.communityPath, 200);
      const counts = await this.repo.counts(rows.map((e) => e.id));
      const out = [];
      for (const e of rows)
        out.push(
          this.view(e, {
            ...(counts.get(e.id) ?? { registered: 0, waitlisted: 0, checkedIn: 0 }),
            myStatus: (await this.repo.registration(null, e.id, me.residentId))?.status ?? null,
          }),
        );
      return { items: out };
    }
    rows = await this.repo.list(this.k.authz.reach(actor, 'read', 'Event'), null, 200);
    const counts = await this.repo.counts(rows.map((e) => e.id));
    return { items: rows.map((e) => this.view(e, counts.get(e.id) ?? { registered: 0, waitlisted: 0, checkedIn: 0 })) };
  }

  async get(actor: Actor, id: string): Promise<EventView> {
    const { e, me } = await this.reachable(actor, id);
    const counts = (await this.repo.counts([e.id])).get(e.id) ?? { registered: 0, waitlisted: 0, checkedIn: 0 };
    const mine = me ? await this.repo.registration(null, e.id, me.residentId) : undefined;
    return this.view(e, { ...counts, ...(me ? { myStatus: mine?.status ?? null, myCheckedIn: !!mine?.checked_in_at } : {}) });
  }

  /** Register: a seat while there is one, else the waiting list. Registering again after cancelling re-queues. */
  async register(actor: Actor, id: string): Promise<Static<typeof RegisterResult>> {
    const { e, me } = await this.reachable(actor, id);
    if (!me) throw new AppError(403, 'participation.not_resident');
    if (e.status !== 'open' || e.starts_at <= this.now()) throw conflict('events.closed');
    const name = (await residents.get(this.k, me.residentId))?.name ?? '';
    const { waitingList } = await componentSettings(this.k, e.community_id, 'events');
    const status = await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.lockEvent(tx, e.id);
      const existing = await this.repo.registration(tx, e.id, me.residentId);
      if (existing && existing.status !== 'cancelled') throw conflict('events.already_registered');
      const st: RegistrationRow['status'] = (await this.repo.registeredCount(tx, e.id)) < e.capacity ? 'registered' : 'waitlisted';
      if (st === 'waitlisted' && !waitingList) throw conflict('events.full');
      if (existing) await this.repo.setRegistration(tx, existing.id, { status: st, registered_at: this.now() });
      else
        await this.repo.insertRegistration(tx, {
          id: newId('erg'),
          event_id: e.id,
          resident_id: me.residentId,
          resident_name: name,
          status: st,
          registered_at: this.now(),
          checked_in_at: null,
          volunteer_hours: null,
        });
      return st;
    });
    return { eventId: e.id, status };
  }

  /** Cancel my registration; a freed seat goes to the first on the waiting list, who is told. */
  async cancelRegistration(actor: Actor, id: string): Promise<Static<typeof UnregisterResult>> {
    const { e, me } = await this.reachable(actor, id);
    if (!me) throw new AppError(403, 'participation.not_resident');
    const promoted = await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.lockEvent(tx, e.id);
      const r = await this.repo.registration(tx, e.id, me.residentId);
      if (!r || r.status === 'cancelled') throw conflict('events.not_registered');
      await this.repo.setRegistration(tx, r.id, { status: 'cancelled' });
      if (r.status !== 'registered') return null;
      const next = await this.repo.firstWaitlisted(tx, e.id);
      if (next) await this.repo.setRegistration(tx, next.id, { status: 'registered' });
      return next ?? null;
    });
    if (promoted) {
      const user = await userOfResident(this.k, promoted.resident_id);
      if (user)
        await this.k.notify.send([user], {
          kind: 'participation.event',
          code: 'events.promoted_title',
          bodyCode: 'events.promoted_body',
          params: { title: e.title, location: e.location },
          link: `/portal/participation/events/${e.id}`,
        });
    }
    return { eventId: e.id, status: 'cancelled', promotedResidentId: promoted?.resident_id ?? null };
  }

  /** My check-in ticket: a signed token (shown as a QR code), valid until a day after the event. */
  async ticket(actor: Actor, id: string): Promise<Static<typeof Ticket>> {
    const { e, me } = await this.reachable(actor, id);
    if (!me) throw new AppError(403, 'participation.not_resident');
    const r = await this.repo.registration(null, e.id, me.residentId);
    if (!r || r.status === 'cancelled') throw conflict('events.not_registered');
    if (r.status === 'waitlisted') throw conflict('events.waitlisted_ticket');
    const exp = Math.floor(Date.parse(e.ends_at) / 1000) + 86400;
    const token = await new SignJWT({ evt: e.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(r.id)
      .setIssuedAt(Math.floor(this.k.clock.now().getTime() / 1000))
      .setExpirationTime(exp)
      .sign(this.key);
    return { eventId: e.id, token, checkedIn: !!r.checked_in_at };
  }

  /** Staff scan a ticket at the door. Scanning twice is harmless. */
  async checkIn(actor: Actor, id: string, token: string) {
    const e = await this.staffOnly(actor, id, 'checkin');
    if (e.status !== 'open') throw conflict('events.closed');
    let sub: string | undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], currentDate: this.k.clock.now() });
      if (payload.evt !== e.id) throw new Error('other event');
      sub = payload.sub;
    } catch {
      throw new AppError(422, 'events.bad_ticket');
    }
    const r = sub ? await this.repo.registrationById(sub) : undefined;
    if (!r || r.event_id !== e.id || r.status !== 'registered') throw new AppError(422, 'events.bad_ticket');
    const at = this.now();
    if (await this.repo.checkIn(r.id, at)) {
      await this.k.events.publish<ParticipationAction>(PARTICIPATION_ACTION, {
        communityId: e.community_id,
        residentId: r.resident_id,
        component: 'events',
        action: 'attend',
        ref: e.id,
        at,
      });
    }
    return this.regView((await this.repo.registrationById(r.id))!);
  }

  /** Volunteer hours of a participant who checked in; credited once per event. */
  async recordHours(actor: Actor, id: string, residentId: string, hours: number, ip: string) {
    const e = await this.staffOnly(actor, id, 'checkin');
    const r = await this.repo.registration(null, e.id, residentId);
    if (!r || !r.checked_in_at) throw invalid([{ field: 'residentId', code: 'events.not_checked_in' }]);
    await this.repo.setRegistration(null, r.id, { volunteer_hours: hours });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.event.hours',
      targetType: 'event',
      targetId: e.id,
      scopePath: e.place_path,
      subjectResidentId: residentId,
      ip,
      detail: { hours },
    });
    await this.k.events.publish<ParticipationAction>(PARTICIPATION_ACTION, {
      communityId: e.community_id,
      residentId,
      component: 'events',
      action: 'volunteer',
      ref: e.id,
      quantity: hours,
      at: this.now(),
    });
    return this.regView((await this.repo.registrationById(r.id))!);
  }

  async registrations(actor: Actor, id: string): Promise<Static<typeof RegistrationList>> {
    const e = await this.staffOnly(actor, id, 'checkin');
    return { items: (await this.repo.registrations(e.id)).map((r) => this.regView(r)) };
  }

  async cancel(actor: Actor, id: string, ip: string) {
    const e = await this.staffOnly(actor, id, 'edit');
    if (e.status !== 'cancelled') {
      await this.repo.update(e.id, { status: 'cancelled' });
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'participation.event.cancel',
        targetType: 'event',
        targetId: e.id,
        scopePath: e.place_path,
        ip,
      });
    }
    return this.get(actor, e.id);
  }
}
