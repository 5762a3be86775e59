// Every module declares what it brings in its manifest (kernel/app.ts `Module`), and the
// architecture page lists every module as its manifest describes it.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../kernel/paths.js';
import { modules } from '../modules/index.js';
import { withModuleTable } from './manifests.js';

it('every module manifest says what the module is, where its docs and matrix rows are, and what it permits', () => {
  const gaps: string[] = [];
  for (const m of modules) {
    if (!m.summary) gaps.push(`${m.name}: no summary`);
    if (!m.url) gaps.push(`${m.name}: no url (import.meta.url)`);
    if (!m.docs || !fs.existsSync(path.join(projectRoot, m.docs))) gaps.push(`${m.name}: docs page ${m.docs ?? '(none)'} missing`);
    if (!m.permissions) gaps.push(`${m.name}: no permissions table`);
    if (m.matrix && m.url && !fs.existsSync(new URL(m.matrix.replace(/\.js$/, '.ts'), m.url))) gaps.push(`${m.name}: matrix file ${m.matrix} missing`);
  }
  expect(gaps).toEqual([]);
  expect(new Set(modules.map((m) => m.name)).size).toBe(modules.length);
});

it('docs/architecture.md lists every module as its manifest describes it (npm run docs:modules)', () => {
  const page = fs.readFileSync(path.join(projectRoot, 'docs/architecture.md'), 'utf8');
  expect(page).toBe(withModuleTable(page, modules));
});
