// The clinical alert thresholds (issue 17, ../shared/references/health-monitoring-anchors.md):
// 国家基本公共卫生服务规范（第三版）referral criteria and the Chinese hypertension and diabetes
// guidelines. These are clinical rules over one patient's readings, not device alarm rules, so
// they are a table and a classifier here rather than rules of the alarms engine; the alert
// lifecycle follows the alarms module's (one open per patient and rule, acknowledge, close).
import type { GlucoseContext, Level, ReadingKind, ReadingSource } from './health.tables.js';
import type { Values } from './health.units.js';

export interface Thresholds {
  /** office (clinic) readings: high at ≥ sys or ≥ dia */
  bpHighSys: number;
  bpHighDia: number;
  /** home readings (device, portal): high at ≥ sys or ≥ dia */
  bpHomeHighSys: number;
  bpHomeHighDia: number;
  /** urgent at ≥ sys and/or ≥ dia */
  bpUrgentSys: number;
  bpUrgentDia: number;
  /** fasting glucose high at ≥ (mmol/L) */
  glucoseFastingHigh: number;
  /** after a meal or random glucose high at ≥ */
  glucoseRandomHigh: number;
  /** urgent at ≥ high or ≤ low */
  glucoseUrgentHigh: number;
  glucoseUrgentLow: number;
  /** heart rate high above, below low (/min) */
  hrHigh: number;
  hrLow: number;
  /** SpO2 high below, urgent at or below (%) */
  spo2High: number;
  spo2Urgent: number;
  /** temperature urgent above (°C) */
  tempUrgent: number;
  /** the trend rule: this many high readings of a kind within trendDays */
  trendCount: number;
  trendDays: number;
  /** the missing-reading rule: a hypertensive or diabetic patient silent this many days */
  missingDays: number;
}

export const defaultThresholds: Thresholds = {
  bpHighSys: 140,
  bpHighDia: 90,
  bpHomeHighSys: 135,
  bpHomeHighDia: 85,
  bpUrgentSys: 180,
  bpUrgentDia: 110,
  glucoseFastingHigh: 7.0,
  glucoseRandomHigh: 11.1,
  glucoseUrgentHigh: 16.7,
  glucoseUrgentLow: 3.9,
  hrHigh: 100,
  hrLow: 50,
  spo2High: 94,
  spo2Urgent: 92,
  tempUrgent: 39,
  trendCount: 3,
  trendDays: 7,
  missingDays: 7,
};

/** The thresholds in force for a patient: the defaults with the doctor's overrides. */
export function thresholdsWith(overrides: Partial<Thresholds> | null | undefined): Thresholds {
  return { ...defaultThresholds, ...(overrides ?? {}) };
}

export const isHome = (source: ReadingSource) => source === 'device' || source === 'portal';

/** How a reading stands against the thresholds. Hypoglycaemia counts as urgent. */
export function classify(kind: ReadingKind, v: Values, context: GlucoseContext | null, source: ReadingSource, t: Thresholds): Level {
  switch (kind) {
    case 'bp': {
      const sys = v.v1;
      const dia = v.v2 ?? 0;
      if (sys >= t.bpUrgentSys || dia >= t.bpUrgentDia) return 'urgent';
      const [hs, hd] = isHome(source) ? [t.bpHomeHighSys, t.bpHomeHighDia] : [t.bpHighSys, t.bpHighDia];
      if (sys >= hs || dia >= hd) return 'high';
      if (v.v3 != null && (v.v3 > t.hrHigh || v.v3 < t.hrLow)) return 'high';
      return 'normal';
    }
    case 'glucose': {
      if (v.v1 >= t.glucoseUrgentHigh || v.v1 <= t.glucoseUrgentLow) return 'urgent';
      const high = context === 'fasting' ? t.glucoseFastingHigh : t.glucoseRandomHigh;
      return v.v1 >= high ? 'high' : 'normal';
    }
    case 'hr':
      return v.v1 > t.hrHigh || v.v1 < t.hrLow ? 'high' : 'normal';
    case 'spo2':
      if (v.v1 <= t.spo2Urgent) return 'urgent';
      return v.v1 < t.spo2High ? 'high' : 'normal';
    case 'temp':
      return v.v1 > t.tempUrgent ? 'urgent' : 'normal';
    case 'weight':
      return 'normal';
  }
}

/** The bands a chart draws for a kind (stored units): [lower normal bound, high, urgent]. */
export function bandsOf(kind: ReadingKind, t: Thresholds) {
  switch (kind) {
    case 'bp':
      return { high: [t.bpHomeHighSys, t.bpHomeHighDia], officeHigh: [t.bpHighSys, t.bpHighDia], urgent: [t.bpUrgentSys, t.bpUrgentDia], low: [] as number[] };
    case 'glucose':
      return { high: [t.glucoseFastingHigh, t.glucoseRandomHigh], officeHigh: [] as number[], urgent: [t.glucoseUrgentHigh], low: [t.glucoseUrgentLow] };
    case 'hr':
      return { high: [t.hrHigh], officeHigh: [] as number[], urgent: [] as number[], low: [t.hrLow] };
    case 'spo2':
      return { high: [] as number[], officeHigh: [] as number[], urgent: [t.spo2Urgent], low: [t.spo2High] };
    case 'temp':
      return { high: [] as number[], officeHigh: [] as number[], urgent: [t.tempUrgent], low: [] as number[] };
    case 'weight':
      return { high: [] as number[], officeHigh: [] as number[], urgent: [] as number[], low: [] as number[] };
  }
}
