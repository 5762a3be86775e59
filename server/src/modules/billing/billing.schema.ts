import { Type, type Static } from '@sinclair/typebox';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));
const Fen = (min = 1) => Type.Integer({ minimum: min, maximum: 100_000_000_00 });
const Period = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
const Ids = Type.Array(Str(64, 1), { minItems: 1, maxItems: 50, uniqueItems: true });

export const IdParam = Type.Object({ id: Str(64, 1) });
export const Paging = { page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) };

export const PayBody = Type.Object({ billIds: Ids }, { additionalProperties: false });
export type PayBody = Static<typeof PayBody>;

export const OfflineBody = Type.Object(
  { billIds: Ids, channel: lit(['cash', 'transfer'] as const), amountFen: Fen(), offlineRef: Str(64, 1) },
  { additionalProperties: false },
);
export type OfflineBody = Static<typeof OfflineBody>;

export const RefundBody = Type.Object({ amountFen: Fen(), reason: Str(200, 1) }, { additionalProperties: false });
export type RefundBody = Static<typeof RefundBody>;

export const AdjustBody = Type.Object({ kind: lit(['credit', 'debit'] as const), amountFen: Fen(), reason: Str(200, 1) }, { additionalProperties: false });
export type AdjustBody = Static<typeof AdjustBody>;

export const feeKinds = ['property', 'water', 'electricity', 'parking', 'one_off', 'deposit'] as const;
const TierSchema = Type.Object({ upTo: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), unitPrice: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, { additionalProperties: false });
const DiscountSchema = Type.Object({ tag: Str(40, 1), percentOff: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false });

export const FeeItemBody = Type.Object(
  {
    communityId: Str(64, 1),
    code: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
    nameZh: Str(60, 1),
    nameEn: Str(60, 1),
    kind: lit(feeKinds),
    /** Price per unit in 1/100 fen (0.0001 yuan): 2.35 yuan/m² = 23500. */
    unitPrice: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    tiers: Type.Optional(Type.Array(TierSchema, { maxItems: 10 })),
    rounding: Type.Optional(lit(['half_up', 'down', 'up'] as const)),
    roundingUnit: Type.Optional(lit(['fen', 'jiao'] as const)),
    dueDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    lateGraceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    lateRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    lateCapBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    maxJump: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    discounts: Type.Optional(Type.Array(DiscountSchema, { maxItems: 10 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FeeItemBody = Static<typeof FeeItemBody>;
export const FeeItemPatch = Type.Partial(Type.Omit(FeeItemBody, ['communityId', 'code', 'kind']), { additionalProperties: false });
export type FeeItemPatch = Static<typeof FeeItemPatch>;

export const SubscriptionBody = Type.Object({ feeItemId: Str(64, 1), houseId: Str(64, 1), quantity: Type.Number({ minimum: 0, maximum: 1_000_000 }), note: Type.Optional(Str(200)) }, { additionalProperties: false });
export type SubscriptionBody = Static<typeof SubscriptionBody>;

export const ReadingBody = Type.Object(
  { houseId: Str(64, 1), feeItemId: Str(64, 1), period: Period, reading: Type.Number({ minimum: 0, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
export type ReadingBody = Static<typeof ReadingBody>;
export const ReviewBody = Type.Object({ accept: Type.Boolean() }, { additionalProperties: false });
export type ReviewBody = Static<typeof ReviewBody>;

export const CommunityQuery = Type.Object({ communityId: Str(64, 1), period: Type.Optional(Period), status: Type.Optional(Str(20)), ...Paging });
export type CommunityQuery = Static<typeof CommunityQuery>;

export const RunBody = Type.Object({ communityId: Str(64, 1), period: Period }, { additionalProperties: false });
export type RunBody = Static<typeof RunBody>;

export const BillsQuery = Type.Object({
  communityId: Type.Optional(Str(64, 1)),
  houseId: Type.Optional(Str(64, 1)),
  status: Type.Optional(lit(['draft', 'open', 'paid'] as const)),
  period: Type.Optional(Period),
  runId: Type.Optional(Str(64, 1)),
  ...Paging,
});
export type BillsQuery = Static<typeof BillsQuery>;

export const PaymentsQuery = Type.Object({ communityId: Type.Optional(Str(64, 1)), status: Type.Optional(Str(20)), ...Paging });
export type PaymentsQuery = Static<typeof PaymentsQuery>;

export const ArrearsQuery = Type.Object({ communityId: Str(64, 1) });
export type ArrearsQuery = Static<typeof ArrearsQuery>;

export const ChargeBody = Type.Object({ houseId: Str(64, 1), feeItemId: Str(64, 1), amountFen: Fen(), note: Type.Optional(Str(100)) }, { additionalProperties: false });
export type ChargeBody = Static<typeof ChargeBody>;
