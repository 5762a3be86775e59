import { Type, type Static, type TSchema } from '@sinclair/typebox';

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
const TierSchema = Type.Object(
  { upTo: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), unitPrice: Type.Integer({ minimum: 0, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
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

export const SubscriptionBody = Type.Object(
  { feeItemId: Str(64, 1), houseId: Str(64, 1), quantity: Type.Number({ minimum: 0, maximum: 1_000_000 }), note: Type.Optional(Str(200)) },
  { additionalProperties: false },
);
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

export const ChargeBody = Type.Object(
  { houseId: Str(64, 1), feeItemId: Str(64, 1), amountFen: Fen(), note: Type.Optional(Str(100)) },
  { additionalProperties: false },
);
export type ChargeBody = Static<typeof ChargeBody>;

// ---- Answers. Lists bounded by their own limit (a resident's bills, a community's fee items,
// readings, runs) answer `{ items }`; the console's paged lists answer the paging envelope.
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const Int = Type.Integer();
const strict = { additionalProperties: false } as const;

export const Bill = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    communityId: Type.String(),
    houseId: NStr,
    houseName: NStr,
    residentId: NStr,
    feeItemId: NStr,
    feeKind: Type.String(),
    period: NStr,
    runId: NStr,
    source: Type.String(),
    sourceRef: NStr,
    subject: Type.String(),
    detail: Type.Unknown({ description: 'how the amount was computed (quantity, tier parts, discount)' }),
    grossFen: Int,
    discountFen: Int,
    amountFen: Int,
    lateFeeFen: Int,
    adjustFen: Int,
    paidFen: Int,
    outstandingFen: Int,
    status: lit(['draft', 'open', 'paid'] as const),
    dueDate: NStr,
    issuedAt: NStr,
    paidAt: NStr,
  },
  strict,
);
export type Bill = Static<typeof Bill>;

export const Payment = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    residentId: NStr,
    channel: lit(['gateway', 'cash', 'transfer'] as const),
    outTradeNo: Type.String(),
    tradeNo: NStr,
    amountFen: Int,
    refundedFen: Int,
    status: lit(['pending', 'paid', 'closed', 'refunded'] as const),
    receiptNo: NStr,
    offlineRef: NStr,
    expiresAt: NStr,
    paidAt: NStr,
    createdAt: Type.String(),
    items: Type.Array(Type.Object({ billId: Type.String(), amountFen: Int, appliedFen: Int }, strict)),
  },
  strict,
);
export type Payment = Static<typeof Payment>;

export const MyBills = Type.Object({ items: Type.Array(Bill), outstandingFen: Int }, strict);
export const PaymentList = Type.Object({ items: Type.Array(Payment) }, strict);
export const PayOnlineAnswer = Type.Object(
  { paymentId: Type.String(), outTradeNo: Type.String(), amountFen: Int, expiresAt: NStr, payUrl: Type.String() },
  strict,
);
export const RefundAnswer = Type.Object({ paymentId: Type.String(), refundedFen: Int, outRequestNo: Type.String() }, strict);

export const BillDetail = Type.Object(
  {
    ...Bill.properties,
    adjustments: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), amountFen: Int, reason: Type.String(), createdAt: Type.String() }, strict)),
    payments: Type.Array(
      Type.Object({ id: Type.String(), status: Type.String(), channel: Type.String(), receiptNo: NStr, paidAt: NStr, appliedFen: Int }, strict),
    ),
  },
  strict,
);
export const Adjustment = Type.Object(
  { id: Type.String(), billId: Type.String(), kind: lit(['credit', 'debit'] as const), amountFen: Int, reason: Type.String(), createdAt: Type.String() },
  strict,
);
export const HouseBalance = Type.Object({ houseId: Type.String(), balanceFen: Int }, strict);

