import { Type, type Static } from '@sinclair/typebox';
import { lit, Paging, Str } from './votes.schema.js';

export const feedbackCategories = ['environment', 'safety', 'facilities', 'neighbours', 'property_service', 'suggestion', 'other'] as const;
export const feedbackStatuses = ['submitted', 'answered', 'work_order', 'proposal'] as const;
export const MAX_FEEDBACK_PHOTOS = 6;
export const MAX_FEEDBACK_PHOTO_BYTES = 5 * 1024 * 1024;

export const SubmitFeedbackBody = Type.Object(
  {
    category: lit(feedbackCategories),
    text: Str(2000, 1),
    placeId: Type.Optional(Type.Union([Str(64, 1), Type.Null()])),
    photoIds: Type.Optional(Type.Array(Str(64, 1), { maxItems: MAX_FEEDBACK_PHOTOS, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type SubmitFeedbackBody = Static<typeof SubmitFeedbackBody>;

export const ListFeedbackQuery = Type.Object({
  status: Type.Optional(lit(feedbackStatuses)),
  category: Type.Optional(lit(feedbackCategories)),
  overdue: Type.Optional(Type.Boolean()),
  ...Paging,
});
export type ListFeedbackQuery = Static<typeof ListFeedbackQuery>;

export const AnswerBody = Type.Object({ answer: Str(2000, 1) }, { additionalProperties: false });
export const WorkOrderBody = Type.Object({ category: Str(40, 1), answer: Type.Optional(Str(2000)) }, { additionalProperties: false });
export type WorkOrderBody = Static<typeof WorkOrderBody>;
export const ToProposalBody = Type.Object({ title: Type.Optional(Str(120, 1)), answer: Type.Optional(Str(2000)) }, { additionalProperties: false });
export type ToProposalBody = Static<typeof ToProposalBody>;
export const RateBody = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Str(500)) }, { additionalProperties: false });
export type RateBody = Static<typeof RateBody>;
export const StatsQuery = Type.Object({ months: Type.Integer({ minimum: 1, maximum: 36, default: 12 }) });
