// Bookings: a resident books a slot of a service for their house; staff and residents read them
// (scope / own), provider staff read their own provider's. Transitions are in bookings.flow.ts.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { conflict, invalid, notFound } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import type { NotificationParams } from '../../kernel/notify/index.js';
import { newId } from '../../kernel/ids.js';
import { iso, localDate } from '../../kernel/clock.js';
import { places } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import type { BookingRow, ProviderRow } from './services.repository.js';
import { bookingView, eventView } from './services.present.js';
import { findSlot } from './services.slots.js';
import { providerTransitions, providerActions, residentCancelFrom } from './services.states.js';
import type { BookBody, BookingsQuery } from './services.schema.js';
import type { ProvidersService } from './providers.service.js';

import { BOOKING_CREATED, type BookingCreated } from './services.events.js';

export type Viewer = 'resident' | 'staff' | 'provider';

const scoped = (b: BookingRow) => ({ placePath: b.place_path, residentId: b.resident_id });
const labelIds = (path: string) => path.split('/').filter((s) => s && !s.startsWith('reg_'));

export class BookingsService {
  constructor(readonly providers: ProvidersService) {}

  get k(): Kernel {
    return this.providers.k;
  }
  get repo() {
    return this.providers.repo;
  }

  // ---------- access ----------
  /** A booking a resident (own) or staff member (scope) may read; anything else is 404. */
  async reachable(actor: Actor, id: string): Promise<BookingRow> {
    const b = await this.repo.bookingById(id);
    if (!b || !this.k.authz.can(actor, 'read', 'ServiceBooking', scoped(b))) throw notFound('services.booking_not_found');
    return b;
  }

  /** A booking of the provider the actor works for; another provider's booking is 404. */
  async providerReachable(actor: Actor, id: string): Promise<{ b: BookingRow; provider: ProviderRow }> {
    const provider = await this.providers.providerOfActor(actor);
    const b = await this.repo.bookingById(id);
    if (!b || b.provider_id !== provider.id || !this.k.authz.can(actor, 'read', 'ProviderBooking', { placePath: b.place_path }))
      throw notFound('services.booking_not_found');
    return { b, provider };
  }

  allowedActions(actor: Actor, b: BookingRow, viewer: Viewer): string[] {
    const out: string[] = [];
    if (viewer === 'provider') {
      for (const a of providerActions)
        if (providerTransitions[a].from.includes(b.status) && this.k.authz.can(actor, a, 'ProviderBooking', { placePath: b.place_path })) out.push(a);
      return out;
    }
    if (viewer !== 'resident' || b.resident_id !== actor.residentId) return out;
    if (residentCancelFrom.includes(b.status) && this.k.authz.can(actor, 'cancel', 'ServiceBooking', scoped(b))) out.push('cancel');
    if (b.status === 'done' || (b.status === 'cancelled' && b.charged_fen && !b.paid_at)) out.push('pay');
    if (b.status === 'paid' && b.rating == null) out.push('rate');
    return out;
  }

  // ---------- presentation ----------
  async views(actor: Actor, rows: BookingRow[], lang: Lang, viewer: Viewer) {
    const providers = new Map((await this.repo.providersByIds(rows.map((r) => r.provider_id))).map((p) => [p.id, p]));
    const names = await places.placeNames(
      this.k,
      rows.flatMap((r) => labelIds(r.place_path)),
    );
    return rows.map((r) => {
      const p = providers.get(r.provider_id);
      return bookingView(r, {
        lang,
        providerName: p ? (lang === 'en' ? p.name_en : p.name_zh) : null,
        allowedActions: this.allowedActions(actor, r, viewer),
        placeLabel: labelIds(r.place_path)
          .map((id) => names.get(id) ?? '')
          .filter(Boolean)
          .join(' '),
      });
    });
  }

  async detail(actor: Actor, b: BookingRow, lang: Lang, viewer: Viewer) {
    const [view] = await this.views(actor, [b], lang, viewer);
    return { ...view, timeline: (await this.repo.eventsOf(b.id)).map(eventView) };
  }

  viewerOf(actor: Actor): Viewer {
    return actor.residentId ? 'resident' : 'staff';
  }

  async get(actor: Actor, id: string, lang: Lang) {
    return this.detail(actor, await this.reachable(actor, id), lang, this.viewerOf(actor));
  }

  async list(actor: Actor, q: BookingsQuery, lang: Lang) {
    const reach = this.k.authz.reach(actor, 'read', 'ServiceBooking');
    const { items, total } = await this.repo.listBookings({ reach, status: q.status }, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: await this.views(actor, items, lang, this.viewerOf(actor)), total, page: q.page, pageSize: q.pageSize };
  }

  async providerList(actor: Actor, q: BookingsQuery, lang: Lang) {
    const provider = await this.providers.providerOfActor(actor);
    const reach = this.k.authz.reach(actor, 'read', 'ProviderBooking');
    const { items, total } = await this.repo.listBookings({ reach, providerId: provider.id, status: q.status }, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: await this.views(actor, items, lang, 'provider'), total, page: q.page, pageSize: q.pageSize };
  }

