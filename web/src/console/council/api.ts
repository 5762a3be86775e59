// Types of the council API (votes, proposals, meetings, feedback), shared by the console pages
// and the resident portal.
import type { ApiBody, ApiOk, ItemOf } from '../../shared/api';

// The answers of the council routes, named from the generated OpenAPI types.
export type Vote = ApiOk<'/api/v1/council/votes/{id}'>;
export type VoteRow = ItemOf<ApiOk<'/api/v1/council/votes'>>;
export type VoteResult = NonNullable<Vote['result']>;
export type RollEntry = ItemOf<ApiOk<'/api/v1/council/votes/{id}/roll'>>;
export type Proposal = ApiOk<'/api/v1/council/proposals/{id}'>;
export type ProposalRow = ItemOf<ApiOk<'/api/v1/council/proposals'>>;
export type Comment = NonNullable<Proposal['comments']>[number];
export type PendingComment = ItemOf<ApiOk<'/api/v1/council/comments/pending'>>;
export type Meeting = ApiOk<'/api/v1/council/meetings/{id}'>;
export type MeetingRow = ItemOf<ApiOk<'/api/v1/council/meetings'>>;
export type Feedback = ApiOk<'/api/v1/council/feedback/{id}'>;
export type FeedbackRow = ItemOf<ApiOk<'/api/v1/council/feedback'>>;
/** A choice on a ballot. */
export type Choice = ApiBody<'/api/v1/council/votes/{id}/ballot'>['choice'];
export type NewVote = ApiBody<'/api/v1/council/votes'>;

export const feedbackCategories = ['environment', 'safety', 'facilities', 'neighbours', 'property_service', 'suggestion', 'other'] as const;
export const answerStatuses = ['under_review', 'accepted', 'rejected', 'implementing', 'done'] as const;

/** Centi-m² as m² with two decimals (integer arithmetic on the server; display only here). */
export const m2 = (centi: number) => `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
export const outcomeColor: Record<string, string> = { passed: 'green', failed: 'red', quorum_not_met: 'orange' };
export const proposalColor: Record<string, string> = {
  collecting: 'blue',
  on_agenda: 'purple',
  under_review: 'gold',
  accepted: 'green',
  rejected: 'red',
  implementing: 'cyan',
  done: 'default',
};
