// Authorization matrix rows for the council routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';
import { buildResident, systemActor } from '../../test/fixtures.js';
import { VotesService } from './votes.service.js';

export const councilMatrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    // owners of their own, so no roll is empty whatever other modules' rows did to the world
    await buildResident(k, w.house1b, { name: '议事业主', role: 'owner' });
    await buildResident(k, w.house2, { name: '议事业主', role: 'owner' });
    const votes = new VotesService(k, async () => false);
    const vote = async (communityId: string, open: boolean) => {
      const v = await votes.create(admin, { communityId, title: 'matrix', basis: 'owners', secret: true, rule: 'simple' }, '127.0.0.1');
      if (open) await votes.open(admin, v.id as string, '127.0.0.1');
      return v.id as string;
    };
    const side = async (communityId: string) => ({
      communityId,
      vote_read: await vote(communityId, true),
      vote_open: await vote(communityId, false),
      vote_close: await vote(communityId, true),
      vote_cast: await vote(communityId, true),
      vote_paper: await vote(communityId, true),
    });
    return { own: await side(w.c1.id), other: await side(w.c2.id) };
  },
  rows: {
    'GET /api/v1/council/votes': { own: 'oooddddddo', other: null },
    'POST /api/v1/council/votes': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ body: { communityId: ids.communityId, title: 'm', basis: 'owners', secret: true, rule: 'simple' } }),
    },
    'GET /api/v1/council/votes/:id': { own: 'oooddddddo', other: 'oonddddddn', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_read}` }) },
    'POST /api/v1/council/votes/:id/open': { own: 'ododdddddd', other: 'odnddddddd', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_open}/open` }) },
    'POST /api/v1/council/votes/:id/close': { own: 'ododdddddd', other: 'odnddddddd', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_close}/close` }) },
    // a platform admin passes the gate but is no resident (403); the matrix resident owns house1
    'POST /api/v1/council/votes/:id/ballot': { own: 'dddddddddo', other: 'dddddddddn', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_cast}/ballot`, body: { choice: 'yes' } }) },
    // an unknown voter key: 422 for those who pass
    'POST /api/v1/council/votes/:id/paper-ballots': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_paper}/paper-ballots`, body: { voterKey: 'res_none', choice: 'yes' } }),
    },
    'GET /api/v1/council/votes/:id/roll': { own: 'ododdddddd', other: 'odnddddddd', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_paper}/roll` }) },
  },
};
