// The events the council module publishes.
import { defineEvent } from '../../kernel/events/index.js';
import type { Outcome } from './votes.rules.js';

/** A vote was closed and its verdict frozen (by staff or by the closing job). */
export interface VoteClosed {
  voteId: string;
  communityId: string;
  proposalId: string | null;
  outcome: Outcome;
}

export const VOTE_CLOSED = defineEvent<VoteClosed>('council.vote.closed');
