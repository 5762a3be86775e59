// Authorization matrix rows for the participation routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';

export const participationMatrix: MatrixRows = {
  async setup() {
    return { own: {}, other: {} };
  },
  rows: {},
};
