// Schema-shaped bad input for the robustness test (robustness.test.ts). From a route's request
// schemas (the TypeBox schemas the OpenAPI document is generated from) it builds a valid-looking
// body or query, then variants with one property replaced by a wrong type, an out-of-range
// number, an overlong string, null, an odd Unicode string, or left out; and whole-body oddities.
// Deterministic: a seeded generator picks the sample.

type Schema = Record<string, any>;

/** mulberry32: a small seeded generator, so a failure can be replayed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pick n items of a list, deterministically, keeping their order. */
export function sample<T>(list: T[], n: number, rand: () => number): T[] {
  if (list.length <= n) return list;
  const picked = new Set<number>();
  while (picked.size < n) picked.add(Math.floor(rand() * list.length));
  return [...picked].sort((x, y) => x - y).map((i) => list[i]);
}

// strings that satisfy the usual patterns and formats (dates, months, times, codes, phones)
const CANDIDATES = ['2026-03-15', '2026-03', '2026-03-15T08:00:00.000Z', '08:00', 'fuzz_code', 'fuzz', '13900001111', 'x', '1', 'A1'];
const ODD_STRINGS = [
  '\u0000',
  'a\u202eb',
  '\ud800',
  '\u0301\u0301',
  '\ufeff',
  '１２３',
  ' ',
  '\n',
  "'; drop table residents; --",
  '%s%n%x',
  '../../etc/passwd',
  '🙂'.repeat(40),
  '<script>alert(1)</script>',
];

function types(s: Schema): string[] {
  if (s.type) return [s.type].flat();
  if (s.const !== undefined) return [typeof s.const];
  if (s.properties) return ['object'];
  return [];
}

function branches(s: Schema): Schema[] {
  return s.anyOf ?? s.oneOf ?? [];
}

/** A string the schema accepts, or null when none of the candidates fits its pattern. */
function validString(s: Schema, hint: string | undefined): string {
  const fits = (v: string) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  if (s.format === 'date') return '2026-03-15';
  if (s.format === 'date-time') return '2026-03-15T08:00:00.000Z';
  if (s.format === 'email') return 'fuzz@example.org';
  if (s.format === 'uri') return 'https://example.org/fuzz';
  if (hint && fits(hint)) return hint;
  const c = CANDIDATES.find(fits);
  if (c) return c;
  return 'x'.repeat(Math.max(1, s.minLength ?? 1));
}

/** ids of real records, by the property they would fill: houseId ← hints.house, billIds ← hints.bill. */
export type Hints = Record<string, string>;

function hintFor(name: string, hints: Hints): string | undefined {
  const base = name.replace(/Ids?$/, '');
  return hints[name] ?? hints[base] ?? (name === 'communityId' ? hints.community : undefined);
}

/** A value the schema accepts (as well as we can tell without running the validator). */
export function validValue(s: Schema, name = '', hints: Hints = {}, depth = 0): unknown {
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined && depth > 0) return s.default;
  const alts = branches(s);
  if (alts.length) return validValue(alts.find((b) => !types(b).includes('null')) ?? alts[0], name, hints, depth + 1);
  if (s.allOf?.length) return validValue(s.allOf[0], name, hints, depth + 1);
  const t = types(s).find((x) => x !== 'null') ?? types(s)[0];
  switch (t) {
    case 'string':
      return validString(s, hintFor(name, hints));
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return s.maximum !== undefined ? Math.min(min, s.maximum) : min;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const item = s.items ? validValue(s.items, name, hints, depth + 1) : 'x';
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => item);
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries<Schema>(s.properties ?? {})) out[k] = validValue(p, k, hints, depth + 1);
      return out;
    }
    default:
      return 'x';
  }
}

