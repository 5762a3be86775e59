import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

export const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
export const IdParam = Type.Object({ id: Str(64, 1) });
export const FileIdParam = Type.Object({ fileId: Str(64, 1) });

export const AudienceSchema = Type.Object(
  {
    placeIds: Type.Array(Str(64, 1), { maxItems: 200, uniqueItems: true, default: [] }),
    tags: Type.Array(Str(40, 1), { maxItems: 10, uniqueItems: true, default: [] }),
  },
  { additionalProperties: false },
);

export const NoticeListQuery = Type.Object({
  communityId: Type.Optional(Str(64)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type NoticeListQuery = Static<typeof NoticeListQuery>;

export const NoticeCreateBody = Type.Object(
  {
    communityId: Str(64, 1),
    title: Str(120, 1),
    bodyHtml: Str(50_000, 1),
    audience: Type.Optional(AudienceSchema),
    attachmentIds: Type.Optional(Type.Array(Str(64, 1), { maxItems: 10, uniqueItems: true })),
    publishAt: Type.Optional(Type.Union([Str(40), Type.Null()])),
    expiresAt: Type.Optional(Type.Union([Str(40), Type.Null()])),
    pinned: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NoticeCreateBody = Static<typeof NoticeCreateBody>;

export const NoticePatchBody = Type.Object(
  {
    pinned: Type.Optional(Type.Boolean()),
    expiresAt: Type.Optional(Type.Union([Str(40), Type.Null()])),
  },
  { additionalProperties: false },
);
export type NoticePatchBody = Static<typeof NoticePatchBody>;

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

// ---------- responses ----------
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
export const NullableStr = Nullable(Type.String());

export const AudienceView = Type.Object({ placeIds: Type.Array(Type.String()), tags: Type.Array(Type.String()) }, { additionalProperties: false });
export const AttachmentView = Type.Object(
  { id: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer(), url: Type.String() },
  { additionalProperties: false },
);
export type AttachmentView = Static<typeof AttachmentView>;

export const BuildingReads = Type.Object(
  { buildingId: NullableStr, buildingName: NullableStr, recipients: Type.Integer(), read: Type.Integer(), readRate: Type.Number() },
  { additionalProperties: false },
);
export const NoticeStats = Type.Object(
  { recipients: Type.Integer(), readCount: Type.Integer(), readRate: Type.Number(), byBuilding: Type.Array(BuildingReads) },
  { additionalProperties: false },
);
export type NoticeStats = Static<typeof NoticeStats>;

/** A notice; residents see `read`, staff lists `readCount`/`readRate`, one notice to staff also `byBuilding`. */
export const NoticeView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    bodyHtml: Type.String(),
    audience: AudienceView,
    attachments: Type.Array(AttachmentView),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('withdrawn')]),
    pinned: Type.Boolean(),
    publishAt: Type.String(),
    expiresAt: NullableStr,
    publishedAt: NullableStr,
    expired: Type.Boolean(),
    recipients: Type.Integer(),
    read: Type.Optional(Type.Boolean()),
    readCount: Type.Optional(Type.Integer()),
    readRate: Type.Optional(Type.Number()),
    byBuilding: Type.Optional(Type.Array(BuildingReads)),
  },
  { additionalProperties: false },
);
export type NoticeView = Static<typeof NoticeView>;
export const NoticePage = Paged(NoticeView);
export const ReadReceipt = Type.Object({ id: Type.String(), read: Type.Literal(true) }, { additionalProperties: false });
