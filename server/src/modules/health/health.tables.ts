// The tables the health migration creates (0034_health), typed from the migrated schema with the
// enumerated columns narrowed.
import type { Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export const readingKinds = ['bp', 'glucose', 'hr', 'spo2', 'temp', 'weight'] as const;
export type ReadingKind = (typeof readingKinds)[number];
export const readingSources = ['device', 'portal', 'clinic', 'fhir'] as const;
export type ReadingSource = (typeof readingSources)[number];
export const glucoseContexts = ['fasting', 'after_meal', 'random'] as const;
export type GlucoseContext = (typeof glucoseContexts)[number];
export type Level = 'normal' | 'high' | 'urgent';
export type AlertSeverity = 'high' | 'urgent';
export type AlertStatus = 'open' | 'acknowledged' | 'closed';
export const alertActions = ['advice', 'call', 'visit', 'referral'] as const;
export type AlertAction = (typeof alertActions)[number] | 'resumed';
export const alertRules = ['bp', 'glucose', 'hr', 'spo2', 'temp', 'trend_bp', 'trend_glucose', 'missing'] as const;
export type AlertRule = (typeof alertRules)[number];
export const conditions = ['hypertension', 'diabetes'] as const;
export type Condition = (typeof conditions)[number];
export const packages = ['basic', 'elderly', 'chronic'] as const;
export const controls = ['satisfied', 'unsatisfied', 'adverse', 'complication'] as const;
export type Control = (typeof controls)[number];

export type HealthTables = ModuleTables<
  | 'health_institutions'
  | 'health_doctors'
  | 'health_teams'
  | 'health_team_members'
  | 'health_patients'
  | 'health_contracts'
  | 'health_viewers'
  | 'health_device_bindings'
  | 'health_readings'
  | 'health_thresholds'
  | 'health_alerts'
  | 'health_notes'
  | 'health_followups',
  {
    health_readings: { kind: ReadingKind; source: ReadingSource };
    health_alerts: { severity: AlertSeverity; status: AlertStatus; rule: AlertRule };
    health_contracts: { status: 'active' | 'ended'; signed_by: 'self' | 'guardian' };
    health_notes: { kind: 'advice' | 'assessment' };
    health_followups: { disease: Condition; control: Control };
  }
>;

export type InstitutionRow = Selectable<HealthTables['health_institutions']>;
export type DoctorRow = Selectable<HealthTables['health_doctors']>;
export type TeamRow = Selectable<HealthTables['health_teams']>;
export type PatientRow = Selectable<HealthTables['health_patients']>;
export type ContractRow = Selectable<HealthTables['health_contracts']>;
export type ReadingRow = Selectable<HealthTables['health_readings']>;
export type AlertRow = Selectable<HealthTables['health_alerts']>;
export type NoteRow = Selectable<HealthTables['health_notes']>;
export type FollowupRow = Selectable<HealthTables['health_followups']>;
