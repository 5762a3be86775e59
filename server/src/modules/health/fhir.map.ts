// FHIR R4 ↔ health readings: the LOINC codes of the vital signs we take, the OperationOutcome of an
// error, and the resources we answer with (Observation, Patient, Bundle). Hand-written: the few
// resources and codes this needs are smaller than any FHIR object-model library.
import type { Lang } from '../../kernel/http/i18n.js';
import { t } from '../../kernel/http/i18n.js';
import type { FieldError } from '../../kernel/http/errors.js';
import type { ReadingView } from './health.readings.js';
import type { ReadingKind } from './health.tables.js';
import type { FhirObservationRow } from './fhir.store.js';
import { fromCanonical } from './health.units.js';

export const FHIR_JSON = 'application/fhir+json';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const VITALSIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

/** Glucose codes and the property their unit must have (mass vs substance concentration). */
export interface CodeInfo {
  kind: ReadingKind;
  display: string;
  /** the UCUM units that fit the code (a subset of what the kind converts) */
  units?: string[];
}
export const CODES: Record<string, CodeInfo> = {
  '85354-9': { kind: 'bp', display: 'Blood pressure panel with all children optional' },
  '8867-4': { kind: 'hr', display: 'Heart rate' },
  '59408-5': { kind: 'spo2', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  '2708-6': { kind: 'spo2', display: 'Oxygen saturation in Arterial blood' },
  '8310-5': { kind: 'temp', display: 'Body temperature' },
  '29463-7': { kind: 'weight', display: 'Body weight' },
  '2339-0': { kind: 'glucose', display: 'Glucose [Mass/volume] in Blood', units: ['mg/dL'] },
  '15074-8': { kind: 'glucose', display: 'Glucose [Moles/volume] in Blood', units: ['mmol/L'] },
  '41653-7': { kind: 'glucose', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer', units: ['mg/dL'] },
  '2345-7': { kind: 'glucose', display: 'Glucose [Mass/volume] in Serum or Plasma', units: ['mg/dL'] },
};
export const SYSTOLIC = '8480-6';
export const DIASTOLIC = '8462-4';
/** The code a reading of another source is exported with. */
export const EXPORT_CODE: Record<ReadingKind, string> = { bp: '85354-9', hr: '8867-4', spo2: '2708-6', temp: '8310-5', weight: '29463-7', glucose: '15074-8' };
/** Statuses whose value is a reading (charted, alerting); the others are kept but not counted. */
export const COUNTED = new Set(['final', 'amended', 'corrected', 'preliminary']);
export const STATUSES = ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'];

// ---------- OperationOutcome ----------
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'code-invalid'
  | 'not-supported'
  | 'not-found'
  | 'processing'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'exception'
  | 'invariant'
  | 'throttled'
  | 'too-costly';
export interface Issue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueCode;
  diagnostics: string;
  expression?: string[];
}
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Issue[];
}
export const outcome = (issue: Issue[]): OperationOutcome => ({ resourceType: 'OperationOutcome', issue });
/** An issue whose text is ours, in the request's language. */
export const issue = (lang: Lang, code: IssueCode, msg: string, params: Record<string, unknown> = {}, expression?: string): Issue => ({
  severity: 'error',
  code,
  diagnostics: t(lang, msg, params),
  ...(expression ? { expression: [expression] } : {}),
});

/** An error a FHIR route answers with an OperationOutcome. */
export class FhirError extends Error {
  constructor(
    public status: number,
    public issues: Issue[],
  ) {
    super(issues[0]?.diagnostics ?? 'fhir error');
  }
}

/** The health module's field errors (implausible values…) as issues at an element of the resource. */
export function issuesOfFields(lang: Lang, fields: FieldError[], at: (field: string) => string): Issue[] {
  return fields.map((f) => ({ severity: 'error', code: 'value', diagnostics: f.message ?? t(lang, f.code, f.params), expression: [at(f.field)] }));
}

// ---------- resources ----------
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });
const coding = (code: string) => ({
  system: LOINC,
  code,
  display: CODES[code]?.display ?? (code === SYSTOLIC ? 'Systolic blood pressure' : 'Diastolic blood pressure'),
});
const vitalCategory = [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }];

