// Participation: residents' council (居民议事会) — proposals, meetings, lawful votes, feedback (issue 6).
import type { Module } from '../module.js';
import './council.policy.js';
import { VotesService } from './votes.service.js';
import { registerVoteRoutes } from './votes.routes.js';

export { VOTE_CLOSED } from './votes.service.js';

export const councilModule: Module = {
  name: 'council',
  async register(app, k) {
    const proposalExists = async (id: string, communityId: string) =>
      !!(await k.db.selectFrom('council_proposals').select('id').where('id', '=', id).where('community_id', '=', communityId).executeTakeFirst());
    registerVoteRoutes(app, new VotesService(k, proposalExists));
  },
};
