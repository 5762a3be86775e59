// Authorization matrix rows for the billing routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';

export const billingMatrix: MatrixRows = {
  async setup() {
    return { own: {}, other: {} };
  },
  rows: {},
};
