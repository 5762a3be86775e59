// FHIR R4 (4.0.1) on the health module, at /fhir/r4, in application/fhir+json (application/json is
// accepted too): the CapabilityStatement, batch and transaction Bundles of vital-signs
// Observations, a single Observation create, Observation read and search, Patient read and search,
// and Patient/$everything. Who may see or add what is the health module's rule (Patients.access):
// the doctors of the team holding the active contract (readings taken under consent only), the
// resident, the family the resident named (read only). Every doctor's read of a patient's data is
// audited like the workbench's ("who looked at my data"). Errors are OperationOutcome.
//
// How a client learns the Patient id: the pseudonymous patient id is the FHIR Patient id (never an
// ID number). `GET /fhir/r4/Patient` answers the patients the caller may reach — the resident's own
// record and those who named them as family; a doctor's contracted patients — and
// `identifier=urn:linli:resident|<resident record id>` narrows it to one resident (for a client that
// knows the registry's resident id; it finds only patients the caller may reach).
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { registerMessages, type Lang } from '../../kernel/http/i18n.js';
import { documentedBody } from '../../kernel/http/contract.js';
import { newId } from '../../kernel/ids.js';
import { healthOf } from './health.context.js';
import { listReadings, recordReading, type ReadingView } from './health.readings.js';
import type { PatientAccess } from './health.access.js';
import type { ReadingKind } from './health.tables.js';
import { FhirStore, type FhirObservationRow } from './fhir.store.js';
import { parseObservation, parseFhirDate, type ParsedObservation } from './fhir.validate.js';
import {
  CODES,
  FHIR_JSON,
  FhirError,
  VITALSIGNS_PROFILE,
  issue,
  issuesOfFields,
  observationOf,
  observationOfSide,
  outcome,
  patientOf,
  searchset,
  type Issue,
} from './fhir.map.js';
import { fhirMessages } from './fhir.messages.js';

const tags = ['fhir'];
const BASE = '/fhir/r4';
export const RESIDENT_SYSTEM = 'urn:linli:resident';

