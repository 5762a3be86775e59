// The module table of docs/architecture.md, rendered from the modules' manifests (`npm run
// docs:modules` rewrites it; manifests.test.ts fails when the page and the manifests disagree).
import type { Module } from '../kernel/app.js';

export const START = '<!-- modules:start (generated from the module manifests by `npm run docs:modules`) -->';
export const END = '<!-- modules:end -->';

const list = (xs: readonly string[] | undefined) => (xs?.length ? xs.map((x) => `\`${x}\``).join(', ') : '–');

export function renderModuleTable(modules: readonly Module[]): string {
  const rows = modules.map(
    (m) =>
      `| \`${m.name}\` | ${m.summary ?? ''} | ${list(m.publishes)} | ${list(m.subscribes)} | ${list(m.jobs)} | ${m.docs ? `[${m.docs}](${m.docs.replace(/^docs\//, '')})` : '–'} |`,
  );
  return [START, '| module | what it does | publishes | subscribes to | jobs | docs |', '| --- | --- | --- | --- | --- | --- |', ...rows, END].join('\n');
}

/** The page with its generated table replaced (the markers must be there once). */
export function withModuleTable(page: string, modules: readonly Module[]): string {
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/architecture.md: module table markers missing');
  return page.slice(0, a) + renderModuleTable(modules) + page.slice(b + END.length);
}
