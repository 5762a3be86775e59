// The modules' authorization-matrix rows, found through their manifests (`matrix`: a file beside the
// module's index.ts that exports `matrix`). A module that adds routes adds its rows there; nothing
// is listed here by hand.
import type { MatrixRows } from './matrix.js';
import { modules } from '../modules/index.js';

export const moduleMatrices: MatrixRows[] = await Promise.all(
  modules
    .filter((m) => m.matrix)
    .map(async (m) => {
      if (!m.url) throw new Error(`module ${m.name}: a matrix file needs the manifest's url`);
      const file = (await import(new URL(m.matrix!, m.url).href)) as { matrix?: MatrixRows };
      if (!file.matrix) throw new Error(`module ${m.name}: ${m.matrix} exports no \`matrix\``);
      return file.matrix;
    }),
);
