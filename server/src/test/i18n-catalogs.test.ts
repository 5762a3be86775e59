// zh-CN and en stay in step: every server message code has both texts with the same
// placeholders, and every web locale file has the same keys and placeholders in both languages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerMessages, registeredMessages } from '../kernel/http/i18n.js';
import { modules } from '../modules/index.js';
import '../kernel/notify/index.js';

const placeholders = (s: string, re: RegExp) => [...new Set([...s.matchAll(re)].map((m) => m[1]))].sort();

describe('server message catalog', () => {
  it('every code has non-empty zh-CN and en texts using the same placeholders', () => {
    for (const m of modules) if (m.messages) registerMessages(m.messages);
    const catalog = registeredMessages();
    expect(Object.keys(catalog).length).toBeGreaterThan(100);
    const gaps: string[] = [];
    for (const [code, { zh, en }] of Object.entries(catalog)) {
      if (!zh?.trim() || !en?.trim()) gaps.push(`${code}: empty text`);
      else if (placeholders(zh, /\{(\w+)\}/g).join() !== placeholders(en, /\{(\w+)\}/g).join())
        gaps.push(`${code}: {${placeholders(zh, /\{(\w+)\}/g)}} vs {${placeholders(en, /\{(\w+)\}/g)}}`);
    }
    expect(gaps).toEqual([]);
  });
});

const webSrc = path.resolve(import.meta.dirname, '../../../web/src');

function localeDirs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.name === 'locales') out.push(p);
    else localeDirs(p, out);
  }
  return out;
}

/** Flattened `a.b.c` keys; i18next plural forms (`_one`, `_other`…) count as their base key. */
function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else {
    const key = prefix.replace(/_(zero|one|two|few|many|other)$/, '');
    out.set(key, `${out.get(key) ?? ''} ${String(v)}`);
  }
  return out;
}

describe('web locale files', () => {
  const dirs = localeDirs(webSrc);
  it('are found', () => expect(dirs.length).toBeGreaterThan(5));
  for (const dir of dirs) {
    it(`${path.relative(webSrc, dir)}: the same keys and placeholders in zh-CN and en`, () => {
      const zh = flatten(JSON.parse(fs.readFileSync(path.join(dir, 'zh-CN.json'), 'utf8')));
      const en = flatten(JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8')));
      expect(
        [...zh.keys()].filter((k) => !en.has(k)),
        'keys missing in en',
      ).toEqual([]);
      expect(
        [...en.keys()].filter((k) => !zh.has(k)),
        'keys missing in zh-CN',
      ).toEqual([]);
      const differ: string[] = [];
      for (const [k, z] of zh) {
        const e = en.get(k);
        if (e === undefined) continue;
        if (!z.trim() || !e.trim()) differ.push(`${k}: empty`);
        else if (placeholders(z, /\{\{\s*([\w.]+)[^}]*\}\}/g).join() !== placeholders(e, /\{\{\s*([\w.]+)[^}]*\}\}/g).join())
          differ.push(`${k}: ${z.trim()} | ${e.trim()}`);
      }
      expect(differ).toEqual([]);
    });
  }
});
