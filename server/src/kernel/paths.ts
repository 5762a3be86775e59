// The project's root directory (where package.json says "linli"), found by walking up from this
// file. Code that needs files of the project (the built web app, helper programs) starts here
// rather than counting "../" from its own location, because `npm start` runs the server as one
// bundled file (server/dist/main.mjs) whose location differs from the source files'.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'linli') return dir;
    if (path.dirname(dir) === dir) throw new Error(`the Linli project root was not found above ${from}`);
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