  async providerGet(actor: Actor, id: string, lang: Lang) {
    const { b } = await this.providerReachable(actor, id);
    return this.detail(actor, b, lang, 'provider');
  }

  // ---------- booking ----------
  /**
   * Who may book what, checked before the idempotency claim (so a caller who may not book learns
   * that, not that a key is missing). The slot is checked inside, so a replayed request gets its
   * stored answer even after the slot has begun.
   */
  async prepare(actor: Actor, body: BookBody) {
    return this.providers.bookable(actor, body.serviceId, body.houseId);
  }

  async book(actor: Actor, ctx: Awaited<ReturnType<BookingsService['prepare']>>, body: BookBody, ip: string, lang: Lang) {
    const { resident, house, service, provider, timeZone } = ctx;
    const now = this.k.clock.now();
    const slot = findSlot(await this.repo.availabilityOf([service.id]), service.duration_minutes, now, timeZone, body.slotStart);
    if (!slot) throw invalid([{ field: 'slotStart', code: 'services.bad_slot' }]);
    const at = iso(now);
    const id = newId('sbk');
    const b: BookingRow = {
      id,
      number: `SB-${localDate(now, timeZone).replace(/-/g, '')}-${id.slice(-6)}`,
      community_id: house.communityId,
      place_path: house.placePath,
      house_id: house.houseId,
      resident_id: resident.id,
      resident_name: resident.name,
      provider_id: provider.id,
      service_id: service.id,
      service_name_zh: service.name_zh,
      service_name_en: service.name_en,
      price_fen: service.price_fen,
      free_cancel_hours: service.free_cancel_hours,
      cancel_fee_fen: service.cancel_fee_fen,
      slot_start: slot.start,
      slot_end: slot.end,
      note: body.note?.trim() || null,
      status: 'requested',
      cancelled_by: null,
      charged_fen: null,
      bill_id: null,
      payment_id: null,
      paid_at: null,
      rating: null,
      rating_comment: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await this.k.db.transaction().execute(async (t) => {
      if ((await this.repo.takeSeat(t, service.id, slot.start, slot.capacity, id)) == null) throw conflict('services.slot_full');
      await this.repo.insertBooking(t, b);
      await this.recordEvent(t, b, {
        action: 'book',
        actor,
        from: null,
        to: 'requested',
        note: b.note,
        at,
        ip,
        detail: { serviceId: service.id, slotStart: slot.start, priceFen: b.price_fen },
      });
    });
    await this.k.events.publish<BookingCreated>(BOOKING_CREATED, {
      bookingId: b.id,
      providerId: b.provider_id,
      communityId: b.community_id,
      slotStart: b.slot_start,
    });
    await this.notifyProvider(b, 'services.notify.requested', { number: b.number }, 'services.requested');
    return this.detail(actor, b, lang, 'resident');
  }

  // ---------- shared by the flow ----------
  /** One timeline entry and its audit row, in the caller's transaction. */
  async recordEvent(
    t: Tx,
    b: BookingRow,
    e: {
      action: string;
      actor: Actor;
      from: string | null;
      to: string;
      note: string | null;
      at: string;
      ip: string | null;
      detail?: Record<string, unknown>;
    },
  ) {
    // the timeline shows an automatic step as 系统 with no account, as it always has; the audit
    // entry names the system actor that made it
    const person = e.actor.via === 'system' ? null : e.actor;
    await this.repo.insertEvent(t, {
      id: newId('sbe'),
      booking_id: b.id,
      at: e.at,
      action: e.action,
      actor_id: person?.userId ?? null,
      actor_name: person?.name ?? '系统',
      from_status: e.from,
      to_status: e.to,
      note: e.note,
    });
    await this.k.audit.record(
      {
        actorId: e.actor.userId,
        actorName: e.actor.name,
        action: `services.booking.${e.action}`,
        targetType: 'service_booking',
        targetId: b.id,
        scopePath: b.place_path,
        subjectResidentId: b.resident_id,
        ip: e.ip,
        detail: { number: b.number, from: e.from, to: e.to, note: e.note, ...e.detail },
      },
      t,
    );
  }

  /** Notifies the provider's members; `code` is a services.notify.* title, rendered in each reader's language. */
  async notifyProvider(b: BookingRow, code: string, params: NotificationParams, kind: string) {
    const members = await this.repo.membersOf(b.provider_id);
    const service = { zh: b.service_name_zh, en: b.service_name_en };
    const text = { zh: `${b.service_name_zh} ${b.slot_start}`, en: `${b.service_name_en} ${b.slot_start}` };
    await this.k.notify.send(
      members.map((m) => m.user_id),
      { kind, code, params: { ...params, service, text }, link: `/provider?booking=${b.id}` },
    );
  }

  async notifyResident(b: BookingRow, code: string, params: NotificationParams, kind: string) {
    const user = await userOfResident(this.k, b.resident_id);
    const service = { zh: b.service_name_zh, en: b.service_name_en };
    if (user) await this.k.notify.send([user], { kind, code, params: { ...params, service, text: service }, link: `/portal/services/bookings/${b.id}` });
  }
}
