import { Type, type Static } from '@sinclair/typebox';
import { lit, Paging, Str } from './votes.schema.js';

export const proposalStatuses = ['collecting', 'on_agenda', 'under_review', 'accepted', 'rejected', 'implementing', 'done'] as const;
/** What staff may set: their answer to a proposal. */
export const answerStatuses = ['under_review', 'accepted', 'rejected', 'implementing', 'done'] as const;

export const MAX_ATTACHMENTS = 6;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const CreateProposalBody = Type.Object(
  { title: Str(120, 1), body: Str(5000, 1), attachmentIds: Type.Optional(Type.Array(Str(64, 1), { maxItems: MAX_ATTACHMENTS, uniqueItems: true })) },
  { additionalProperties: false },
);
export type CreateProposalBody = Static<typeof CreateProposalBody>;

export const ListProposalsQuery = Type.Object({
  status: Type.Optional(lit(proposalStatuses)),
  q: Type.Optional(Str(100)),
  mine: Type.Optional(Type.Boolean()),
  ...Paging,
});
export type ListProposalsQuery = Static<typeof ListProposalsQuery>;

export const StatusBody = Type.Object({ status: lit(answerStatuses), note: Str(2000, 1) }, { additionalProperties: false });
export type StatusBody = Static<typeof StatusBody>;

export const FollowBody = Type.Object({ follow: Type.Boolean() }, { additionalProperties: false });
export const CommentBody = Type.Object({ body: Str(1000, 1) }, { additionalProperties: false });
export const ReviewBody = Type.Object({ decision: lit(['keep', 'remove'] as const) }, { additionalProperties: false });
export const FileIdParam = Type.Object({ fileId: Str(64, 1) });
