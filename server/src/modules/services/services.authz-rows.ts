// Authorization matrix rows for the services routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';

export const servicesMatrix: MatrixRows = {
  async setup() {
    return { own: {}, other: {} };
  },
  rows: {},
};