// permissive schemas: FHIR resources are checked by the handlers (OperationOutcome), not by fastify
const Resource = Type.Unsafe<Record<string, unknown>>(
  Type.Object({ resourceType: Type.String() }, { additionalProperties: true, description: 'a FHIR R4 resource' }),
);
const OperationOutcome = Type.Object(
  {
    resourceType: Type.Literal('OperationOutcome'),
    issue: Type.Array(
      Type.Object(
        {
          severity: Type.String(),
          code: Type.String(),
          diagnostics: Type.Optional(Type.String()),
          expression: Type.Optional(Type.Array(Type.String())),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true, description: 'FHIR OperationOutcome; diagnostics in the request language' },
);
const BundleSchema = Type.Unsafe<Record<string, unknown>>(
  Type.Object(
    {
      resourceType: Type.Literal('Bundle'),
      type: Type.String(),
      total: Type.Optional(Type.Integer({ minimum: 0 })),
      entry: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
    },
    { additionalProperties: true },
  ),
);
const errors = { '4xx': OperationOutcome, '5xx': OperationOutcome };
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const StrOrList = Type.Union([Type.String(), Type.Array(Type.String())]);
const ObservationQuery = Type.Object(
  {
    patient: Type.Optional(Type.String()),
    subject: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    date: Type.Optional(StrOrList),
    status: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
const PatientQuery = Type.Object(
  { identifier: Type.Optional(Type.String()), _id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) },
  { additionalProperties: true },
);
const EverythingQuery = Type.Object({ start: Type.Optional(Type.String()), end: Type.Optional(Type.String()) }, { additionalProperties: true });

const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
const CREATED = '201 Created';

/** The requested date range of a FHIR date search value (ge/gt/le/lt/eq with the value's precision). */
function dateRange(lang: Lang, v: string): { since?: number; until?: number } {
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4}(-\d{2}(-\d{2}(T.+)?)?)?)$/.exec(v);
  const bad = () => new FhirError(400, [issue(lang, 'invalid', 'fhir.bad_param', { name: 'date', value: v }, 'date')]);
  if (!m || !['eq', 'gt', 'lt', 'ge', 'le', undefined].includes(m[1])) throw bad();
  const s = m[2];
  const start = s.length === 4 ? Date.parse(`${s}-01-01T00:00:00Z`) : s.length === 7 ? Date.parse(`${s}-01T00:00:00Z`) : parseFhirDate(s);
  if (start == null || !Number.isFinite(start)) throw bad();
  const d = new Date(start);
  const end =
    s.length === 4
      ? Date.UTC(d.getUTCFullYear() + 1, 0, 1) - 1
      : s.length === 7
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1
        : s.length === 10
          ? start + 86_400_000 - 1
          : start;
  switch (m[1]) {
    case 'ge':
      return { since: start };
    case 'gt':
      return { since: end + 1 };
    case 'le':
      return { until: end };
    case 'lt':
      return { until: start - 1 };
    default:
      return { since: start, until: end };
  }
}

/** The patient id of a `patient` / `subject` search value (Patient/x or x). */
const patientParam = (v: string) => v.replace(/^.*Patient\//, '');

export function registerFhirRoutes(app: App, k: Kernel) {
  registerMessages(fhirMessages);
  const h = healthOf(k);
  const store = new FhirStore(k);
  const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}${BASE}`;

  /** Read access to a patient (404 as OperationOutcome otherwise), audited for doctors. */
  async function readAccess(req: FastifyRequest, actor: Actor, patientId: string, what: string): Promise<PatientAccess> {
    const a = await h.patients.access(actor, patientId, 'read');
    await h.patients.auditView(actor, a, what, req.ip);
    return a;
  }
  /** Who may add readings: the resident for themselves, the treating doctor; family only read. */
  async function writeAccess(actor: Actor, patientId: string): Promise<PatientAccess> {
    const a = await h.patients.access(actor, patientId, 'read');
    if (a.as === 'family') throw new AppError(403, 'auth.forbidden');
    return a.as === 'doctor' ? h.patients.access(actor, patientId, 'treat') : a;
  }

  /** The Observations of a patient the accessor may see, newest first. */
  async function observations(a: PatientAccess, f: { kinds?: ReadingKind[]; sinceMs?: number; untilMs?: number }) {
    const kinds = f.kinds?.length ? [...new Set(f.kinds)] : [undefined];
    const readings: ReadingView[] = [];
    for (const kind of kinds)
      readings.push(...(await listReadings(k, a.patient.id, { kind, sinceMs: f.sinceMs, untilMs: f.untilMs, sharedOnly: a.as === 'doctor' })));
    const sides = await store.ofPatient(a.patient.id, { sinceMs: f.sinceMs, untilMs: f.untilMs });
    const byReading = new Map(sides.filter((s) => s.reading_id).map((s) => [s.reading_id!, s]));
    const out: { ts: number; r: Record<string, unknown> }[] = readings.map((r) => ({
      ts: Date.parse(r.ts),
      r: observationOf(r, a.patient.id, byReading.get(r.id)),
    }));
    // kept without a reading: cancelled, entered in error, no value (the team sees them only while consent is in force)
    if (a.as !== 'doctor' || a.patient.consent === 1) {
      for (const s of sides) if (!s.reading_id && (!f.kinds?.length || f.kinds.includes(CODES[s.code]?.kind))) out.push({ ts: s.ts, r: observationOfSide(s) });
    }
    return out.sort((x, y) => y.ts - x.ts).map((x) => x.r);
  }

  /** Record checked Observations (all accessible); returns each one's stored resource. */
  async function record(actor: Actor, items: { p: ParsedObservation; a: PatientAccess }[]): Promise<Record<string, unknown>[]> {
    const now = k.clock.now().toISOString();
    const sides: FhirObservationRow[] = [];
    const out: Record<string, unknown>[] = [];
    for (const { p, a } of items) {
      let reading: ReadingView | null = null;
      if (p.counted) {
        reading = await recordReading(k, {
          patientId: a.patient.id,
          kind: p.kind,
          unit: p.unit ?? undefined,
          value: p.value,
          systolic: p.systolic,
          diastolic: p.diastolic,
          pulse: p.pulse,
          ts: p.ts,
          source: 'fhir',
        });
      }
      const side: FhirObservationRow = {
        id: reading?.id ?? newId('hfo'),
        patient_id: a.patient.id,
        reading_id: reading?.id ?? null,
        status: p.status,
        code: p.code,
        unit: p.unit,
        value1: p.kind === 'bp' ? (p.systolic ?? null) : (p.value ?? null),
        value2: p.kind === 'bp' ? (p.diastolic ?? null) : null,
        absent: p.absent,
        ts: p.ts,
        created_at: now,
      };
      sides.push(side);
      out.push(reading ? observationOf(reading, a.patient.id, side) : observationOfSide(side));
    }
    await store.insert(sides);
    // one audit entry per patient a doctor added readings to
    const seen = new Set<string>();
    for (const { a } of items) {
      if (a.as !== 'doctor' || seen.has(a.patient.id)) continue;
      seen.add(a.patient.id);
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'health.reading.fhir',
        targetType: 'HealthRecord',
        targetId: null,
        scopePath: a.patient.place_path,
        subjectResidentId: a.residentId,
        detail: { count: items.filter((i) => i.a.patient.id === a.patient.id).length },
      });
    }
    return out;
  }

  /** Check one Observation and its patient; issues carry the HTTP status they fail with. */
  type Good = { p: ParsedObservation; a: PatientAccess };
  type Bad = { status: number; issues: Issue[] };
  type Checked = Good | Bad;
  const isBad = (c: Checked): c is Bad => 'issues' in c;
  async function check(lang: Lang, actor: Actor, r: unknown, at: string, cache: Map<string, Promise<PatientAccess>>): Promise<Checked> {
    const parsed = parseObservation(lang, r, at);
    if ('issues' in parsed) return { status: 422, issues: parsed.issues };
    const id = parsed.ok.patientId;
    let pa = cache.get(id);
    if (!pa) cache.set(id, (pa = writeAccess(actor, id)));
    try {
      return { p: parsed.ok, a: await pa };
    } catch (err) {
      if (err instanceof AppError && err.status === 403) return { status: 403, issues: [issue(lang, 'forbidden', 'fhir.forbidden', {}, `${at}.subject`)] };
      if (err instanceof AppError && err.status === 404)
        return { status: 404, issues: [issue(lang, 'not-found', 'fhir.patient_not_found', { id }, `${at}.subject`)] };
      throw err;
    }
  }

  app.register(async (plain: FastifyInstance) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(FHIR_JSON, { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        const err = new SyntaxError('bad json');
        done(err, undefined);
      }
    });

    // 406 for an Accept we cannot answer; the answer is application/fhir+json unless plain JSON was asked for
    scope.addHook('onRequest', async (req) => {
      const accept = String(req.headers.accept ?? '').toLowerCase();
      const q = req.query as Record<string, string> | undefined;
      const fmt = q?._format;
      if (fmt && !['json', 'application/json', FHIR_JSON].includes(fmt))
        throw new FhirError(406, [issue(req.lang, 'not-supported', 'fhir.not_acceptable', {}, '_format')]);
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      if (req.method === 'POST' && type && !/^application\/(fhir\+)?json\b/.test(type))
        throw new FhirError(415, [issue(req.lang, 'not-supported', 'fhir.unsupported_media_type')]);
      if (accept && !/(application\/(fhir\+)?json|\*\/\*|application\/\*)/.test(accept))
        throw new FhirError(406, [issue(req.lang, 'not-supported', 'fhir.not_acceptable')]);
    });
    // FHIR resources are open objects: plain JSON.stringify is faster than a schema serializer that
    // falls back to it per property (the response is still checked against its schema in tests)
    scope.addHook('preHandler', async (_req, reply) => {
      reply.serializer((payload: unknown) => JSON.stringify(payload));
    });
    scope.addHook('onSend', async (req, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type || type.startsWith('application/json') || type.startsWith('application/problem+json')) {
        const accept = String(req.headers.accept ?? '').toLowerCase();
        const plain = accept.includes('application/json') && !accept.includes('fhir+json');
        reply.header('content-type', `${plain ? 'application/json' : FHIR_JSON}; charset=utf-8`);
      }
      return payload;
    });

    scope.setErrorHandler(
      (err: Error & Partial<AppError> & { code?: string; validation?: unknown; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
        const lang = req.lang ?? 'zh-CN';
        const send = (status: number, issues: Issue[]) => reply.status(status).type(`${FHIR_JSON}; charset=utf-8`).send(outcome(issues));
        if (err instanceof FhirError) return send(err.status, err.issues);
        if (err instanceof AppError) {
          if (err.status === 401) return send(401, [issue(lang, 'login', 'auth.required')]);
          if (err.status === 403) return send(403, [issue(lang, 'forbidden', err.code ?? 'auth.forbidden')]);
          if (err.status === 404) return send(404, [issue(lang, 'not-found', err.code ?? 'http.not_found')]);
          if (err.status === 422 && err.fields?.length)
            return send(
              422,
              issuesOfFields(lang, err.fields, (f) => f),
            );
          if (err.status === 429) return send(429, [issue(lang, 'throttled', 'http.rate_limited', err.params)]);
          return send(err.status, [issue(lang, 'processing', err.code ?? 'validation.invalid', err.params)]);
        }
        if (err.validation) return send(400, [issue(lang, 'invalid', 'fhir.bad_request', { detail: err.message })]);
        if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(415, [issue(lang, 'not-supported', 'fhir.unsupported_media_type')]);
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(413, [issue(lang, 'too-costly', 'http.payload_too_large')]);
        if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
          return send(400, [issue(lang, 'structure', 'fhir.bad_json')]);
        if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
          return send(err.statusCode, [issue(lang, 'invalid', 'fhir.bad_request', { detail: err.message })]);
        req.log.error({ err }, 'fhir: unhandled error');
        return send(500, [{ severity: 'fatal', code: 'exception', diagnostics: 'internal error' }]);
      },
    );

    const user = { auth: 'user' as const };
    const body = (schema = Resource) => documentedBody({ [FHIR_JSON]: schema, 'application/json': schema });
    const lang = (req: FastifyRequest) => req.lang;
    const actorOf = (req: FastifyRequest): Actor => {
      if (!req.actor) throw new AppError(401, 'auth.required');
      return req.actor;
    };

    scope.get(
      `${BASE}/metadata`,
      { config: { auth: 'public' }, schema: { tags, summary: 'FHIR CapabilityStatement (R4 4.0.1)', response: { 200: Resource, ...errors } } },
      async (req) => capabilityStatement(baseUrl(req), k.clock.now().toISOString()),
    );

    scope.post(
      `${BASE}/Observation`,
      { config: { ...user, ...body() }, schema: { tags, summary: 'Create a vital-signs Observation', response: { 201: Resource, ...errors } } },
      async (req, reply) => {
        const actor = actorOf(req);
        const r = await check(lang(req), actor, req.body, 'Observation', new Map());
        if (isBad(r)) throw new FhirError(r.status, r.issues);
        const [created] = await record(actor, [r]);
        return reply
          .status(201)
          .header('location', `${baseUrl(req)}/Observation/${String(created.id)}/_history/1`)
          .send(created);
      },
    );

    scope.post(
      BASE,
      {
        config: { ...user, ...body() },
        schema: {
          tags,
          summary: 'A batch or transaction Bundle of vital-signs Observations (transaction: all or nothing)',
          response: { 200: BundleSchema, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const l = lang(req);
        const b = req.body as Record<string, unknown> | null;
        if (!b || typeof b !== 'object' || b.resourceType !== 'Bundle')
          throw new FhirError(400, [issue(l, 'invalid', 'fhir.wrong_type', { expected: 'Bundle', got: String(b?.resourceType ?? '') }, 'Bundle.resourceType')]);
        if (b.type !== 'batch' && b.type !== 'transaction')
          throw new FhirError(422, [issue(l, 'value', 'fhir.bundle_type', { type: String(b.type) }, 'Bundle.type')]);
        const entries = Array.isArray(b.entry) ? (b.entry as Record<string, unknown>[]) : [];
        const cache = new Map<string, Promise<PatientAccess>>();
        const checked: Checked[] = [];
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i] ?? {};
          const at = `Bundle.entry[${i}]`;
          const rq = (e.request ?? {}) as Record<string, unknown>;
          if (e.request !== undefined && (rq.method !== 'POST' || !/^(.*\/)?Observation\/?$/.test(String(rq.url ?? '')))) {
            checked.push({ status: 422, issues: [issue(l, 'not-supported', 'fhir.bundle_entry', {}, `${at}.request`)] });
            continue;
          }
          checked.push(await check(l, actor, e.resource, `${at}.resource`, cache));
        }
        if (b.type === 'transaction') {
          const failed = checked.filter(isBad);
          if (failed.length) {
            const status = Math.max(...failed.map((f) => f.status));
            throw new FhirError(status === 403 || status === 404 ? status : 422, [
              issue(l, 'processing', 'fhir.transaction_failed', { count: failed.length }),
              ...failed.flatMap((f) => f.issues),
            ]);
          }
          const created = await record(
            actor,
            checked.filter((c): c is Good => !isBad(c)),
          );
          return {
            resourceType: 'Bundle',
            type: 'transaction-response',
            entry: created.map((r, i) => ({
              ...(entries[i]?.fullUrl ? { fullUrl: entries[i].fullUrl } : {}),
              response: { status: CREATED, location: `Observation/${String(r.id)}/_history/1` },
              resource: r,
            })),
          };
        }
        // batch: each entry on its own
        const response: Record<string, unknown>[] = [];
        for (const c of checked) {
          if (isBad(c)) {
            response.push({ response: { status: String(c.status), outcome: outcome(c.issues) } });
            continue;
          }
          try {
            const [r] = await record(actor, [c]);
            response.push({ response: { status: CREATED, location: `Observation/${String(r.id)}/_history/1` }, resource: r });
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            response.push({ response: { status: String(err.status), outcome: outcome(issuesOfFields(l, err.fields, (f) => f)) } });
          }
        }
        return { resourceType: 'Bundle', type: 'batch-response', entry: response };
      },
    );

    scope.get(
      `${BASE}/Observation`,
      {
        config: user,
        schema: {
          tags,
          summary: 'Search Observations: patient (required), code, date (ge/le/gt/lt/eq), status',
          querystring: ObservationQuery,
          response: { 200: BundleSchema, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const l = lang(req);
        const q = req.query;
        const pid = q.patient ?? q.subject;
        if (!pid) throw new FhirError(400, [issue(l, 'required', 'fhir.patient_param', {}, 'patient')]);
        const codes = (q.code ?? '')
          .split(',')
          .map((c) => c.trim().replace(/^http:\/\/loinc\.org\|/, ''))
          .filter(Boolean);
        for (const c of codes)
          if (!CODES[c] && c !== '8480-6' && c !== '8462-4')
            throw new FhirError(400, [issue(l, 'not-supported', 'fhir.bad_param', { name: 'code', value: c }, 'code')]);
        let sinceMs: number | undefined;
        let untilMs: number | undefined;
        for (const d of list(q.date)) {
          const r = dateRange(l, d);
          if (r.since != null) sinceMs = Math.max(sinceMs ?? -Infinity, r.since);
          if (r.until != null) untilMs = Math.min(untilMs ?? Infinity, r.until);
        }
        const statuses = q.status ? q.status.split(',') : null;
        const a = await readAccess(req, actor, patientParam(pid), 'fhir.observations');
        const kinds = codes.map((c) => CODES[c]?.kind ?? 'bp');
        let res = await observations(a, { kinds, sinceMs, untilMs });
        if (codes.length)
          res = res.filter((r) =>
            ((r.code as { coding: { code: string }[] }).coding ?? []).some(
              (c) => codes.includes(c.code) || (c.code === '85354-9' && codes.some((x) => x === '8480-6' || x === '8462-4')),
            ),
          );
        if (statuses) res = res.filter((r) => statuses.includes(String(r.status)));
        return searchset(baseUrl(req), res);
      },
    );

    scope.get(
      `${BASE}/Observation/:id`,
      { config: user, schema: { tags, summary: 'Read an Observation', params: IdParam, response: { 200: Resource, ...errors } } },
      async (req) => {
        const actor = actorOf(req);
        const l = lang(req);
        const id = req.params.id;
        const gone = () => new FhirError(404, [issue(l, 'not-found', 'fhir.not_found', { type: 'Observation', id })]);
        const side = await store.byId(id);
        const reading = side?.reading_id || !side ? await store.reading(side?.reading_id ?? id) : null;
        const patientId = side?.patient_id ?? reading?.patientId;
        if (!patientId) throw gone();
        let a: PatientAccess;
        try {
          a = await readAccess(req, actor, patientId, 'fhir.observation');
        } catch (err) {
          if (err instanceof AppError && err.status === 404) throw gone();
          throw err;
        }
        if (reading) {
          if (a.as === 'doctor' && !reading.shared) throw gone();
          return observationOf(reading.view, patientId, side);
        }
        if (a.as === 'doctor' && a.patient.consent !== 1) throw gone();
        return observationOfSide(side!);
      },
    );

    scope.get(
      `${BASE}/Patient`,
      {
        config: user,
        schema: {
          tags,
          summary: `The patients the caller may reach; identifier=${RESIDENT_SYSTEM}|<resident id> narrows to one`,
          querystring: PatientQuery,
          response: { 200: BundleSchema, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const l = lang(req);
        const q = req.query;
        let patients = await store.reachable(actor);
        if (q._id) patients = patients.filter((p) => p.id === q._id);
        if (q.identifier) {
          const [system, value] = q.identifier.includes('|') ? q.identifier.split('|') : [RESIDENT_SYSTEM, q.identifier];
          if (system !== RESIDENT_SYSTEM)
            throw new FhirError(400, [issue(l, 'not-supported', 'fhir.bad_param', { name: 'identifier', value: q.identifier }, 'identifier')]);
          const found = await h.patients.byResident(value);
          patients = patients.filter((p) => p.id === found?.id);
        }
        const access = [];
        for (const p of patients) {
          try {
            access.push(await h.patients.access(actor, p.id, 'read'));
          } catch {
            /* no longer reachable */
          }
        }
        const people = await h.people(access.map((a) => a.residentId));
        let res = access.map((a) => ({ a, r: withIdentifier(patientOf(a.patient.id, people.get(a.residentId)), a.residentId) }));
        if (q.name) res = res.filter((x) => (people.get(x.a.residentId)?.name ?? '').includes(q.name!));
        for (const x of res) await h.patients.auditView(actor, x.a, 'fhir.patient', req.ip);
        return searchset(
          baseUrl(req),
          res.map((x) => x.r),
        );
      },
    );

    scope.get(
      `${BASE}/Patient/:id`,
      { config: user, schema: { tags, summary: 'Read a Patient (pseudonymous id)', params: IdParam, response: { 200: Resource, ...errors } } },
      async (req) => {
        const a = await readAccess(req, actorOf(req), req.params.id, 'fhir.patient');
        const person = (await h.people([a.residentId])).get(a.residentId);
        return withIdentifier(patientOf(a.patient.id, person), a.residentId);
      },
    );

    scope.get(
      `${BASE}/Patient/:id/$everything`,
      {
        config: user,
        schema: {
          tags,
          summary: 'Patient/$everything: the Patient and its Observations (start/end optional)',
          params: IdParam,
          querystring: EverythingQuery,
          response: { 200: BundleSchema, ...errors },
        },
      },
      async (req) => {
        const l = lang(req);
        const a = await readAccess(req, actorOf(req), req.params.id, 'fhir.everything');
        const bound = (v: string | undefined, name: string) => {
          if (v === undefined) return undefined;
          const ms = parseFhirDate(v.length === 10 ? v : v);
          if (ms == null) throw new FhirError(400, [issue(l, 'invalid', 'fhir.bad_param', { name, value: v }, name)]);
          return ms;
        };
        const since = bound(req.query.start, 'start');
        const end = bound(req.query.end, 'end');
        const person = (await h.people([a.residentId])).get(a.residentId);
        const obs = await observations(a, { sinceMs: since, untilMs: end == null ? undefined : end + (req.query.end!.length === 10 ? 86_400_000 - 1 : 0) });
        return searchset(baseUrl(req), [withIdentifier(patientOf(a.patient.id, person), a.residentId), ...obs]);
      },
    );
  });
}

const withIdentifier = (p: Record<string, unknown>, residentId: string) => ({ ...p, identifier: [{ system: RESIDENT_SYSTEM, value: residentId }] });

export function capabilityStatement(base: string, date: string) {
  const sp = (name: string, type: string, documentation: string) => ({ name, type, documentation });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'Linli',
    kind: 'instance',
    software: { name: 'Linli health' },
    implementation: { description: 'Linli community health: home vital signs of contracted residents', url: base },
    fhirVersion: '4.0.1',
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            "Session or bearer token of a Linli account. The doctors of the team holding the active family-doctor contract see and add a patient's data (readings taken under the health-data consent); the resident sees and adds their own; named family members read. Every doctor's read is audited. Patient ids are pseudonymous; find yours with GET Patient.",
        },
        resource: [
          {
            type: 'Observation',
            profile: VITALSIGNS_PROFILE,
            documentation: `Vital signs: LOINC ${Object.keys(CODES).join(', ')} (85354-9 with components 8480-6/8462-4); valueQuantity in UCUM. cancelled / entered-in-error and dataAbsentReason are kept but are not readings.`,
            interaction: [{ code: 'create' }, { code: 'read' }, { code: 'search-type' }],
            searchParam: [
              sp('patient', 'reference', 'required: Patient/<id> or <id>'),
              sp('subject', 'reference', 'as patient'),
              sp('code', 'token', 'LOINC code(s), comma separated, optionally http://loinc.org|'),
              sp('date', 'date', 'effective time; prefixes eq, ge, gt, le, lt; repeatable'),
              sp('status', 'token', 'Observation status(es)'),
            ],
          },
          {
            type: 'Patient',
            documentation: `The pseudonymous patient. Search answers only the patients the caller may reach; identifier ${RESIDENT_SYSTEM}|<resident id>.`,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              sp('_id', 'token', 'patient id'),
              sp('identifier', 'token', `${RESIDENT_SYSTEM}|<resident id>`),
              sp('name', 'string', 'part of the name'),
            ],
            operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }],
          },
          { type: 'Bundle', documentation: 'batch and transaction Bundles of Observation creates are accepted at the base (POST /fhir/r4).' },
        ],
        interaction: [{ code: 'batch' }, { code: 'transaction' }],
      },
    ],
  };
}
