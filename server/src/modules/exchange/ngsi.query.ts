// NGSI-LD query parameters (ETSI GS CIM 009 §6.4.3.2): type, id, idPattern, attrs, q, limit,
// offset, count — parsed and applied to the open-data entities in memory. The q-language (§4.9)
// has no maintained JavaScript implementation to reuse, so its parser is written here by hand:
// a recursive-descent parser over the spec's grammar, with `;` (AND) binding tighter than `|` (OR)
// and parentheses for grouping.
import { entityType, type EntityType } from './ngsi.context.js';

export type Attr =
  | { type: 'Property'; value: unknown; unitCode?: string; observedAt?: string }
  | { type: 'Relationship'; object: string | string[] }
  | { type: 'GeoProperty'; value: { type: string; coordinates: unknown } };

export interface NgsiEntity {
  id: string;
  type: EntityType;
  attrs: Record<string, Attr>;
}

/** An NGSI-LD error: its ETSI type (https://uri.etsi.org/ngsi-ld/errors/<kind>) and HTTP status. */
export class NgsiError extends Error {
  constructor(
    public status: number,
    public kind: 'BadRequestData' | 'InvalidRequest' | 'ResourceNotFound' | 'TooManyResults' | 'OperationNotSupported' | 'NotAcceptable',
    public detail: string,
  ) {
    super(detail);
  }
}
const bad = (detail: string) => new NgsiError(400, 'BadRequestData', detail);

export const DEFAULT_LIMIT = 20;
/** The largest page (§6.4.3.2: the broker's maximum; above it → 403 TooManyResults). */
export const MAX_LIMIT = 1000;

export interface EntityQuery {
  types: string[] | null;
  ids: string[] | null;
  idPattern: RegExp | null;
  attrs: string[] | null;
  q: QueryNode | null;
  limit: number;
  offset: number;
  count: boolean;
  /** A geo-query (georel, geometry, coordinates): no open entity has a location, so nothing matches. */
  geo: boolean;
}

export type RawQuery = Partial<
  Record<'type' | 'id' | 'idPattern' | 'attrs' | 'q' | 'limit' | 'offset' | 'count' | 'options' | 'format' | 'georel' | 'geometry' | 'coordinates', string>
>;

