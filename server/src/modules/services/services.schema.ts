import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { bookingStatuses, categories } from './services.states.js';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000 });
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });

export const IdParam = Type.Object({ id: Str(64, 1) });
export const ServiceParam = Type.Object({ id: Str(64, 1), serviceId: Str(64, 1) });
export const MemberParam = Type.Object({ id: Str(64, 1), userId: Str(64, 1) });

export const Category = lit(categories);

export const ProviderBody = Type.Object(
  {
    communityId: Str(64, 1),
    category: Category,
    nameZh: Str(100, 1),
    nameEn: Str(100, 1),
    description: Type.Optional(Str(2000)),
    areaIds: Type.Array(Str(64, 1), { minItems: 1, maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type ProviderBody = Static<typeof ProviderBody>;

export const ProviderPatch = Type.Object(
  {
    category: Type.Optional(Category),
    nameZh: Type.Optional(Str(100, 1)),
    nameEn: Type.Optional(Str(100, 1)),
    description: Type.Optional(Str(2000)),
    active: Type.Optional(Type.Boolean()),
    areaIds: Type.Optional(Type.Array(Str(64, 1), { minItems: 1, maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type ProviderPatch = Static<typeof ProviderPatch>;

export const ServiceBody = Type.Object(
  {
    category: Category,
    nameZh: Str(100, 1),
    nameEn: Str(100, 1),
    description: Type.Optional(Str(2000)),
    priceFen: Fen,
    durationMinutes: Type.Integer({ minimum: 15, maximum: 24 * 60 }),
    freeCancelHours: Type.Integer({ minimum: 0, maximum: 24 * 14 }),
    cancelFeeFen: Fen,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ServiceBody = Static<typeof ServiceBody>;

export const ServicePatch = Type.Partial(ServiceBody, { additionalProperties: false });
export type ServicePatch = Static<typeof ServicePatch>;

export const AvailabilityBody = Type.Object(
  {
    hours: Type.Array(
      Type.Object(
        { weekday: Type.Integer({ minimum: 1, maximum: 7 }), start: Time, end: Time, capacity: Type.Integer({ minimum: 1, maximum: 100 }) },
        { additionalProperties: false },
      ),
      { maxItems: 70 },
    ),
  },
  { additionalProperties: false },
);
export type AvailabilityBody = Static<typeof AvailabilityBody>;

export const MemberBody = Type.Object({ userId: Str(64, 1) }, { additionalProperties: false });
export type MemberBody = Static<typeof MemberBody>;

export const ProvidersQuery = Type.Object({
  communityId: Type.Optional(Str(64)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});
export type ProvidersQuery = Static<typeof ProvidersQuery>;

export const CatalogQuery = Type.Object({ houseId: Str(64, 1), category: Type.Optional(Category) });
export type CatalogQuery = Static<typeof CatalogQuery>;

export const SlotsQuery = Type.Object({
  houseId: Str(64, 1),
  days: Type.Integer({ minimum: 1, maximum: 28, default: 14 }),
});
export type SlotsQuery = Static<typeof SlotsQuery>;

export const BookBody = Type.Object(
  {
    serviceId: Str(64, 1),
    houseId: Str(64, 1),
    slotStart: Str(40, 1), // ISO-8601 instant of a slot from the slots list
    note: Type.Optional(Str(500)),
  },
  { additionalProperties: false },
);
export type BookBody = Static<typeof BookBody>;

export const BookingsQuery = Type.Object({
  status: Type.Optional(lit(bookingStatuses)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type BookingsQuery = Static<typeof BookingsQuery>;

export const NoteBody = Type.Object({ note: Type.Optional(Str(500)) }, { additionalProperties: false });
export type NoteBody = Static<typeof NoteBody>;

export const RateBody = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Str(500)) }, { additionalProperties: false });
export type RateBody = Static<typeof RateBody>;

// ---- Answers (names in the request's language beside both originals).
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const Int = Type.Integer();
const strict = { additionalProperties: false } as const;

export const Hours = Type.Object({ weekday: Int, start: Type.String(), end: Type.String(), capacity: Int }, strict);
export const Service = Type.Object(
  {
    id: Type.String(),
    providerId: Type.String(),
    category: Type.String(),
    name: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    description: Type.String(),
    priceFen: Int,
    durationMinutes: Int,
    freeCancelHours: Int,
    cancelFeeFen: Int,
    active: Type.Boolean(),
    hours: Type.Optional(Type.Array(Hours)),
  },
  strict,
);
export type Service = Static<typeof Service>;
const providerFields = {
  id: Type.String(),
  communityId: Type.String(),
  category: Type.String(),
  name: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String(),
  areas: Type.Optional(Type.Array(Type.Object({ placeId: Type.String(), name: NStr }, strict))),
};
export const Provider = Type.Object(providerFields, strict);
export type Provider = Static<typeof Provider>;
export const ProviderList = Paged(Type.Object({ ...providerFields, serviceCount: Int }, strict));
export const ProviderDetail = Type.Object(
  {
    ...providerFields,
    services: Type.Array(Service),
    members: Type.Array(Type.Object({ userId: Type.String(), name: NStr, createdAt: Type.String() }, strict)),
  },
  strict,
);
export const MemberCandidates = Type.Object({ items: Type.Array(Type.Object({ userId: Type.String(), name: NStr }, strict)) }, strict);
export const Catalog = Type.Object({ items: Type.Array(Type.Object({ ...providerFields, services: Type.Array(Service) }, strict)) }, strict);
export const Slots = Type.Object(
  { timeZone: Type.String(), items: Type.Array(Type.Object({ start: Type.String(), end: Type.String(), capacity: Int, remaining: Int }, strict)) },
  strict,
);

const bookingFields = {
  id: Type.String(),
  number: Type.String(),
  communityId: Type.String(),
  houseId: Type.String(),
  placeLabel: Type.String(),
  residentId: Type.String(),
  residentName: Type.String(),
  providerId: Type.String(),
  providerName: NStr,
  serviceId: Type.String(),
  serviceName: Type.String(),
  priceFen: Int,
  freeCancelHours: Int,
  cancelFeeFen: Int,
  slotStart: Type.String(),
  slotEnd: Type.String(),
  note: NStr,
  status: lit(bookingStatuses),
  cancelledBy: NStr,
  chargedFen: Nullable(Int),
  billId: NStr,
  paymentId: NStr,
  paidAt: NStr,
  rating: Nullable(Int),
  ratingComment: NStr,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Int,
  allowedActions: Type.Array(Type.String()),
};
export const Booking = Type.Object(bookingFields, strict);
export type Booking = Static<typeof Booking>;
export const BookingEvent = Type.Object(
  { id: Type.String(), at: Type.String(), action: Type.String(), actorId: NStr, actorName: NStr, fromStatus: NStr, toStatus: Type.String(), note: NStr },
  strict,
);
export type BookingEvent = Static<typeof BookingEvent>;
export const BookingDetail = Type.Object({ ...bookingFields, timeline: Type.Array(BookingEvent) }, strict);
export const BookingList = Paged(Booking);
export const PayTarget = Type.Object({ bookingId: Type.String(), billId: NStr, amountFen: Nullable(Int) }, strict);
