// Readings: the one place a reading is recorded (devices, the portal, the clinic and — later —
// FHIR import all call recordReading) and the one place a patient's readings are listed.
import type { Kernel } from '../../kernel/index.js';
import { invalid } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { READING_RECORDED } from './health.events.js';
import { classify, thresholdsWith, type Thresholds } from './health.thresholds.js';
import { normalise } from './health.units.js';
import { healthOf } from './health.context.js';
import type { GlucoseContext, Level, ReadingKind, ReadingRow, ReadingSource } from './health.tables.js';

export interface RecordReadingInput {
  /** the pseudonymous patient id (health_patients.id) */
  patientId: string;
  kind: ReadingKind;
  /** UCUM unit of the given values (default: the kind's stored unit) */
  unit?: string;
  value?: number;
  systolic?: number;
  diastolic?: number;
  pulse?: number;
  context?: GlucoseContext;
  /** when it was measured (ms since the epoch; default now) */
  ts?: number;
  source: ReadingSource;
  deviceId?: string | null;
}

export interface ReadingView {
  id: string;
  kind: ReadingKind;
  ts: string;
  value: number;
  diastolic: number | null;
  pulse: number | null;
  unit: string;
  context: GlucoseContext | null;
  source: ReadingSource;
  level: Level;
  /** the team saw it (health-data consent in force when it was taken) */
  shared: boolean;
}

const units: Record<ReadingKind, string> = { bp: 'mm[Hg]', glucose: 'mmol/L', hr: '/min', spo2: '%', temp: 'Cel', weight: 'kg' };

export const readingView = (r: ReadingRow): ReadingView => ({
  id: r.id,
  kind: r.kind,
  ts: new Date(Number(r.ts)).toISOString(),
  value: r.v1,
  diastolic: r.v2,
  pulse: r.v3,
  unit: units[r.kind],
  context: (r.context as GlucoseContext | null) ?? null,
  source: r.source,
  level: r.level as Level,
  shared: Number(r.shared) === 1,
});

/** The thresholds in force for a patient (defaults + the doctor's overrides). */
export async function patientThresholds(k: Kernel, patientId: string): Promise<Thresholds> {
  const row = await healthOf(k).repo.thresholds(patientId);
  return thresholdsWith(row ? (JSON.parse(row.params) as Partial<Thresholds>) : null);
}

/**
 * Record a reading of a patient: converts to stored units, refuses implausible values (422 with
 * field errors in the caller's language), classifies it against the patient's thresholds and,
 * when the health-data consent is in force and a contract is active, lets it reach the team and
 * raise alerts. Returns the stored reading.
 */
export async function recordReading(k: Kernel, input: RecordReadingInput): Promise<ReadingView> {
  const h = healthOf(k);
  const n = normalise(input.kind, input.unit, input);
  if ('errors' in n) throw invalid(n.errors);
  let context: GlucoseContext | null = null;
  if (input.kind === 'glucose') {
    if (!input.context && (input.source === 'portal' || input.source === 'clinic')) throw invalid([{ field: 'context', code: 'health.context_missing' }]);
    context = input.context ?? 'random';
  }
  const patient = await h.repo.patient(input.patientId);
  if (!patient) throw invalid([{ field: 'patientId', code: 'health.patient_not_found' }]);
  const contract = await h.repo.activeContract(patient.id);
  const shared = patient.consent === 1 && !!contract;
  const t = await patientThresholds(k, patient.id);
  const level = classify(input.kind, n.values, context, input.source, t);
  const now = k.clock.now();
  const row: ReadingRow = {
    id: newId('hrd'),
    patient_id: patient.id,
    kind: input.kind,
    ts: input.ts ?? now.getTime(),
    v1: n.values.v1,
    v2: n.values.v2,
    v3: n.values.v3,
    context,
    source: input.source,
    device_id: input.deviceId ?? null,
    shared: shared ? 1 : 0,
    level,
    created_at: now.toISOString(),
  };
  // only a reading that may raise an urgent alert needs to know whom to tell
  const to = shared && contract && level === 'urgent' ? await h.alerts.recipients(patient, contract.team_id) : null;
  await k.outbox.transaction(async (tx) => {
    await h.repo.insertReading(row, tx);
    await h.repo.touchPatient(patient.id, row.ts, tx);
    await k.outbox.add(tx, READING_RECORDED, {
      readingId: row.id,
      patientId: patient.id,
      kind: row.kind,
      source: row.source,
      ts: row.ts,
      level,
      shared,
    });
    if (shared && contract) await h.alerts.onReading(tx, patient, contract.team_id, row, t, to);
  });
  return readingView(row);
}

/**
 * A patient's readings, newest first. `sharedOnly` for the team: readings taken while consent was
 * withdrawn never reach it. Callers check access first (Patients.access).
 */
export async function listReadings(
  k: Kernel,
  patientId: string,
  f: { kind?: ReadingKind; sinceMs?: number; untilMs?: number; sharedOnly?: boolean; limit?: number } = {},
): Promise<ReadingView[]> {
  return (await healthOf(k).repo.readings(patientId, f)).map(readingView);
}
