// Authorization matrix rows for registration reviews (registration-reviews.ts; see server/src/test/matrix.ts).
// Column order: admin gov staff property tech guard doctor officer provider resident.
// "own": a person registered in c2 asked for in c1; "other": the reverse. The matrix's supervisor
// is granted on the street (both communities), so it reaches both; community staff may list (their
// own requests only) but never decide.
import type { MatrixRows } from '../../test/matrix.js';
import { buildResident } from '../../test/fixtures.js';
import { RegistrationReviews } from './registration-reviews.js';
import { ResidentsService } from './residents.service.js';

export const matrix: MatrixRows = {
  async setup(k, w) {
    const svc = new ResidentsService(k);
    const reviews = new RegistrationReviews(k, svc);
    const system = { userId: 'usr_matrix', kind: 'staff' as const, name: 'matrix', grants: [], residentId: null, sessionId: null, via: 'session' as const };
    const review = async (from: typeof w.house1, to: typeof w.house1, community: typeof w.c1) => {
      const r = await buildResident(k, from);
      const row = (await svc.residents.byId(r.id))!;
      return (await reviews.request(system, row, { community, house: to }, { name: r.name, idNumber: r.idNumber, role: 'tenant' }, '127.0.0.1')).reviewId;
    };
    return { own: { review: await review(w.house2, w.house1, w.c1) }, other: { review: await review(w.house1, w.house2, w.c2) } };
  },
  rows: {
    'GET /api/v1/registration-reviews': { own: 'oooddddddd', other: null },
    'POST /api/v1/registration-reviews/:id/approve': {
      own: 'oodddddddd',
      other: 'oodddddddd',
      request: (ids) => ({ path: `/api/v1/registration-reviews/${ids.review}/approve`, body: {} }),
    },
    'POST /api/v1/registration-reviews/:id/reject': {
      own: 'oodddddddd',
      other: 'oodddddddd',
      request: (ids) => ({ path: `/api/v1/registration-reviews/${ids.review}/reject`, body: {} }),
    },
  },
};
/** Old name, until the matrix test reads `matrix`. */
export const registryMatrix = matrix;
