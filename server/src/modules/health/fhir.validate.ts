// What an incoming Observation must carry, after the R4 vital-signs profile
// (http://hl7.org/fhir/R4/vitalsigns.html): status; a category vital-signs
// (http://terminology.hl7.org/CodeSystem/observation-category); a code (here: one of the LOINC codes
// we take); subject Patient/<id>; effective[x] as a dateTime of at least a day or a Period; a
// valueQuantity in UCUM (system http://unitsofmeasure.org, code), or for the blood-pressure panel the
// components 8480-6 and 8462-4 with theirs — or instead a dataAbsentReason (vs-2), never both
// (obs-6). Every problem is an OperationOutcome issue with the element's FHIRPath.
import type { Lang } from '../../kernel/http/i18n.js';
import { normalise, unitsOf } from './health.units.js';
import type { ReadingKind } from './health.tables.js';
import { CODES, COUNTED, DIASTOLIC, LOINC, OBS_CATEGORY, STATUSES, SYSTOLIC, UCUM, issue, issuesOfFields, type Issue } from './fhir.map.js';

export interface ParsedObservation {
  patientId: string;
  kind: ReadingKind;
  code: string;
  status: string;
  /** a reading: a counted status with a value */
  counted: boolean;
  unit: string | null;
  value?: number;
  systolic?: number;
  diastolic?: number;
  pulse?: number;
  absent: string | null;
  ts: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const codings = (cc: unknown): Json[] => (isObj(cc) ? arr(cc.coding).filter(isObj) : []);

/** A FHIR dateTime / instant as ms: at least a day (vs-1); a bare date is midnight UTC. */
export function parseFhirDate(s: unknown): number | null {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(s)) return null;
  const ms = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isFinite(ms) ? ms : null;
}

function quantityOf(lang: Lang, q: unknown, at: string, issues: Issue[]): { value: number; unit: string } | null {
  if (!isObj(q)) return null;
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    issues.push(issue(lang, 'required', 'fhir.required', { element: `${at}.value` }, `${at}.value`));
    return null;
  }
  if (q.system !== UCUM || typeof q.code !== 'string' || !q.code) {
    issues.push(issue(lang, 'value', 'fhir.ucum_required', {}, `${at}.system`));
    return null;
  }
  return { value: q.value, unit: q.code };
}

function absentOf(v: unknown): string | null {
  if (!isObj(v)) return null;
  const c = codings(v)[0];
  return typeof c?.code === 'string' ? c.code : typeof v.text === 'string' ? 'unknown' : null;
}

