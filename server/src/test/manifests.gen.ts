// `npm run docs:modules`: rewrite the module table of docs/architecture.md from the manifests.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../kernel/paths.js';
import { modules } from '../modules/index.js';
import { withModuleTable } from './manifests.js';

const file = path.join(projectRoot, 'docs/architecture.md');
fs.writeFileSync(file, withModuleTable(fs.readFileSync(file, 'utf8'), modules));
console.log(`wrote the module table of ${file} (${modules.length} modules)`);
