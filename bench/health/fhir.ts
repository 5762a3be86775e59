// bench/health/fhir: the FHIR R4 layer of the health module in a real Linli app (buildApp, temp data
// dir). (1) A transaction Bundle of 1,000 vital-signs Observations POSTed to /fhir/r4 (target ≤ 2 s),
// against the same-run baseline of the same 1,000 readings recorded by recordReading directly
// (what the FHIR layer adds: parsing, checking, the FHIR side rows, the answer). (2)
// GET /fhir/r4/Patient/{id}/$everything for a patient with a year of 4 readings a day (target ≤ 300 ms),
// against the same-run baseline of the workbench's readings route for the same year
// (GET /api/v1/health/patients/{id}/readings?days=366). Prints JSON; exits non-zero without a result.
//
//   node --import tsx bench/health/fhir.ts [--rounds 3] [--requests 30] [--db sqlite|postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService, ResidentsService } from '../../server/src/modules/registry/index.js';
import { IdentityService } from '../../server/src/modules/identity/index.js';
import { systemActor } from '../../server/src/kernel/authz/index.js';
import { HealthSetup, recordReading } from '../../server/src/modules/health/index.js';
import { makeIdNumber } from '../../server/src/modules/registry/standard/id-number.js';
import { arg, freshPgDatabase, percentiles } from '../registry/util.js';
import { printResult } from '../result.js';

const ROUNDS = arg('rounds', 3);
const REQUESTS = arg('requests', 30);
const DB = (process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : 'sqlite') as 'sqlite' | 'postgres';
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (s: string) => process.stderr.write(`  ${s}\n`);
const DAY = 86_400_000;
const vitals = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const q = (value: number, code: string) => ({ value, unit: code, system: 'http://unitsofmeasure.org', code });