/** Check an Observation; `at` prefixes expressions (e.g. "Bundle.entry[3].resource"). */
export function parseObservation(lang: Lang, r: unknown, at = 'Observation'): { ok: ParsedObservation } | { issues: Issue[] } {
  const issues: Issue[] = [];
  if (!isObj(r) || r.resourceType !== 'Observation') {
    return {
      issues: [
        issue(lang, 'invalid', 'fhir.wrong_type', { expected: 'Observation', got: isObj(r) ? String(r.resourceType ?? '') : typeof r }, `${at}.resourceType`),
      ],
    };
  }
  // status
  const status = r.status;
  if (typeof status !== 'string') issues.push(issue(lang, 'required', 'fhir.required', { element: 'status' }, `${at}.status`));
  else if (!STATUSES.includes(status)) issues.push(issue(lang, 'code-invalid', 'fhir.bad_status', { status }, `${at}.status`));
  // category vital-signs
  if (!arr(r.category).some((c) => codings(c).some((x) => x.system === OBS_CATEGORY && x.code === 'vital-signs'))) {
    issues.push(issue(lang, 'required', 'fhir.not_vital_signs', {}, `${at}.category`));
  }
  // code
  const loinc = codings(r.code).filter((c) => c.system === LOINC && typeof c.code === 'string' && CODES[c.code as string]);
  const code = loinc.length ? (loinc[0].code as string) : null;
  if (!isObj(r.code)) issues.push(issue(lang, 'required', 'fhir.required', { element: 'code' }, `${at}.code`));
  else if (!code) issues.push(issue(lang, 'not-supported', 'fhir.code_unsupported', { codes: Object.keys(CODES).join(', ') }, `${at}.code`));
  // subject
  const ref = isObj(r.subject) ? r.subject.reference : undefined;
  const m = typeof ref === 'string' ? /^(?:.*\/)?Patient\/([A-Za-z0-9\-._]{1,64})$/.exec(ref) : null;
  if (!isObj(r.subject)) issues.push(issue(lang, 'required', 'fhir.required', { element: 'subject' }, `${at}.subject`));
  else if (!m) issues.push(issue(lang, 'value', 'fhir.subject_ref', {}, `${at}.subject.reference`));
  // effective[x]
  let ts: number | null = null;
  if (r.effectiveDateTime !== undefined || r.effectiveInstant !== undefined) ts = parseFhirDate(r.effectiveDateTime ?? r.effectiveInstant);
  else if (isObj(r.effectivePeriod)) ts = parseFhirDate(r.effectivePeriod.start ?? r.effectivePeriod.end);
  if (ts == null) {
    const given = r.effectiveDateTime !== undefined || r.effectivePeriod !== undefined || r.effectiveInstant !== undefined;
    issues.push(issue(lang, given ? 'value' : 'required', 'fhir.effective', {}, `${at}.effective`));
  }
  if (!code || issues.length) return { issues };

  const info = CODES[code];
  const absent = absentOf(r.dataAbsentReason);
  const out: ParsedObservation = { patientId: m![1], kind: info.kind, code, status: status as string, counted: false, unit: null, absent, ts: ts! };
  if (info.kind === 'bp') {
    const comps = arr(r.component).filter(isObj);
    const find = (c: string) => comps.findIndex((x) => codings(x.code).some((y) => y.system === LOINC && y.code === c));
    const values: Record<string, number> = {};
    let anyAbsent = !!absent;
    for (const [name, c] of [
      ['systolic', SYSTOLIC],
      ['diastolic', DIASTOLIC],
      ['pulse', '8867-4'],
    ] as const) {
      const i = find(c);
      if (i < 0) {
        if (name !== 'pulse' && !absent) issues.push(issue(lang, 'required', 'fhir.component_missing', { code: c }, `${at}.component`));
        continue;
      }
      const comp = comps[i];
      const cat = `${at}.component[${i}]`;
      if (comp.valueQuantity !== undefined && comp.dataAbsentReason !== undefined) issues.push(issue(lang, 'invariant', 'fhir.value_and_absent', {}, cat));
      if (comp.valueQuantity === undefined) {
        if (comp.dataAbsentReason !== undefined) anyAbsent = true;
        else if (name !== 'pulse') issues.push(issue(lang, 'required', 'fhir.value_missing', {}, `${cat}.value`));
        continue;
      }
      const q = quantityOf(lang, comp.valueQuantity, `${cat}.valueQuantity`, issues);
      if (!q) continue;
      if (name === 'pulse') {
        if (q.unit === '/min' || q.unit === '{beats}/min') values.pulse = q.value;
        continue;
      }
      if (out.unit && out.unit !== q.unit) issues.push(issue(lang, 'value', 'fhir.units_differ', {}, `${cat}.valueQuantity.code`));
      out.unit = q.unit;
      values[name] = q.value;
    }
    if (issues.length) return { issues };
    if (values.systolic != null && values.diastolic != null) {
      Object.assign(out, values);
    } else if (!anyAbsent) {
      return { issues: [issue(lang, 'required', 'fhir.value_missing', {}, `${at}.component`)] };
    } else {
      out.systolic = values.systolic;
      out.diastolic = values.diastolic;
      out.absent = out.absent ?? 'unknown';
    }
  } else {
    if (r.valueQuantity !== undefined && r.dataAbsentReason !== undefined) return { issues: [issue(lang, 'invariant', 'fhir.value_and_absent', {}, at)] };
    if (r.valueQuantity === undefined) {
      const other = Object.keys(r).find((k) => k.startsWith('value'));
      if (other) return { issues: [issue(lang, 'value', 'fhir.quantity_required', { element: other }, `${at}.${other}`)] };
      if (!absent) return { issues: [issue(lang, 'required', 'fhir.value_missing', {}, `${at}.value`)] };
    } else {
      const q = quantityOf(lang, r.valueQuantity, `${at}.valueQuantity`, issues);
      if (!q) return { issues };
      out.unit = q.unit;
      out.value = q.value;
    }
  }
  // unit and plausibility, with the health module's own checks
  const hasValue = out.value != null || (out.systolic != null && out.diastolic != null);
  if (hasValue && out.unit) {
    const expr = info.kind === 'bp' ? `${at}.component` : `${at}.valueQuantity`;
    if (!unitsOf(info.kind).includes(out.unit) || (info.units && !info.units.includes(out.unit))) {
      return {
        issues: [
          issue(lang, 'code-invalid', 'fhir.unit_unsupported', { unit: out.unit, code, units: (info.units ?? unitsOf(info.kind)).join(', ') }, `${expr}.code`),
        ],
      };
    }
    const n = normalise(info.kind, out.unit, out);
    if ('errors' in n) return { issues: issuesOfFields(lang, n.errors, () => expr) };
  }
  out.counted = hasValue && COUNTED.has(out.status) && !out.absent;
  return { ok: out };
}