const NAME = /^[A-Za-z_][A-Za-z0-9_:/.#-]*$/; // a term or an IRI
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/;

const list = (s: string | undefined, what: string, check: RegExp): string[] | null => {
  if (s === undefined) return null;
  const items = s.split(',').map((x) => x.trim());
  if (!items.length || items.some((x) => !check.test(x))) throw bad(`${what}: not a comma-separated list of valid ${what === 'id' ? 'URIs' : 'names'}`);
  return items;
};

const integer = (s: string | undefined, what: string, fallback: number): number => {
  if (s === undefined) return fallback;
  if (!/^\d{1,9}$/.test(s)) throw bad(`${what} must be a non-negative integer`);
  return Number(s);
};

/** Parse the query string of GET /entities; `forList` requires a selector (§6.4.3.2). */
export function parseEntityQuery(raw: RawQuery, forList: boolean): EntityQuery {
  const types = list(raw.type, 'type', NAME);
  const ids = list(raw.id, 'id', URI);
  const attrs = list(raw.attrs, 'attrs', NAME);
  const idPattern = raw.idPattern === undefined ? null : safeRegExp(raw.idPattern, 'idPattern');
  const q = raw.q === undefined ? null : parseQ(raw.q);
  const limit = integer(raw.limit, 'limit', DEFAULT_LIMIT);
  const offset = integer(raw.offset, 'offset', 0);
  if (raw.count !== undefined && raw.count !== 'true' && raw.count !== 'false') throw bad('count must be true or false');
  const options = (raw.options ?? '').split(',').filter(Boolean);
  const count = raw.count === 'true' || options.includes('count');
  // only the normalized representation is produced (docs/open-data.md)
  if (options.some((o) => o === 'keyValues' || o === 'concise') || (raw.format !== undefined && raw.format !== 'normalized'))
    throw bad('only the normalized representation is available (no keyValues, simplified or concise)');
  const geoParts = [raw.georel, raw.geometry, raw.coordinates].filter((x) => x !== undefined).length;
  if (geoParts && geoParts < 3) throw bad('a geo-query needs georel, geometry and coordinates');
  const geo = geoParts === 3;
  if (forList && !types && !ids && !idPattern && !q && !attrs && !geo) throw bad('a query needs at least one of type, id, idPattern, q, attrs or a geo-query');
  if (limit > MAX_LIMIT) throw new NgsiError(403, 'TooManyResults', `limit must not exceed ${MAX_LIMIT}`);
  if (limit === 0 && !count) throw bad('limit=0 is only allowed with count=true');
  return { types, ids, idPattern, attrs, q, limit, offset, count, geo };
}

/**
 * A client's regular expression, refused when it could backtrack catastrophically: back-references,
 * lookaround, and a quantified group that itself contains a quantifier or an alternation (star
 * height above one, `(a+)+`, `(a|a)*`). Hand-written: safe-regex2 is only a transitive dependency
 * here, and this conservative check is a few lines. Subjects are short (entity ids).
 */
export function safeRegExp(pattern: string, what: string): RegExp {
  // (?i) at the start: case-insensitive, as NGSI-LD patterns write it (JavaScript has no inline flags)
  const caseless = pattern.startsWith('(?i)');
  const src = caseless ? pattern.slice(4) : pattern;
  if (src.length > 200) throw bad(`${what}: pattern longer than 200 characters`);
  if (/\\[1-9]|\\k<|\(\?<?[=!]/.test(src)) throw bad(`${what}: back-references and lookaround are not supported`);
  const groups: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      groups.push({ risky: false });
      // (?: and (?<name> open a group; they are not quantifiers
      const named = /^\?(:|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(src.slice(i + 1));
      if (named) i += named[0].length;
    } else if (c === '|' && groups.length) groups[groups.length - 1].risky = true;
    else if ('*+?{'.includes(c) && groups.length) groups[groups.length - 1].risky = true;
    else if (c === ')') {
      const g = groups.pop();
      const next = src[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (g?.risky && quantified) throw bad(`${what}: nested quantifiers or a quantified alternation could take exponential time`);
      if (g?.risky && groups.length) groups[groups.length - 1].risky = true;
      if (g && quantified && groups.length) groups[groups.length - 1].risky = true;
    }
  }
  try {
    return new RegExp(src, caseless ? 'i' : '');
  } catch {
    throw bad(`${what}: not a valid regular expression`);
  }
}

// ---- q-language (§4.9) ----

export type QValue =
  | { kind: 'number'; v: number }
  | { kind: 'string'; v: string }
  | { kind: 'datetime'; v: number; raw: string }
  | { kind: 'boolean'; v: boolean }
  | { kind: 'uri'; v: string };

export type QueryNode =
  | { op: 'and' | 'or'; terms: QueryNode[] }
  | { op: 'exists'; path: AttrPath }
  | {
      op: '==' | '!=' | '<' | '>' | '<=' | '>=';
      path: AttrPath;
      value: QValue | { kind: 'list'; items: QValue[] } | { kind: 'range'; from: QValue; to: QValue };
    }
  | { op: '~=' | '!~='; path: AttrPath; pattern: RegExp };

export interface AttrPath {
  attr: string;
  /** a.b: the sub-attribute (or meta-data such as observedAt) b of attribute a */
  sub: string | null;
  /** a[b][c]: keys inside a compound value */
  keys: string[];
}

const OPERATORS = ['!~=', '~=', '==', '!=', '>=', '<=', '>', '<'] as const;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseQ(src: string): QueryNode {
  if (src.length > 2000) throw bad('q: longer than 2000 characters');
  let i = 0;
  let depth = 0;
  const fail = (why: string): never => {
    throw bad(`q: ${why} at position ${i}`);
  };

  const parseOr = (): QueryNode => {
    const terms = [parseAnd()];
    while (src[i] === '|') {
      i++;
      terms.push(parseAnd());
    }
    return terms.length === 1 ? terms[0] : { op: 'or', terms };
  };
  const parseAnd = (): QueryNode => {
    const terms = [parsePrimary()];
    while (src[i] === ';') {
      i++;
      terms.push(parsePrimary());
    }
    return terms.length === 1 ? terms[0] : { op: 'and', terms };
  };
  const parsePrimary = (): QueryNode => {
    if (src[i] === '(') {
      i++;
      if (++depth > 20) fail('too deeply nested');
      const node = parseOr();
      if (src[i] !== ')') fail('missing )');
      i++;
      depth--;
      return node;
    }
    return parseTerm();
  };
  const parseTerm = (): QueryNode => {
    const start = i;
    while (i < src.length && !'=!<>~;|()'.includes(src[i])) i++;
    const path = parsePath(src.slice(start, i).trim());
    if (!path) fail('expected an attribute name');
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) {
      if (i < src.length && !';|)'.includes(src[i])) fail('expected an operator');
      return { op: 'exists', path: path! };
    }
    i += op.length;
    const raw = readValue();
    if (!raw.length) fail('expected a value');
    if (op === '~=' || op === '!~=') return { op, path: path!, pattern: safeRegExp(unquote(raw), 'q pattern') };
    const items = splitOutsideQuotes(raw, ',');
    if (items.length > 1) {
      if (op !== '==' && op !== '!=') fail('a list of values needs == or !=');
      return { op, path: path!, value: { kind: 'list', items: items.map(literal) } };
    }
    const range = splitOutsideQuotes(raw, '..');
    if (range.length === 2) {
      if (op !== '==' && op !== '!=') fail('a range needs == or !=');
      return { op, path: path!, value: { kind: 'range', from: literal(range[0]), to: literal(range[1]) } };
    }
    return { op, path: path!, value: literal(raw) };
  };
  /** A value runs to the next unquoted ; | or ) */
  const readValue = (): string => {
    const start = i;
    let quoted = false;
    while (i < src.length) {
      const c = src[i];
      if (c === '\\' && quoted) i += 2;
      else {
        if (c === '"') quoted = !quoted;
        else if (!quoted && ';|)'.includes(c)) break;
        i++;
      }
    }
    if (quoted) fail('unterminated string');
    return src.slice(start, i).trim();
  };

  const node = parseOr();
  if (i !== src.length) fail(src[i] === ')' ? 'unbalanced )' : 'unexpected character');
  return node;
}

function parsePath(s: string): AttrPath | null {
  const m = /^([A-Za-z_][A-Za-z0-9_:/#-]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?((?:\[[A-Za-z0-9_]+\])*)$/.exec(s);
  if (!m) return null;
  const keys = m[3] ? [...m[3].matchAll(/\[([A-Za-z0-9_]+)\]/g)].map((x) => x[1]) : [];
  return { attr: m[1], sub: m[2] ?? null, keys };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && quoted) i++;
    else if (s[i] === '"') quoted = !quoted;
    else if (!quoted && s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);

function literal(s: string): QValue {
  if (!s.length) throw bad('q: empty value');
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw bad(`q: bad string ${s}`);
    return { kind: 'string', v: unquote(s) };
  }
  if (s === 'true' || s === 'false') return { kind: 'boolean', v: s === 'true' };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return { kind: 'number', v: Number(s) };
  if (DATETIME.test(s) && Number.isFinite(Date.parse(s))) return { kind: 'datetime', v: Date.parse(s), raw: s };
  if (URI.test(s)) return { kind: 'uri', v: s };
  throw bad(`q: ${s} is not a number, quoted string, date-time, boolean or URI`);
}

// ---- evaluation ----

/** The values an attribute path points at in an entity (arrays flattened), or undefined if absent. */
function targets(e: NgsiEntity, p: AttrPath): unknown[] | undefined {
  const attr = e.attrs[p.attr];
  if (!attr) return undefined;
  let v: unknown;
  if (p.sub) {
    const sub = (attr as unknown as Record<string, unknown>)[p.sub];
    if (sub === undefined) return undefined;
    v = sub && typeof sub === 'object' && 'type' in sub ? ((sub as { value?: unknown; object?: unknown }).value ?? (sub as { object?: unknown }).object) : sub;
  } else v = attr.type === 'Relationship' ? attr.object : attr.value;
  for (const k of p.keys) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : [v];
}

/** A DateTime value as the Smart Data Models write it: { "@type": "DateTime", "@value": "…" }. */
const plain = (v: unknown): unknown => (v && typeof v === 'object' && '@value' in v ? (v as { '@value': unknown })['@value'] : v);

function compare(target: unknown, value: QValue): number | null {
  const t = plain(target);
  switch (value.kind) {
    case 'number':
      return typeof t === 'number' ? t - value.v : null;
    case 'boolean':
      return typeof t === 'boolean' ? (t === value.v ? 0 : 1) : null;
    case 'datetime': {
      if (typeof t !== 'string' || !DATETIME.test(t)) return null;
      return Date.parse(t) - value.v;
    }
    case 'string':
    case 'uri':
      return typeof t === 'string' ? (t < value.v ? -1 : t > value.v ? 1 : 0) : null;
  }
}

function matchesTerm(t: unknown, node: Extract<QueryNode, { value: unknown }>): boolean {
  const v = node.value;
  if (v.kind === 'list') return v.items.some((x) => compare(t, x) === 0);
  if (v.kind === 'range') {
    const a = compare(t, v.from);
    const b = compare(t, v.to);
    return a !== null && b !== null && a >= 0 && b <= 0;
  }
  const c = compare(t, v);
  if (c === null) return false;
  switch (node.op) {
    case '==':
    case '!=':
      return c === 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}

export function evaluate(node: QueryNode, e: NgsiEntity): boolean {
  switch (node.op) {
    case 'and':
      return node.terms.every((t) => evaluate(t, e));
    case 'or':
      return node.terms.some((t) => evaluate(t, e));
    case 'exists':
      return targets(e, node.path) !== undefined;
    case '~=':
    case '!~=': {
      const ts = targets(e, node.path);
      if (!ts) return false;
      const hit = ts.some((t) => typeof plain(t) === 'string' && node.pattern.test(plain(t) as string));
      return node.op === '~=' ? hit : !hit;
    }
    case '!=': {
      // the attribute exists and none of its values equals (§4.9)
      const ts = targets(e, node.path);
      return !!ts && !ts.some((t) => matchesTerm(t, node));
    }
    default: {
      const ts = targets(e, node.path);
      return !!ts && ts.some((t) => matchesTerm(t, node));
    }
  }
}

/** Whether an entity is selected by type, id, idPattern, q and attrs (§6.4.3.2). */
export function selects(query: EntityQuery, e: NgsiEntity): boolean {
  if (query.geo) return false; // no entity has a GeoProperty (the registry holds no coordinates)
  if (query.types && !query.types.some((t) => entityType(t) === e.type)) return false;
  if (query.ids && !query.ids.includes(e.id)) return false;
  if (query.idPattern && !query.idPattern.test(e.id)) return false;
  if (query.attrs && !query.attrs.some((a) => a in e.attrs)) return false;
  if (query.q && !evaluate(query.q, e)) return false;
  return true;
}

/** The entity with only the attributes named in attrs (all when attrs is null). */
export function project(e: NgsiEntity, attrs: string[] | null): NgsiEntity {
  if (!attrs) return e;
  return { ...e, attrs: Object.fromEntries(Object.entries(e.attrs).filter(([k]) => attrs.includes(k))) };
}
