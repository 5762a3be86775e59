// The modules that contribute rows to the authorization matrix.
import type { MatrixRows } from './matrix.js';

export const moduleMatrices: MatrixRows[] = [];
