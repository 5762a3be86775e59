// Participation: residents' council (居民议事会) — proposals, meetings, lawful votes, feedback (issue 6).
import type { Module } from '../../kernel/app.js';
import { councilComponents, councilMessages, councilPermissions } from './council.policy.js';
import { PARTICIPATION_ACTION, provideComponents, withComponentPermissions } from '../participation/index.js';
import { VOTE_CLOSED } from './council.events.js';
import { VotesService } from './votes.service.js';
import { registerVoteRoutes } from './votes.routes.js';
import { ProposalsService } from './proposals.service.js';
import { registerProposalRoutes } from './proposals.routes.js';
import { FeedbackService } from './feedback.service.js';
import { registerFeedbackRoutes } from './feedback.routes.js';
import { MeetingsService, registerMeetingRoutes } from './meetings.js';
import { seedDemoCouncil } from './council.demo.js';
import { places } from '../registry/index.js';

export { VOTE_CLOSED, type VoteClosed } from './council.events.js';
export { councilMessages, councilPermissions } from './council.policy.js';
export const FEEDBACK_DEADLINE_JOB = 'council.feedback-deadlines';
export const VOTE_CLOSING_JOB = 'council.vote-closing';

export const councilModule: Module = {
  name: 'council',
  summary: "Residents' council: proposals with co-signatures and comments, meetings, lawful votes (online and paper), feedback",
  url: import.meta.url,
  // the meetings' permissions and those of the proposals, votes and feedback components (council.policy.ts)
  permissions: withComponentPermissions(councilPermissions, councilComponents),
  messages: councilMessages,
  publishes: [VOTE_CLOSED, PARTICIPATION_ACTION],
  subscribes: [],
  jobs: [VOTE_CLOSING_JOB, FEEDBACK_DEADLINE_JOB],
  matrix: 'council.authz-rows.js',
  docs: 'docs/api/council.md',
  seed: async (k, demo) => seedDemoCouncil(k, (await places.getPlace(k, demo.communityId))!, demo.residentId), // a proposal collecting co-signatures, two open votes, a meeting, a feedback
  async register(app, k) {
    // the points ledger and the participation settings read the council's components too
    provideComponents(councilComponents);
    const proposals = new ProposalsService(k);
    const votes = new VotesService(k, (id, communityId) => proposals.existsIn(id, communityId));
    registerVoteRoutes(app, votes);
    k.jobs.register({ name: VOTE_CLOSING_JOB, everyMs: 60_000, run: async ({ now }) => void (await votes.closeDue(now)) });
    registerProposalRoutes(app, proposals);
    registerMeetingRoutes(app, new MeetingsService(k));
    const feedback = new FeedbackService(k, proposals);
    registerFeedbackRoutes(app, feedback);
    k.jobs.register({ name: FEEDBACK_DEADLINE_JOB, everyMs: 5 * 60_000, run: async ({ now }) => void (await feedback.flagOverdue(now)) });
  },
};
