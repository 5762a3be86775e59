// Entity resolution for department records without a usable ID number: Fellegi–Sunter record
// linkage. Each compared attribute falls into an agreement level; a level adds log2(m / u) to the
// pair's weight, where m = P(level | same person) and u = P(level | different people). The sum is
// compared with two thresholds: at or above `link` the record is linked, at or above `review` a
// person decides side by side, below it the record is a new person.
//
// The comparison of Chinese names (simplified and traditional forms, pinyin homophones, typos)
// and of addresses is written by hand: no maintained library does Fellegi–Sunter over these
// fields. Pinyin comes from pinyin-pro, traditional → simplified from opencc-js.
// Records with a valid ID number never come here: they link by the vault's blind index.
import { pinyin } from 'pinyin-pro';
import * as OpenCC from 'opencc-js';
import { distance } from 'fastest-levenshtein';

/** What the matcher compares. `phone` is an opaque key (the phone's blind index in the service). */
export interface Person {
  name: string;
  birthDate: string | null;
  gender: string | null;
  phone: string | null;
  address: string | null;
}

export interface Candidate extends Person {
  id: string;
}

export type NameLevel = 'exact' | 'pinyin' | 'similar' | 'different';
export type DateLevel = 'exact' | 'swapped' | 'partial' | 'different' | 'missing';
export type AgreeLevel = 'agree' | 'partial' | 'disagree' | 'missing';

export interface Comparison {
  name: NameLevel;
  birthDate: DateLevel;
  gender: AgreeLevel;
  phone: AgreeLevel;
  address: AgreeLevel;
}

export interface Scored {
  candidateId: string;
  weight: number;
  levels: Comparison;
}

export type Decision = 'link' | 'review' | 'new';

export interface MatchResult {
  decision: Decision;
  best: Scored | null;
  /** The runner-up, when there is one: a close second sends a would-be link to review. */
  second: Scored | null;
}

/**
 * m and u per agreement level (declared; they sum to 1 per attribute). The u values are what a
 * random pair of residents shows: one birth date in ~33,000 (ages 0–90), a common full name in
 * ~1,000, a phone almost never.
 */
export const weights = {
  name: { exact: [0.86, 0.001], pinyin: [0.07, 0.0006], similar: [0.06, 0.004], different: [0.01, 0.9944] },
  birthDate: { exact: [0.9, 0.00003], swapped: [0.05, 0.00003], partial: [0.03, 0.0015], different: [0.02, 0.99844] },
  gender: { agree: [0.98, 0.5], partial: [0, 0], disagree: [0.02, 0.5] },
  phone: { agree: [0.9, 0.0001], partial: [0, 0], disagree: [0.1, 0.9999] },
  address: { agree: [0.8, 0.01], partial: [0.14, 0.05], disagree: [0.06, 0.94] },
} as const;

/** Thresholds on the summed weight (bits). Between them a person reviews the pair. */
export const thresholds = { link: 17, review: 9, margin: 4 };

const w = (m: number, u: number) => Math.log2(m / u);

export function weightOf(c: Comparison): number {
  let s = 0;
  s += w(...(weights.name[c.name] as [number, number]));
  if (c.birthDate !== 'missing') s += w(...(weights.birthDate[c.birthDate] as [number, number]));
  for (const k of ['gender', 'phone', 'address'] as const) {
    const level = c[k];
    if (level === 'missing') continue;
    const [m, u] = weights[k][level] as readonly [number, number];
    if (m > 0) s += w(m, u);
  }
  return s;
}

// ---------- normalising ----------

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const toSimplifiedHk = OpenCC.Converter({ from: 'hk', to: 'cn' });

const nameCache = new Map<string, string>();
/** A name width-folded, without spaces or middle dots, in simplified characters (memoised: names repeat). */
export function normaliseName(raw: string): string {
  let n = nameCache.get(raw);
  if (n === undefined) {
    n = toSimplifiedHk(toSimplified(raw.normalize('NFKC').replace(/[\s·•.]+/g, '')));
    if (nameCache.size > 200_000) nameCache.clear();
    nameCache.set(raw, n);
  }
  return n;
}

