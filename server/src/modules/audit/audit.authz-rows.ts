// Authorization matrix rows of the audit module (see server/src/test/matrix.ts). Column order:
// admin gov staff property tech guard doctor officer provider resident. The log is read per scope
// (no record of its own to set up); checkpoints are platform-wide.
import type { MatrixRows } from '../../test/matrix.js';

export const matrix: MatrixRows = {
  async setup() {
    return { own: {}, other: {} };
  },
  rows: {
    'GET /api/v1/audit': { own: 'oooddddddd', other: null },
    'GET /api/v1/audit/checkpoints': { own: 'oodddddddd', other: null },
    'GET /api/v1/audit/checkpoints/export': { own: 'oodddddddd', other: null },
  },
};