export const FeeItem = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    code: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    kind: lit(feeKinds),
    unitPrice: Int,
    tiers: Type.Array(Type.Object({ upTo: Nullable(Int), unitPrice: Int }, strict)),
    rounding: lit(['half_up', 'down', 'up'] as const),
    roundingUnit: lit(['fen', 'jiao'] as const),
    dueDays: Int,
    lateGraceDays: Int,
    lateRateBp: Int,
    lateCapBp: Int,
    maxJump: Nullable(Int),
    discounts: Type.Array(Type.Object({ tag: Type.String(), percentOff: Int }, strict)),
    active: Type.Boolean(),
  },
  strict,
);
export type FeeItem = Static<typeof FeeItem>;
export const FeeItemList = Type.Object({ items: Type.Array(FeeItem) }, strict);
export const Subscription = Type.Object({ feeItemId: Type.String(), houseId: Type.String(), quantity: Type.Number() }, strict);

export const Reading = Type.Object(
  {
    id: Type.String(),
    houseId: Type.String(),
    feeItemId: Type.String(),
    period: Type.String(),
    reading: Type.Number(),
    previous: Nullable(Type.Number()),
    use: Nullable(Type.Number()),
    status: lit(['ok', 'flagged', 'accepted', 'rejected'] as const),
    flag: NStr,
    source: Type.String(),
    createdAt: Type.String(),
  },
  strict,
);
export type Reading = Static<typeof Reading>;
export const ReadingList = Type.Object({ items: Type.Array(Reading) }, strict);
export const ImportAnswer = Type.Object({ ok: Int, flagged: Int, rejected: Type.Array(Type.Object({ row: Int, message: Type.String() }, strict)) }, strict);
export const TelemetryAnswer = Type.Object({ period: Type.String(), recorded: Int, flagged: Int, noData: Int, keptManual: Int, billed: Int }, strict);

export const Run = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    period: Type.String(),
    status: lit(['preview', 'approved', 'published'] as const),
    billCount: Int,
    totalFen: Int,
    skipped: Type.Array(Type.Object({ houseId: Type.String(), feeItemId: Type.String(), reason: Type.String() }, strict)),
    createdBy: Type.String(),
    approvedBy: NStr,
    publishedBy: NStr,
    createdAt: Type.String(),
    publishedAt: NStr,
  },
  strict,
);
export type Run = Static<typeof Run>;
export const RunList = Type.Object({ items: Type.Array(Run) }, strict);

const Buckets = { '0-30': Int, '31-90': Int, '91-180': Int, '180+': Int };
export const ArrearsAnswer = Type.Object(
  {
    today: Type.String(),
    items: Type.Array(
      Type.Object(
        { houseId: Type.String(), houseName: Type.String(), bills: Int, totalFen: Int, buckets: Type.Object(Buckets, strict), oldestDueDate: Type.String() },
        strict,
      ),
    ),
    totals: Type.Object({ ...Buckets, totalFen: Int }, strict),
  },
  strict,
);
const Rate = { billedFen: Int, collectedFen: Int, ratePercent: Type.Number() };
export const CollectionAnswer = Type.Object(
  {
    byEstate: Type.Array(Type.Object({ estateId: Type.String(), estateName: Type.String(), ...Rate }, strict)),
    byMonth: Type.Array(Type.Object({ month: Type.String(), ...Rate }, strict)),
  },
  strict,
);
export const ReconcileAnswer = Type.Object(
  {
    rows: Int,
    matched: Int,
    missing: Type.Array(Type.Object({ outTradeNo: Type.String(), tradeNo: NStr, amountFen: Int }, strict)),
    extra: Type.Array(Type.Object({ outTradeNo: Type.String(), paymentId: Type.String(), amountFen: Int }, strict)),
    mismatched: Type.Array(Type.Object({ outTradeNo: Type.String(), statementFen: Int, oursFen: Int }, strict)),
  },
  strict,
);

/** The gateway's asynchronous notification (form-urlencoded, signed; Alipay's trade notification fields). */
export const NotifyForm = Type.Object(
  {
    notify_id: Type.Optional(Type.String()),
    notify_time: Type.Optional(Type.String()),
    app_id: Type.String(),
    seller_id: Type.Optional(Type.String()),
    out_trade_no: Type.String(),
    trade_no: Type.Optional(Type.String()),
    trade_status: Type.String({ description: 'TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED, WAIT_BUYER_PAY' }),
    total_amount: Type.String({ description: 'yuan, e.g. 123.45' }),
    sign_type: Type.Optional(Type.String()),
    sign: Type.String({ description: 'RSA2 signature, base64' }),
  },
  { additionalProperties: true },
);
