// Rule definitions: their shape, validation (field-precise errors) and the pure evaluation
// pieces the engine runs on the ingest path. Hand-written: no library evaluates ThingsBoard-like
// alarm conditions over our readings.
import type { FieldError } from '../../kernel/http/errors.js';
import { isTimeZone, localParts } from '../../kernel/time.js';

export const severities = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof severities)[number];
/** Higher is more severe. */
export const severityRank: Record<Severity, number> = { critical: 4, major: 3, minor: 2, warning: 1 };

export const ops = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Op = (typeof ops)[number];

export type Condition = { key: string; op: Op; value: number } | { all: Condition[] } | { any: Condition[] };
export type Spec = { type: 'simple' } | { type: 'duration'; seconds: number } | { type: 'repeating'; count: number };
export interface Clause {
  condition: Condition;
  spec?: Spec;
}
export type Definition =
  | { type: 'condition'; create: Partial<Record<Severity, Clause>>; clear?: Clause }
  | { type: 'no_data'; seconds: number; severity: Severity; key?: string }
  /** raised by a device event (raiseEventAlarm), not by telemetry; see alarms.event-alarms.ts */
  | { type: 'event'; event: string; severity: Severity };
export interface Schedule {
  timezone: string;
  days: number[]; // 1 = Monday … 7 = Sunday
  from: string; // HH:MM
  to: string; // HH:MM
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function unknownFields(obj: Record<string, unknown>, allowed: string[], at: string, out: FieldError[]) {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) out.push({ field: `${at}.${k}`, code: 'validation.unknown_field', params: { field: `${at}.${k}` } });
}
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkCondition(c: unknown, at: string, out: FieldError[], depth: number, leaves: { n: number }) {
  if (!isObj(c)) return void out.push({ field: at, code: 'alarms.bad_condition' });
  if (depth > 4) return void out.push({ field: at, code: 'alarms.too_deep' });
  if ('all' in c || 'any' in c) {
    const k = 'all' in c ? 'all' : 'any';
    unknownFields(c, [k], at, out);
    const list = c[k];
    if (!Array.isArray(list) || list.length === 0) return void out.push({ field: `${at}.${k}`, code: 'alarms.bad_condition' });
    list.forEach((x, i) => checkCondition(x, `${at}.${k}.${i}`, out, depth + 1, leaves));
    return;
  }
  unknownFields(c, ['key', 'op', 'value'], at, out);
  if (++leaves.n > 20) return void out.push({ field: at, code: 'alarms.too_many_conditions' });
  if (typeof c.key !== 'string' || !KEY_RE.test(c.key)) out.push({ field: `${at}.key`, code: 'alarms.bad_key' });
  if (!ops.includes(c.op)) out.push({ field: `${at}.op`, code: 'alarms.bad_op', params: { values: ops.join(' ') } });
  if (typeof c.value !== 'number' || !Number.isFinite(c.value)) out.push({ field: `${at}.value`, code: 'validation.type', params: { type: 'number' } });
}

function checkSpec(s: unknown, at: string, out: FieldError[]) {
  if (s === undefined) return;
  if (!isObj(s)) return void out.push({ field: at, code: 'alarms.bad_spec' });
  switch (s.type) {
    case 'simple':
      unknownFields(s, ['type'], at, out);
      return;
    case 'duration':
      unknownFields(s, ['type', 'seconds'], at, out);
      if (!Number.isInteger(s.seconds) || s.seconds < 1 || s.seconds > 7 * 86400) out.push({ field: `${at}.seconds`, code: 'alarms.bad_seconds' });
      return;
    case 'repeating':
      unknownFields(s, ['type', 'count'], at, out);
      if (!Number.isInteger(s.count) || s.count < 1 || s.count > 10000) out.push({ field: `${at}.count`, code: 'alarms.bad_count' });
      return;
    default:
      out.push({ field: `${at}.type`, code: 'alarms.bad_spec' });
  }
}