/** Simplified text (addresses, free text). */
export function simplified(raw: string): string {
  return toSimplifiedHk(toSimplified(raw.normalize('NFKC')));
}

const pinyinCache = new Map<string, string[]>();
/** Toneless pinyin syllables of each character (memoised: names repeat). */
export function syllables(name: string): string[] {
  let p = pinyinCache.get(name);
  if (!p) {
    p = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).map((x) => x.toLowerCase());
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(name, p);
  }
  return p;
}

/** Pinyin with the distinctions southern speakers and clerks blur (zh/z, ch/c, sh/s, n/l, -ng/-n). */
export function fuzzySyllable(s: string): string {
  return s.replace(/^zh/, 'z').replace(/^ch/, 'c').replace(/^sh/, 's').replace(/^l/, 'n').replace(/^r/, 'n').replace(/^f/, 'h').replace(/ng$/, 'n');
}

/** Blocking key: the fuzzy pinyin of the whole name. */
export function nameKey(name: string): string {
  return syllables(normaliseName(name)).map(fuzzySyllable).join('');
}

/** Address tokens: building / unit / room numbers and the place words between them, simplified. */
export function addressTokens(raw: string | null): Set<string> {
  const out = new Set<string>();
  if (!raw) return out;
  const s = simplified(raw)
    .replace(/[()（）,，、\-—_/#\s]+/g, ' ')
    .replace(/(社区|小区|街道|居委会|北京市|朝阳区|市|区)/g, ' ');
  const re = /(\d+)\s*(号楼|号院|栋|幢|座|楼|单元|门|层|室|号)?/g;
  let m: RegExpExecArray | null;
  let last = 0;
  let n = 0;
  while ((m = re.exec(s))) {
    const words = s.slice(last, m.index).trim();
    for (const word of words.split(/\s+/).filter(Boolean)) out.add(word);
    const unit = m[2] ?? '';
    const kind = /号楼|栋|幢|座|楼/.test(unit) ? 'b' : /单元|门/.test(unit) ? 'u' : /号院/.test(unit) ? 'y' : /层/.test(unit) ? 'f' : 'r';
    // a bare number: building, unit, room in order of appearance
    out.add(unit ? `${kind}${Number(m[1])}` : `${['b', 'u', 'r'][Math.min(n, 2)]}${Number(m[1])}`);
    n++;
    last = m.index + m[0].length;
  }
  for (const word of s.slice(last).trim().split(/\s+/).filter(Boolean)) out.add(word);
  return out;
}

// ---------- comparing ----------

export function compareName(a: string, b: string): NameLevel {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (!x || !y) return 'different';
  if (x === y) return 'exact';
  const px = syllables(x);
  const py = syllables(y);
  if (px.join(' ') === py.join(' ')) return 'pinyin';
  if (px.length === py.length && px.map(fuzzySyllable).join(' ') === py.map(fuzzySyllable).join(' ')) return 'pinyin';
  // one character wrong, missing or extra, with the surname kept
  if (x[0] === y[0] && Math.max(x.length, y.length) >= 2 && distance(x, y) <= 1) return 'similar';
  // a transliterated or spaced name: close pinyin
  const sx = px.join('');
  const sy = py.join('');
  if (sx.length >= 6 && distance(sx, sy) <= 1) return 'similar';
  return 'different';
}

export function swapDayMonth(d: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m || m[2] === m[3] || Number(m[3]) > 12) return null;
  return `${m[1]}-${m[3]}-${m[2]}`;
}

export function compareDate(a: string | null, b: string | null): DateLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  if (swapDayMonth(a) === b) return 'swapped';
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  const same = Number(ya === yb) + Number(ma === mb) + Number(da === db);
  return same === 2 ? 'partial' : 'different';
}

