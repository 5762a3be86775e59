// UCUM units of the readings and their conversions to the unit a reading is stored in, and the
// plausibility checks that refuse impossible values. Hand-written: the handful of conversions the
// vital signs need (a general UCUM library would be far larger than this table).
import type { FieldError } from '../../kernel/http/errors.js';
import type { ReadingKind } from './health.tables.js';

/** The unit each kind is stored in (UCUM codes). */
export const canonicalUnit: Record<ReadingKind, string> = {
  bp: 'mm[Hg]',
  glucose: 'mmol/L',
  hr: '/min',
  spo2: '%',
  temp: 'Cel',
  weight: 'kg',
};

/** mg/dL per mmol/L of glucose (molar mass 180.16 g/mol). */
export const GLUCOSE_MGDL_PER_MMOLL = 18.016;
export const MMHG_PER_KPA = 7.500617;
export const KG_PER_LB = 0.45359237;

type Conv = (v: number) => number;
const id: Conv = (v) => v;
const conversions: Record<ReadingKind, Record<string, Conv>> = {
  bp: { 'mm[Hg]': id, mmHg: id, kPa: (v) => v * MMHG_PER_KPA },
  glucose: { 'mmol/L': id, 'mg/dL': (v) => v / GLUCOSE_MGDL_PER_MMOLL },
  hr: { '/min': id, '{beats}/min': id },
  spo2: { '%': id },
  temp: { Cel: id, '[degF]': (v) => ((v - 32) * 5) / 9 },
  weight: { kg: id, '[lb_av]': (v) => v * KG_PER_LB, g: (v) => v / 1000 },
};

/** The units accepted for a kind (UCUM codes; `mmHg` is accepted as the common spelling of mm[Hg]). */
export const unitsOf = (kind: ReadingKind) => Object.keys(conversions[kind]);

/** Convert `value` in `unit` to the kind's stored unit, or null for a unit the kind does not take. */
export function toCanonical(kind: ReadingKind, unit: string, value: number): number | null {
  const c = conversions[kind][unit];
  return c ? c(value) : null;
}

/** Convert a stored value to another accepted unit (the portal shows mg/dL to those who want it). */
export function fromCanonical(kind: ReadingKind, unit: string, value: number): number | null {
  if (unit === canonicalUnit[kind]) return value;
  switch (`${kind} ${unit}`) {
    case 'glucose mg/dL':
      return value * GLUCOSE_MGDL_PER_MMOLL;
    case 'bp kPa':
      return value / MMHG_PER_KPA;
    case 'temp [degF]':
      return (value * 9) / 5 + 32;
    case 'weight [lb_av]':
      return value / KG_PER_LB;
    default:
      return null;
  }
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** Values in stored units: bp v1 systolic, v2 diastolic, v3 pulse; otherwise v1. */
export interface Values {
  v1: number;
  v2: number | null;
  v3: number | null;
}

/** Plausible ranges in stored units (outside: refused as a measuring or typing error). */
const ranges: Record<string, [number, number]> = {
  systolic: [50, 300],
  diastolic: [20, 200],
  pulse: [20, 250],
  glucose: [0.5, 40],
  hr: [20, 250],
  spo2: [50, 100],
  temp: [30, 45],
  weight: [2, 350],
};

/**
 * Convert a reading given in `unit` to stored units and check it is plausible. Returns the values
 * or the field errors (codes in the health catalog, so the title is in the user's language).
 */
export function normalise(
  kind: ReadingKind,
  unit: string | undefined,
  raw: { value?: number; systolic?: number; diastolic?: number; pulse?: number },
): { values: Values } | { errors: FieldError[] } {
  const u = unit ?? canonicalUnit[kind];
  const errors: FieldError[] = [];
  if (!conversions[kind][u]) return { errors: [{ field: 'unit', code: 'health.bad_unit', params: { unit: u, units: unitsOf(kind).join(', ') } }] };
  const check = (field: string, range: string, v: number | null) => {
    if (v == null) return;
    const [lo, hi] = ranges[range];
    if (!Number.isFinite(v) || v < lo || v > hi) errors.push({ field, code: `health.implausible_${range}`, params: { min: lo, max: hi } });
  };
  if (kind === 'bp') {
    if (raw.systolic == null || raw.diastolic == null) {
      return { errors: [{ field: raw.systolic == null ? 'systolic' : 'diastolic', code: 'health.bp_incomplete' }] };
    }
    const sys = round(toCanonical('bp', u, raw.systolic)!, 0);
    const dia = round(toCanonical('bp', u, raw.diastolic)!, 0);
    const pulse = raw.pulse == null ? null : raw.pulse;
    check('systolic', 'systolic', sys);
    check('diastolic', 'diastolic', dia);
    check('pulse', 'pulse', pulse);
    if (!errors.length && sys <= dia)
      errors.push({ field: 'systolic', code: 'health.systolic_not_above_diastolic', params: { systolic: sys, diastolic: dia } });
    return errors.length ? { errors } : { values: { v1: sys, v2: dia, v3: pulse } };
  }
  if (raw.value == null) return { errors: [{ field: 'value', code: 'health.value_missing' }] };
  if (kind === 'spo2' && raw.value > 100) return { errors: [{ field: 'value', code: 'health.spo2_over_100' }] };
  const v = toCanonical(kind, u, raw.value)!;
  const stored = kind === 'glucose' ? round(v, 2) : kind === 'temp' || kind === 'weight' ? round(v, 2) : round(v, 0);
  check('value', kind, stored);
  return errors.length ? { errors } : { values: { v1: stored, v2: null, v3: null } };
}