/** The codings of an Observation: the code it came with first, and for SpO2 both codes of the profile. */
function codingsOf(kind: ReadingKind, code: string) {
  const codes = [code];
  if (kind === 'spo2') for (const c of ['2708-6', '59408-5']) if (!codes.includes(c)) codes.push(c);
  return codes.map(coding);
}

/**
 * A reading (with its FHIR side when it came through FHIR) as an Observation. Values are given in
 * the unit they were sent in when there is one, otherwise in the stored unit.
 */
export function observationOf(r: ReadingView, patientId: string, side?: FhirObservationRow): Record<string, unknown> {
  const code = side?.code ?? EXPORT_CODE[r.kind];
  const unit = side?.unit ?? r.unit;
  const conv = (v: number) => {
    const x = unit === r.unit ? v : fromCanonical(r.kind, unit, v);
    return x == null ? v : round(x, 2);
  };
  const base: Record<string, unknown> = {
    resourceType: 'Observation',
    id: r.id,
    meta: { profile: [VITALSIGNS_PROFILE] },
    status: side?.status ?? 'final',
    category: vitalCategory,
    code: { coding: codingsOf(r.kind, code) },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: r.ts,
  };
  if (r.kind === 'bp') {
    const sys = side?.value1 ?? conv(r.value);
    const dia = side?.value2 ?? conv(r.diastolic ?? 0);
    base.component = [
      { code: { coding: [coding(SYSTOLIC)] }, valueQuantity: quantity(sys, unit === 'mmHg' ? 'mm[Hg]' : unit) },
      { code: { coding: [coding(DIASTOLIC)] }, valueQuantity: quantity(dia, unit === 'mmHg' ? 'mm[Hg]' : unit) },
      ...(r.pulse != null ? [{ code: { coding: [coding('8867-4')] }, valueQuantity: quantity(r.pulse, '/min') }] : []),
    ];
  } else {
    base.valueQuantity = quantity(side?.value1 ?? conv(r.value), unit);
  }
  return base;
}

/** An Observation kept without a reading (cancelled, entered in error, no value). */
export function observationOfSide(s: FhirObservationRow): Record<string, unknown> {
  const kind = CODES[s.code]?.kind ?? 'hr';
  const base: Record<string, unknown> = {
    resourceType: 'Observation',
    id: s.id,
    meta: { profile: [VITALSIGNS_PROFILE] },
    status: s.status,
    category: vitalCategory,
    code: { coding: codingsOf(kind, s.code) },
    subject: { reference: `Patient/${s.patient_id}` },
    effectiveDateTime: new Date(s.ts).toISOString(),
  };
  const absent = s.absent ? { dataAbsentReason: { coding: [{ system: DATA_ABSENT, code: s.absent }] } } : {};
  if (kind === 'bp') {
    base.component = [
      { code: { coding: [coding(SYSTOLIC)] }, ...(s.value1 != null ? { valueQuantity: quantity(s.value1, s.unit ?? 'mm[Hg]') } : absent) },
      { code: { coding: [coding(DIASTOLIC)] }, ...(s.value2 != null ? { valueQuantity: quantity(s.value2, s.unit ?? 'mm[Hg]') } : absent) },
    ];
    if (s.value1 == null && s.absent) Object.assign(base, absent);
  } else if (s.value1 != null) base.valueQuantity = quantity(s.value1, s.unit ?? '');
  else Object.assign(base, absent);
  return base;
}

export function patientOf(id: string, person?: { name: string; birthDate: string | null; gender: string } | null): Record<string, unknown> {
  const gender = person?.gender === 'M' || person?.gender === 'male' ? 'male' : person?.gender === 'F' || person?.gender === 'female' ? 'female' : 'unknown';
  return {
    resourceType: 'Patient',
    id,
    active: true,
    ...(person ? { name: [{ text: person.name }], gender, ...(person.birthDate ? { birthDate: person.birthDate } : {}) } : {}),
  };
}

export function searchset(base: string, resources: Record<string, unknown>[], mode: (r: Record<string, unknown>) => 'match' | 'include' = () => 'match') {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.filter((r) => mode(r) === 'match').length,
    entry: resources.map((r) => ({ fullUrl: `${base}/${String(r.resourceType)}/${String(r.id)}`, resource: r, search: { mode: mode(r) } })),
  };
}
