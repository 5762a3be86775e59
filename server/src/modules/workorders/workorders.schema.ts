import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { priorities, statuses } from './workorders.states.js';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));

export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export const IdParam = Type.Object({ id: Str(64, 1) });
export const FileIdParam = Type.Object({ fileId: Str(64, 1) });

const PhotoIds = Type.Array(Str(64, 1), { maxItems: MAX_PHOTOS, uniqueItems: true });

export const ListQuery = Type.Object({
  status: Type.Optional(Str(200)), // one status or a comma list
  mine: Type.Optional(Type.Boolean()),
  open: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean()),
  placeId: Type.Optional(Str(64)),
  category: Type.Optional(Str(40)),
  source: Type.Optional(lit(['alarm', 'resident', 'staff'] as const)),
  q: Type.Optional(Str(100)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type ListQuery = Static<typeof ListQuery>;

export const StaffCreateBody = Type.Object(
  {
    placeId: Str(64, 1),
    category: Str(40, 1),
    title: Type.Optional(Str(100)),
    description: Str(2000, 1),
    priority: Type.Optional(lit(priorities)),
    residentId: Type.Optional(Type.Union([Str(64, 1), Type.Null()])),
    preferredTime: Type.Optional(Type.Union([Str(100), Type.Null()])),
    photoIds: Type.Optional(PhotoIds),
  },
  { additionalProperties: false },
);
export type StaffCreateBody = Static<typeof StaffCreateBody>;

export const RepairRequestBody = Type.Object(
  {
    placeId: Str(64, 1),
    category: Str(40, 1),
    title: Type.Optional(Str(100)),
    description: Str(2000, 1),
    preferredTime: Type.Optional(Type.Union([Str(100), Type.Null()])),
    photoIds: Type.Optional(PhotoIds),
  },
  { additionalProperties: false },
);
export type RepairRequestBody = Static<typeof RepairRequestBody>;

export const TransitionBody = Type.Object(
  {
    note: Type.Optional(Str(1000)),
    photoIds: Type.Optional(PhotoIds),
    assigneeId: Type.Optional(Str(64, 1)),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

export const RateBody = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Str(500)) }, { additionalProperties: false });
export type RateBody = Static<typeof RateBody>;

export const CostsBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ description: Str(200, 1), amountFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type CostsBody = Static<typeof CostsBody>;

export const StatusSchema = lit(statuses);

export const CategoryCodeParam = Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) });
export const CategoryBody = Type.Object(
  {
    communityId: Str(64, 1),
    nameZh: Str(40, 1),
    nameEn: Str(60, 1),
    priority: lit(priorities),
    responseMinutes: Type.Integer({ minimum: 1, maximum: 43_200 }),
    resolveMinutes: Type.Integer({ minimum: 1, maximum: 129_600 }),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type CategoryBody = Static<typeof CategoryBody>;

// ---------- responses (workorders.present.ts builds them; typed by these schemas) ----------
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const closed = { additionalProperties: false } as const;

export const CategoryView = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    communityId: NStr,
    name: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    priority: Type.String(),
    responseMinutes: Type.Integer(),
    resolveMinutes: Type.Integer(),
  },
  closed,
);
export const CategoryList = Type.Object({ items: Type.Array(CategoryView) }, closed);

export const OrderView = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    communityId: Type.String(),
    placeId: Type.String(),
    placePath: Type.String(),
    placeLabel: Type.String(),
    houseId: NStr,
    residentId: NStr,
    residentName: NStr,
    source: Type.String(),
    alarmId: NStr,
    categoryId: Type.String(),
    categoryCode: NStr,
    categoryName: NStr,
    priority: Type.String(),
    title: Type.String(),
    description: Type.String(),
    preferredTime: NStr,
    status: Type.String(),
    assigneeId: NStr,
    assigneeName: NStr,
    respondBy: Type.String(),
    resolveBy: Type.String(),
    respondedAt: NStr,
    resolvedAt: NStr,
    closedAt: NStr,
    overdue: Type.Boolean(),
    escalatedAt: NStr,
    rating: Nullable(Type.Integer()),
    ratingComment: NStr,
    createdBy: NStr,
    createdAt: Type.String(),
    updatedAt: Type.String(),
    version: Type.Integer(),
    allowedActions: Type.Array(Type.String()),
  },
  closed,
);

export const EventView = Type.Object(
  {
    id: Type.String(),
    at: Type.String(),
    action: Type.String(),
    actorId: NStr,
    actorName: NStr,
    fromStatus: NStr,
    toStatus: Type.String(),
    note: NStr,
    photoIds: Type.Array(Type.String()),
  },
  closed,
);
export const PhotoView = Type.Object({ id: Type.String(), eventId: Type.String(), url: Type.String() }, closed);
export const CostView = Type.Object(
  { id: Type.String(), description: Type.String(), amountFen: Type.Integer(), createdAt: Type.String(), createdBy: NStr },
  closed,
);

export const OrderDetail = Type.Composite(
  [OrderView, Type.Object({ timeline: Type.Array(EventView), photos: Type.Array(PhotoView), costs: Type.Array(CostView), costTotalFen: Type.Integer() })],
  closed,
);

/** The list: one page, and counts per status (and overdue) over the filter without its status part. */
export const OrderPage = Type.Composite([Paged(OrderView), Type.Object({ totals: Type.Record(Type.String(), Type.Integer()) })], closed);

export const UploadedPhoto = Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer() }, closed);
export const CostsRecorded = Type.Object({ lines: Type.Array(CostView), totalFen: Type.Integer() }, closed);
