// Authorization matrix rows for the council routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';

export const councilMatrix: MatrixRows = {
  async setup() {
    return { own: {}, other: {} };
  },
  rows: {},
};