const agree = (a: string | null, b: string | null): AgreeLevel => (!a || !b ? 'missing' : a === b ? 'agree' : 'disagree');

export function compareAddress(a: Set<string>, b: Set<string>): AgreeLevel {
  if (!a.size || !b.size) return 'missing';
  let both = 0;
  for (const t of a) if (b.has(t)) both++;
  const jaccard = both / (a.size + b.size - both);
  return jaccard >= 0.75 ? 'agree' : jaccard >= 0.4 ? 'partial' : 'disagree';
}

export function compare(a: Person, b: Person, aTokens = addressTokens(a.address), bTokens = addressTokens(b.address)): Comparison {
  return {
    name: compareName(a.name, b.name),
    birthDate: compareDate(a.birthDate, b.birthDate),
    gender: agree(a.gender, b.gender),
    phone: agree(a.phone, b.phone),
    address: compareAddress(aTokens, bTokens),
  };
}

export function decide(best: Scored | null, second: Scored | null): Decision {
  if (!best || best.weight < thresholds.review) return 'new';
  if (best.weight >= thresholds.link && (!second || best.weight - second.weight >= thresholds.margin)) return 'link';
  return 'review';
}

// ---------- the linker ----------

interface Indexed {
  c: Candidate;
  tokens: Set<string> | null;
}

/** Blocking key: the surname's character and the birth year ("王|1960"). */
export function familyYear(p: Pick<Person, 'name' | 'birthDate'>): string | null {
  const n = normaliseName(p.name);
  return n && p.birthDate ? `${n[0]}|${p.birthDate.slice(0, 4)}` : null;
}

/**
 * Candidates indexed by the blocking keys: birth date (and its day/month swap), phone, the
 * fuzzy pinyin of the name, and surname with birth year. Only pairs sharing a key are compared.
 */
export class Linker {
  private all: Indexed[] = [];
  private byBirth = new Map<string, number[]>();
  private byPhone = new Map<string, number[]>();
  private byName = new Map<string, number[]>();
  private byFamilyYear = new Map<string, number[]>();

  constructor(candidates: Iterable<Candidate> = []) {
    for (const c of candidates) this.add(c);
  }

  get size() {
    return this.all.length;
  }

  add(c: Candidate) {
    const i = this.all.push({ c, tokens: null }) - 1;
    const put = (m: Map<string, number[]>, k: string | null) => {
      if (!k) return;
      const l = m.get(k);
      if (l) l.push(i);
      else m.set(k, [i]);
    };
    put(this.byBirth, c.birthDate);
    put(this.byPhone, c.phone);
    put(this.byName, nameKey(c.name));
    put(this.byFamilyYear, familyYear(c));
  }

  /** The candidates sharing a blocking key with the record. */
  private block(p: Person): Set<number> {
    const out = new Set<number>();
    const take = (l: number[] | undefined) => l?.forEach((i) => out.add(i));
    if (p.birthDate) {
      take(this.byBirth.get(p.birthDate));
      const s = swapDayMonth(p.birthDate);
      if (s) take(this.byBirth.get(s));
    }
    if (p.phone) take(this.byPhone.get(p.phone));
    take(this.byName.get(nameKey(p.name)));
    const fy = familyYear(p);
    if (fy) take(this.byFamilyYear.get(fy));
    return out;
  }

  score(p: Person): Scored[] {
    const tokens = addressTokens(p.address);
    const out: Scored[] = [];
    for (const i of this.block(p)) {
      const x = this.all[i];
      x.tokens ??= addressTokens(x.c.address);
      const levels = compare(p, x.c, tokens, x.tokens);
      out.push({ candidateId: x.c.id, weight: Math.round(weightOf(levels) * 100) / 100, levels });
    }
    return out.sort((a, b) => b.weight - a.weight);
  }

  match(p: Person): MatchResult {
    const [best = null, second = null] = this.score(p);
    return { decision: decide(best, second), best, second };
  }
}
