// How providers, services and bookings look on the wire (camelCase, names in the request's language).
import type { Static } from '@sinclair/typebox';
import type { Lang } from '../../kernel/http/i18n.js';
import type * as S from './services.schema.js';
import type { AreaRow, AvailabilityRow, BookingEventRow, BookingRow, ProviderRow, ServiceRow } from './services.repository.js';

const pick = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export function availabilityView(a: AvailabilityRow): Static<typeof S.Hours> {
  return { weekday: a.weekday, start: a.start_time, end: a.end_time, capacity: a.capacity };
}

export function serviceView(s: ServiceRow, lang: Lang, hours?: AvailabilityRow[]): S.Service {
  return {
    id: s.id,
    providerId: s.provider_id,
    category: s.category,
    name: pick(lang, s.name_zh, s.name_en),
    nameZh: s.name_zh,
    nameEn: s.name_en,
    description: s.description,
    priceFen: s.price_fen,
    durationMinutes: s.duration_minutes,
    freeCancelHours: s.free_cancel_hours,
    cancelFeeFen: s.cancel_fee_fen,
    active: !!s.active,
    ...(hours ? { hours: hours.map(availabilityView) } : {}),
  };
}

export function providerView(p: ProviderRow, lang: Lang, extra: { areas?: (AreaRow & { name?: string })[] } = {}): S.Provider {
  return {
    id: p.id,
    communityId: p.community_id,
    category: p.category,
    name: pick(lang, p.name_zh, p.name_en),
    nameZh: p.name_zh,
    nameEn: p.name_en,
    description: p.description,
    active: !!p.active,
    createdAt: p.created_at,
    ...(extra.areas ? { areas: extra.areas.map((a) => ({ placeId: a.place_id, name: a.name ?? null })) } : {}),
  };
}

export function bookingView(b: BookingRow, ctx: { lang: Lang; providerName?: string | null; placeLabel?: string; allowedActions: string[] }): S.Booking {
  return {
    id: b.id,
    number: b.number,
    communityId: b.community_id,
    houseId: b.house_id,
    placeLabel: ctx.placeLabel ?? '',
    residentId: b.resident_id,
    residentName: b.resident_name,
    providerId: b.provider_id,
    providerName: ctx.providerName ?? null,
    serviceId: b.service_id,
    serviceName: pick(ctx.lang, b.service_name_zh, b.service_name_en),
    priceFen: b.price_fen,
    freeCancelHours: b.free_cancel_hours,
    cancelFeeFen: b.cancel_fee_fen,
    slotStart: b.slot_start,
    slotEnd: b.slot_end,
    note: b.note,
    status: b.status,
    cancelledBy: b.cancelled_by,
    chargedFen: b.charged_fen,
    billId: b.bill_id,
    paymentId: b.payment_id,
    paidAt: b.paid_at,
    rating: b.rating,
    ratingComment: b.rating_comment,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
    version: b.version,
    allowedActions: ctx.allowedActions,
  };
}

export function eventView(e: BookingEventRow): S.BookingEvent {
  return { id: e.id, at: e.at, action: e.action, actorId: e.actor_id, actorName: e.actor_name, fromStatus: e.from_status, toStatus: e.to_status, note: e.note };
}