/** Values the schema should refuse (or that sit at its edges), labelled. */
export function badValues(s: Schema, valid: unknown): [string, unknown][] {
  const out: [string, unknown][] = [['null', null]];
  const ts = new Set(types(s).concat(branches(s).flatMap(types)));
  const strS = [s, ...branches(s)].find((b) => types(b).includes('string')) ?? s;
  const numS = [s, ...branches(s)].find((b) => types(b).some((t) => t === 'integer' || t === 'number')) ?? s;
  if (!ts.has('string')) out.push(['string', 'abc'], ['numeric string', '12'], ['empty string', '']);
  if (!ts.has('number') && !ts.has('integer')) out.push(['number', 12345], ['negative', -1]);
  if (!ts.has('boolean')) out.push(['boolean', true]);
  if (!ts.has('object')) out.push(['object', { $gt: '' }]);
  if (!ts.has('array')) out.push(['array', ['x', 1]]);
  if (ts.has('string')) {
    const max = strS.maxLength ?? 1000;
    out.push(['overlong', 'x'.repeat(Math.min(max + 1, 200_000))], ['empty string', '']);
    for (const odd of ODD_STRINGS) out.push([`odd ${JSON.stringify(odd).slice(0, 12)}`, odd]);
  }
  if (ts.has('number') || ts.has('integer')) {
    out.push(
      ['-1', -1],
      ['0', 0],
      ['int32+1', 2_147_483_648],
      ['-int32-1', -2_147_483_649],
      ['2^53+1', 9_007_199_254_740_993],
      ['1e308', 1e308],
      ['-1e308', -1e308],
      ['fraction', 1.5],
    );
    if (numS.maximum !== undefined) out.push(['max+1', numS.maximum + 1]);
    if (numS.minimum !== undefined) out.push(['min-1', numS.minimum - 1]);
  }
  if (ts.has('array')) {
    const items = Array.isArray(valid) ? valid : [];
    out.push(['empty array', []], ['array with a wrong item', [...items, { wrong: true }]], ['array with null', [null]]);
    const arrS = [s, ...branches(s)].find((b) => types(b).includes('array')) ?? s;
    if (arrS.maxItems !== undefined && items.length) out.push(['too many items', Array(arrS.maxItems + 1).fill(items[0])]);
  }
  if (ts.has('object')) out.push(['empty object', {}], ['unknown property', { ...(valid as object), fuzzUnknown: 1 }]);
  return out;
}

export interface Case {
  label: string;
  body?: unknown;
  query?: string;
}

/** Body cases: the valid-looking body, {} and whole-body oddities, then each property made bad. */
export function bodyCases(schema: Schema, hints: Hints, base?: Record<string, unknown>): { always: Case[]; sampled: Case[] } {
  const generated = validValue(schema, '', hints);
  const valid = typeof generated === 'object' && generated && !Array.isArray(generated) ? { ...(generated as object), ...base } : generated;
  const always: Case[] = [
    { label: 'valid-looking', body: valid },
    { label: '{}', body: {} },
  ];
  const sampled: Case[] = [
    { label: 'null body', body: null },
    { label: 'array body', body: [valid] },
  ];
  if (schema.properties && valid && typeof valid === 'object') {
    const required = new Set<string>(schema.required ?? []);
    sampled.push({ label: 'required only', body: Object.fromEntries(Object.entries(valid).filter(([k]) => required.has(k))) });
    for (const [k, p] of Object.entries<Schema>(schema.properties)) {
      const v = (valid as Record<string, unknown>)[k];
      sampled.push({ label: `${k} left out`, body: Object.fromEntries(Object.entries(valid).filter(([x]) => x !== k)) });
      for (const [label, bad] of badValues(p, v)) sampled.push({ label: `${k}: ${label}`, body: { ...valid, [k]: bad } });
    }
  } else for (const [label, bad] of badValues(schema, valid)) sampled.push({ label, body: bad });
  return { always, sampled };
}

/** Percent-encoding; a lone surrogate becomes the bytes a careless client would send (invalid UTF-8). */
function enc(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return v
      .split('')
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

function queryString(q: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const one of [v].flat()) parts.push(`${enc(k)}=${enc(typeof one === 'object' ? JSON.stringify(one) : String(one))}`);
  }
  return parts.join('&');
}

/** Query cases: no query, the valid-looking one, and each parameter made bad (as text, as a browser would send it). */
export function queryCases(schema: Schema | undefined, hints: Hints): { always: Case[]; sampled: Case[] } {
  if (!schema?.properties) return { always: [{ label: 'no query', query: '' }], sampled: [] };
  const valid = validValue(schema, '', hints) as Record<string, unknown>;
  const always: Case[] = [
    { label: 'no query', query: '' },
    { label: 'valid-looking', query: queryString(valid) },
  ];
  const sampled: Case[] = [];
  for (const [k, p] of Object.entries<Schema>(schema.properties)) {
    for (const [label, bad] of badValues(p, valid[k])) {
      if (bad === null) sampled.push({ label: `${k}: empty`, query: queryString({ ...valid, [k]: '' }) });
      else sampled.push({ label: `${k}: ${label}`, query: queryString({ ...valid, [k]: bad }) });
    }
    sampled.push({ label: `${k} twice`, query: `${queryString(valid)}&${enc(k)}=${enc(String(valid[k] ?? 'x'))}` });
  }
  return { always, sampled };
}
