/** Writes docs/data-standard.md from the standard. Run: npx tsx server/src/modules/registry/standard/render-doc.ts */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './standard.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const target = path.join(root, 'docs', 'data-standard.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderMarkdown(), 'utf8');
console.log(`wrote ${path.relative(root, target)}`);
