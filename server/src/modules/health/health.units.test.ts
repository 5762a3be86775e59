// UCUM conversions, plausibility checks and the default clinical thresholds (no database).
import { describe, expect, it } from 'vitest';
import { fromCanonical, normalise, toCanonical } from './health.units.js';
import { classify, defaultThresholds, thresholdsWith } from './health.thresholds.js';

describe('health units', () => {
  it('converts glucose mg/dL ↔ mmol/L (99 mg/dL = 5.5 mmol/L)', () => {
    expect(toCanonical('glucose', 'mg/dL', 99)).toBeCloseTo(5.495, 2);
    expect(toCanonical('glucose', 'mg/dL', 126)).toBeCloseTo(6.99, 2);
    expect(fromCanonical('glucose', 'mg/dL', 7)).toBeCloseTo(126.1, 1);
  });
  it('converts kPa ↔ mm[Hg], [degF] ↔ Cel, [lb_av] ↔ kg', () => {
    expect(toCanonical('bp', 'kPa', 18.7)).toBeCloseTo(140.3, 1);
    expect(fromCanonical('bp', 'kPa', 120)).toBeCloseTo(16.0, 1);
    expect(toCanonical('temp', '[degF]', 98.6)).toBeCloseTo(37, 5);
    expect(toCanonical('temp', '[degF]', 102.2)).toBeCloseTo(39, 5);
    expect(fromCanonical('temp', '[degF]', 39)).toBeCloseTo(102.2, 5);
    expect(toCanonical('weight', '[lb_av]', 150)).toBeCloseTo(68.04, 2);
    expect(fromCanonical('weight', '[lb_av]', 68.0388555)).toBeCloseTo(150, 4);
  });
  it('normalises a reading into stored units', () => {
    expect(normalise('bp', 'kPa', { systolic: 20, diastolic: 12, pulse: 70 })).toEqual({ values: { v1: 150, v2: 90, v3: 70 } });
    expect(normalise('glucose', 'mg/dL', { value: 180 })).toEqual({ values: { v1: 9.99, v2: null, v3: null } });
    expect(normalise('temp', '[degF]', { value: 100.4 })).toEqual({ values: { v1: 38, v2: null, v3: null } });
  });
  it('refuses implausible values with the field and a catalog code', () => {
    expect(normalise('bp', undefined, { systolic: 80, diastolic: 90 })).toEqual({
      errors: [{ field: 'systolic', code: 'health.systolic_not_above_diastolic', params: { systolic: 80, diastolic: 90 } }],
    });
    expect(normalise('bp', undefined, { systolic: 120, diastolic: 120 })).toMatchObject({ errors: [{ code: 'health.systolic_not_above_diastolic' }] });
    expect(normalise('spo2', '%', { value: 101 })).toEqual({ errors: [{ field: 'value', code: 'health.spo2_over_100' }] });
    expect(normalise('temp', 'Cel', { value: 50 })).toMatchObject({ errors: [{ field: 'value', code: 'health.implausible_temp' }] });
    expect(normalise('glucose', 'mmHg', { value: 5 })).toMatchObject({ errors: [{ field: 'unit', code: 'health.bad_unit' }] });
    expect(normalise('bp', undefined, { systolic: 120 })).toMatchObject({ errors: [{ field: 'diastolic', code: 'health.bp_incomplete' }] });
  });
});

describe('health thresholds', () => {
  const t = defaultThresholds;
  const bp = (sys: number, dia: number, pulse: number | null = 70) => ({ v1: sys, v2: dia, v3: pulse });
  const one = (v: number) => ({ v1: v, v2: null, v3: null });
  it('blood pressure: office ≥140/90, home ≥135/85, urgent ≥180 and/or ≥110', () => {
    expect(classify('bp', bp(138, 80), null, 'clinic', t)).toBe('normal');
    expect(classify('bp', bp(138, 80), null, 'device', t)).toBe('high');
    expect(classify('bp', bp(134, 84), null, 'portal', t)).toBe('normal');
    expect(classify('bp', bp(140, 80), null, 'clinic', t)).toBe('high');
    expect(classify('bp', bp(130, 90), null, 'clinic', t)).toBe('high');
    expect(classify('bp', bp(180, 100), null, 'clinic', t)).toBe('urgent');
    expect(classify('bp', bp(150, 110), null, 'device', t)).toBe('urgent');
    expect(classify('bp', bp(179, 109), null, 'device', t)).toBe('high');
  });
  it('glucose: fasting ≥7.0 high; ≥16.7 or ≤3.9 urgent', () => {
    expect(classify('glucose', one(6.9), 'fasting', 'device', t)).toBe('normal');
    expect(classify('glucose', one(7.0), 'fasting', 'device', t)).toBe('high');
    expect(classify('glucose', one(9.0), 'after_meal', 'device', t)).toBe('normal');
    expect(classify('glucose', one(11.1), 'random', 'device', t)).toBe('high');
    expect(classify('glucose', one(16.7), 'random', 'device', t)).toBe('urgent');
    expect(classify('glucose', one(3.9), 'fasting', 'device', t)).toBe('urgent');
  });
  it('heart rate >100 or <50; SpO2 <94 high, ≤92 urgent; temperature >39 urgent', () => {
    expect(classify('hr', one(100), null, 'device', t)).toBe('normal');
    expect(classify('hr', one(101), null, 'device', t)).toBe('high');
    expect(classify('hr', one(49), null, 'device', t)).toBe('high');
    expect(classify('spo2', one(94), null, 'device', t)).toBe('normal');
    expect(classify('spo2', one(93), null, 'device', t)).toBe('high');
    expect(classify('spo2', one(92), null, 'device', t)).toBe('urgent');
    expect(classify('temp', one(39), null, 'device', t)).toBe('normal');
    expect(classify('temp', one(39.1), null, 'device', t)).toBe('urgent');
  });
  it("a doctor's overrides change the classification of that patient only", () => {
    const mine = thresholdsWith({ bpHomeHighSys: 150, bpHomeHighDia: 95 });
    expect(classify('bp', bp(145, 88), null, 'device', mine)).toBe('normal');
    expect(classify('bp', bp(145, 88), null, 'device', t)).toBe('high');
  });
});