function checkClause(c: unknown, at: string, out: FieldError[]) {
  if (!isObj(c)) return void out.push({ field: at, code: 'alarms.bad_condition' });
  unknownFields(c, ['condition', 'spec'], at, out);
  checkCondition(c.condition, `${at}.condition`, out, 1, { n: 0 });
  checkSpec(c.spec, `${at}.spec`, out);
}

/** Field errors of a definition (empty when valid). Field names start with `definition.`. */
export function validateDefinition(d: unknown, at = 'definition'): FieldError[] {
  const out: FieldError[] = [];
  if (!isObj(d)) return [{ field: at, code: 'alarms.bad_definition' }];
  if (d.type === 'condition') {
    unknownFields(d, ['type', 'create', 'clear'], at, out);
    if (!isObj(d.create) || !Object.keys(d.create).length) out.push({ field: `${at}.create`, code: 'alarms.create_required' });
    else {
      for (const [sev, clause] of Object.entries(d.create)) {
        if (!severities.includes(sev as Severity))
          out.push({ field: `${at}.create.${sev}`, code: 'alarms.bad_severity', params: { values: severities.join(', ') } });
        else checkClause(clause, `${at}.create.${sev}`, out);
      }
    }
    if (d.clear !== undefined) checkClause(d.clear, `${at}.clear`, out);
  } else if (d.type === 'no_data') {
    unknownFields(d, ['type', 'seconds', 'severity', 'key'], at, out);
    if (!Number.isInteger(d.seconds) || d.seconds < 10 || d.seconds > 30 * 86400) out.push({ field: `${at}.seconds`, code: 'alarms.bad_seconds' });
    if (!severities.includes(d.severity)) out.push({ field: `${at}.severity`, code: 'alarms.bad_severity', params: { values: severities.join(', ') } });
    if (d.key !== undefined && (typeof d.key !== 'string' || !KEY_RE.test(d.key))) out.push({ field: `${at}.key`, code: 'alarms.bad_key' });
  } else if (d.type === 'event') {
    unknownFields(d, ['type', 'event', 'severity'], at, out);
    if (typeof d.event !== 'string' || !KEY_RE.test(d.event)) out.push({ field: `${at}.event`, code: 'alarms.bad_key' });
    if (!severities.includes(d.severity)) out.push({ field: `${at}.severity`, code: 'alarms.bad_severity', params: { values: severities.join(', ') } });
  } else {
    out.push({ field: `${at}.type`, code: 'alarms.bad_rule_type' });
  }
  return out;
}

export function validateSchedule(s: unknown, at = 'schedule'): FieldError[] {
  if (s === null || s === undefined) return [];
  const out: FieldError[] = [];
  if (!isObj(s)) return [{ field: at, code: 'alarms.bad_schedule' }];
  unknownFields(s, ['timezone', 'days', 'from', 'to'], at, out);
  if (typeof s.timezone !== 'string' || !isTimeZone(s.timezone)) out.push({ field: `${at}.timezone`, code: 'alarms.bad_timezone' });
  if (!Array.isArray(s.days) || !s.days.length || s.days.some((d: unknown) => !Number.isInteger(d) || (d as number) < 1 || (d as number) > 7))
    out.push({ field: `${at}.days`, code: 'alarms.bad_days' });
  if (typeof s.from !== 'string' || !HHMM.test(s.from)) out.push({ field: `${at}.from`, code: 'alarms.bad_time' });
  if (typeof s.to !== 'string' || !HHMM.test(s.to)) out.push({ field: `${at}.to`, code: 'alarms.bad_time' });
  return out;
}

// ---------- evaluation ----------

export type Values = Map<string, number>;

/** Compile a condition into a closure over the device's latest values (missing key = false). */
export function compileCondition(c: Condition): (v: Values) => boolean {
  if ('all' in c) {
    const fs = c.all.map(compileCondition);
    return (v) => fs.every((f) => f(v));
  }
  if ('any' in c) {
    const fs = c.any.map(compileCondition);
    return (v) => fs.some((f) => f(v));
  }
  const { key, value } = c;
  switch (c.op) {
    case '>':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x > value;
      };
    case '>=':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x >= value;
      };
    case '<':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x < value;
      };
    case '<=':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x <= value;
      };
    case '==':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x === value;
      };
    case '!=':
      return (v) => {
        const x = v.get(key);
        return x !== undefined && x !== value;
      };
  }
}