/** The i-th of 1,000 home readings: blood pressure, heart rate, glucose, SpO2 in turn, one every 15 minutes. */
function observation(patientId: string, i: number, start: number) {
  const base = {
    resourceType: 'Observation',
    status: 'final',
    category: vitals,
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: new Date(start + i * 15 * 60_000).toISOString(),
  };
  const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
  switch (i % 4) {
    case 0:
      return {
        ...base,
        code: loinc('85354-9'),
        component: [
          { code: loinc('8480-6'), valueQuantity: q(118 + (i % 15), 'mm[Hg]') },
          { code: loinc('8462-4'), valueQuantity: q(72 + (i % 9), 'mm[Hg]') },
        ],
      };
    case 1:
      return { ...base, code: loinc('8867-4'), valueQuantity: q(64 + (i % 20), '/min') };
    case 2:
      return { ...base, code: loinc('2339-0'), valueQuantity: q(95 + (i % 20), 'mg/dL') };
    default:
      return { ...base, code: loinc('59408-5'), valueQuantity: q(95 + (i % 4), '%') };
  }
}
/** The same reading as recordReading input (the baseline). */
function reading(patientId: string, i: number, start: number) {
  const ts = start + i * 15 * 60_000;
  const common = { patientId, ts, source: 'fhir' as const };
  switch (i % 4) {
    case 0:
      return { ...common, kind: 'bp' as const, systolic: 118 + (i % 15), diastolic: 72 + (i % 9) };
    case 1:
      return { ...common, kind: 'hr' as const, value: 64 + (i % 20) };
    case 2:
      return { ...common, kind: 'glucose' as const, unit: 'mg/dL', value: 95 + (i % 20) };
    default:
      return { ...common, kind: 'spo2' as const, value: 95 + (i % 4) };
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-fhir-'));
  const fresh = DB === 'postgres' ? await freshPgDatabase(PG_URL) : null;
  const env: Record<string, string> = { LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_PORT: '0', LINLI_HOST: '127.0.0.1', LINLI_MQTT_PORT: '0' };
  if (fresh) env.LINLI_DATABASE_URL = fresh.url;
  const { app, kernel } = await buildApp({ config: loadConfig(env), logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  await app.ready();
  try {
    const places = new PlacesService(kernel);
    const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
    const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
    const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
    const building = await places.insertPlace({ kind: 'building', name: '1号楼' }, estate);
    const unit = await places.insertPlace({ kind: 'unit', name: '1单元' }, building);
    const house = await places.insertPlace({ kind: 'house', name: '101' }, unit);
    const identity = new IdentityService(kernel);
    const u = await identity.createStaffUser({ username: 'bench-fhir-dr', displayName: 'bench-fhir-dr', password: 'bench-password-1' }, null);
    await identity.addGrant(u.id, 'doctor', community.id, null);
    const admin = systemActor('bench');
    const setup = new HealthSetup(kernel);
    const inst = await setup.createInstitution(admin, { communityId: community.id, name: '基准卫生站', kind: 'station' });
    await setup.addDoctor(admin, inst.id, { userId: u.id, name: '基准医生' });
    const team = await setup.createTeam(admin, { institutionId: inst.id, name: '团队', members: [{ userId: u.id, lead: true }] });
    const doctor = {
      userId: u.id,
      kind: 'staff' as const,
      name: 'bench',
      residentId: null,
      sessionId: null,
      via: 'token' as const,
      grants: [{ role: 'doctor', placeId: community.id, scopePath: community.path }],
    };
    const residents = new ResidentsService(kernel);
    const patients: string[] = [];
    // one patient per import round and baseline round, one for the year
    for (let i = 0; i < ROUNDS * 2 + 1; i++) {
      const r = await residents.create(
        admin,
        {
          name: `居民${i}`,
          idNumber: makeIdNumber('110105', `1950-01-1${i % 10}`, String(i * 2 + 1).padStart(3, '0')),
          phone: null,
          houseId: house.id,
          role: 'owner',
          relation: '02',
          moveIn: '2020-01-01',
        },
        '127.0.0.1',
      );
      const c = await setup.sign(doctor as never, {
        residentId: r.id,
        teamId: team.id,
        package: 'elderly',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        signedBy: 'self',
        conditions: ['hypertension'],
        consent: true,
      });
      patients.push(c.patientId);
    }
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench-fhir-dr', password: 'bench-password-1' } });
    const cookie = /linli_session=([^;]+)/.exec(String(login.headers['set-cookie']))![0];
    const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
    const start = Date.parse('2026-02-01T00:00:00Z');

    // (1) import 1,000 Observations: FHIR transaction vs recordReading directly, alternating
    const fhirMs: number[] = [];
    const baseMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const p = patients[r]!;
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: Array.from({ length: 1000 }, (_, i) => ({ resource: observation(p, i, start), request: { method: 'POST', url: 'Observation' } })),
      };
      const payload = JSON.stringify(bundle);
      let t = performance.now();
      const res = await app.inject({ method: 'POST', url: '/fhir/r4', headers, payload });
      fhirMs.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`import answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
      const n = (JSON.parse(res.body) as { entry: unknown[] }).entry.length;
      if (n !== 1000) throw new Error(`import answered ${n} entries`);
      const b = patients[ROUNDS + r]!;
      t = performance.now();
      for (let i = 0; i < 1000; i++) await recordReading(kernel, reading(b, i, start));
      baseMs.push(performance.now() - t);
      say(`round ${r + 1}: FHIR ${fhirMs[r]!.toFixed(0)} ms, recordReading ${baseMs[r]!.toFixed(0)} ms`);
    }

    // (2) a year of 4 readings a day, then $everything vs the workbench's readings route
    const year = patients[ROUNDS * 2]!;
    const yStart = Date.now() - 365 * DAY;
    for (let d = 0; d < 365; d++) {
      for (let k = 0; k < 4; k++) {
        const ts = yStart + d * DAY + k * 6 * 3_600_000;
        await recordReading(
          kernel,
          k % 2
            ? { patientId: year, kind: 'hr', value: 70 + (d % 10), ts, source: 'device' }
            : { patientId: year, kind: 'bp', systolic: 120 + (d % 10), diastolic: 75, ts, source: 'device' },
        );
      }
    }
    say('a year of readings recorded');
    const time = async (url: string, expect: (body: string) => void) => {
      const ms: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { cookie, accept: 'application/fhir+json' } });
        ms.push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        if (i === 0) expect(res.body);
      }
      return percentiles(ms);
    };
    const everything = await time(`/fhir/r4/Patient/${year}/$everything`, (b) => {
      const n = (JSON.parse(b) as { entry: unknown[] }).entry.length;
      if (n !== 365 * 4 + 1) throw new Error(`$everything answered ${n} entries`);
    });
    const workbench = await time(`/api/v1/health/patients/${year}/readings?days=366`, (b) => {
      const n = (JSON.parse(b) as { items: unknown[] }).items.length;
      if (n !== 365 * 4) throw new Error(`readings answered ${n} items`);
    });

    const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    printResult(
      JSON.stringify(
        {
          bench: 'health-fhir',
          db: DB,
          import1000: {
            fhirTransactionMs: fhirMs.map(Math.round),
            fhirMaxMs: Math.round(Math.max(...fhirMs)),
            baselineRecordReadingMs: baseMs.map(Math.round),
            overheadPct: Math.round((avg(fhirMs) / avg(baseMs) - 1) * 100),
            targetMs: 2000,
            pass: Math.max(...fhirMs) <= 2000,
          },
          everythingYear: {
            readings: 365 * 4,
            requests: REQUESTS,
            fhirEverythingMs: everything,
            baselineWorkbenchReadingsMs: workbench,
            targetP99Ms: 300,
            pass: everything.p99 <= 300,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await app.close();
    await fresh?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
