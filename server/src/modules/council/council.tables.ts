// The tables the council owns (proposals and their comments, meetings, votes, feedback), with the
// columns it knows more about narrowed.
import type { Generated, Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { proposalStatuses } from './proposals.schema.js';
import type { Basis, Choice, Rule } from './votes.rules.js';

export type ProposalStatus = (typeof proposalStatuses)[number];
export type CommentReview = 'none' | 'pending' | 'kept' | 'removed';
export type MeetingStatus = 'planned' | 'held';
export type VoteStatus = 'draft' | 'open' | 'closed';
export type BallotChannel = 'online' | 'paper';
export type FeedbackStatus = 'submitted' | 'answered' | 'work_order' | 'proposal';

export type CouncilTables = ModuleTables<
  | 'council_proposals'
  | 'council_cosigns'
  | 'council_proposal_updates'
  | 'council_follows'
  | 'council_comments'
  | 'council_comment_reports'
  | 'council_meetings'
  | 'council_agenda_items'
  | 'council_votes'
  | 'council_vote_roll'
  | 'council_vote_electors'
  | 'council_ballots'
  | 'council_tallies'
  | 'council_feedback',
  {
    council_proposals: { status: ProposalStatus };
    council_proposal_updates: { status: ProposalStatus };
    council_comments: { review: Generated<CommentReview> };
    council_meetings: { status: MeetingStatus };
    council_votes: { status: VoteStatus; rule: Rule; basis: Basis };
    council_vote_roll: { channel: BallotChannel | null };
    council_ballots: { choice: Choice };
    council_tallies: { choice: Choice };
    council_feedback: { status: FeedbackStatus };
  }
>;
export type CouncilDb = Kysely<CouncilTables>;
