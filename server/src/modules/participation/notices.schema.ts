import { Type, type Static } from '@sinclair/typebox';

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