export function conditionKeys(c: Condition, out: Set<string> = new Set()): Set<string> {
  if ('all' in c) c.all.forEach((x) => conditionKeys(x, out));
  else if ('any' in c) c.any.forEach((x) => conditionKeys(x, out));
  else out.add(c.key);
  return out;
}

export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map(describeCondition).join(' && ');
  if ('any' in c) return '(' + c.any.map(describeCondition).join(' || ') + ')';
  return `${c.key} ${c.op} ${c.value}`;
}

export function firstKey(c: Condition): string {
  if ('all' in c) return firstKey(c.all[0]);
  if ('any' in c) return firstKey(c.any[0]);
  return c.key;
}

/** Counters of one clause on one device: since = ts the condition became true; n = consecutive hits. */
export interface ClauseState {
  since?: number;
  n?: number;
}

/**
 * Step a clause with one evaluation. Returns whether it fires now, and whether its state changed
 * (the engine persists only changes).
 */
export function stepClause(spec: Spec | undefined, holds: boolean, ts: number, st: ClauseState): { fires: boolean; changed: boolean } {
  if (!holds) {
    const changed = st.since !== undefined || st.n !== undefined;
    delete st.since;
    delete st.n;
    return { fires: false, changed };
  }
  const type = spec?.type ?? 'simple';
  if (type === 'simple') return { fires: true, changed: false };
  if (type === 'duration') {
    if (st.since === undefined) {
      st.since = ts;
      return { fires: (spec as { seconds: number }).seconds <= 0, changed: true };
    }
    return { fires: ts - st.since >= (spec as { seconds: number }).seconds * 1000, changed: false };
  }
  st.n = (st.n ?? 0) + 1;
  return { fires: st.n >= (spec as { count: number }).count, changed: true };
}

// ---------- schedules ----------

interface LocalTime {
  day: number; // 1..7, Monday = 1
  minutes: number; // since local midnight
}
const minuteCache = new Map<string, { minute: number; lt: LocalTime }>();

export function localTime(ts: number, timeZone: string): LocalTime {
  const minute = Math.floor(ts / 60000);
  const c = minuteCache.get(timeZone);
  if (c && c.minute === minute) return c.lt;
  const p = localParts(ts, timeZone);
  const lt = { day: p.weekday, minutes: p.minuteOfDay };
  minuteCache.set(timeZone, { minute, lt });
  return lt;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Is the instant inside the schedule? A window with from > to spans midnight (it belongs to the day it starts). */
export function inSchedule(s: Schedule | null, ts: number): boolean {
  if (!s) return true;
  const { day, minutes } = localTime(ts, s.timezone);
  const from = toMinutes(s.from);
  const to = toMinutes(s.to);
  if (from <= to) return s.days.includes(day) && minutes >= from && minutes < to;
  if (minutes >= from) return s.days.includes(day);
  const yesterday = day === 1 ? 7 : day - 1;
  return minutes < to && s.days.includes(yesterday);
}

/** Every telemetry key a (valid) definition names, with the field that names it. */
export function keyFields(d: Definition, at = 'definition'): { field: string; key: string }[] {
  const out: { field: string; key: string }[] = [];
  const walk = (c: Condition, path: string) => {
    if ('all' in c) c.all.forEach((x, i) => walk(x, `${path}.all.${i}`));
    else if ('any' in c) c.any.forEach((x, i) => walk(x, `${path}.any.${i}`));
    else out.push({ field: `${path}.key`, key: c.key });
  };
  if (d.type === 'event') return out; // events are not telemetry keys of the profile
  if (d.type === 'no_data') {
    if (d.key) out.push({ field: `${at}.key`, key: d.key });
    return out;
  }
  for (const [sev, clause] of Object.entries(d.create)) if (clause) walk(clause.condition, `${at}.create.${sev}.condition`);
  if (d.clear) walk(d.clear.condition, `${at}.clear.condition`);
  return out;
}
