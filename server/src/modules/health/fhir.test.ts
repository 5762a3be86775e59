// FHIR R4 over HTTP on both databases, with HL7's own R4 vital-signs examples (fhir.samples/, see
// SOURCES.md): import → export round trip, unit conversion through FHIR, the vital-signs profile's
// checks as OperationOutcome in the request's language, statuses that are not readings,
// dataAbsentReason, batch vs transaction, search parameters, $everything, access and audit.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { anonymous, login, loginResident, type Client } from '../../test/session.js';
import { buildContract, buildHealthTeam } from './health.fixtures.js';
import { listReadings } from './health.readings.js';

const FHIR = 'application/fhir+json';
const sample = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`./fhir.samples/${name}.json`, import.meta.url), 'utf8'));
const HL7 = ['observation-example-bloodpressure', 'observation-example-heart-rate', 'observation-example-body-temperature', 'observation-example-satO2'];
/** An HL7 example with only its subject rewritten to our patient. */
const forPatient = (o: Record<string, any>, patientId: string): Record<string, any> => ({ ...o, subject: { reference: `Patient/${patientId}` } });
const vitals = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] };
const obs = (patientId: string, code: string, q: Record<string, unknown> | null, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [vitals],
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2026-03-01T08:00:00+08:00',
  ...(q ? { valueQuantity: { system: 'http://unitsofmeasure.org', ...q } } : {}),
  ...extra,
});
const codesOf = (o: any): string[] => o.code.coding.map((c: any) => c.code);

describeEachDialect('health FHIR R4', (dialect) => {
  let t: TestApp;
  let w: World;
  let doctor: Client;
  let elder: Client;
  let staff: Client;
  let elderId: string;
  let patientId: string;
  let otherPatientId: string;
  const post = (c: Client, url: string, body: unknown, headers: Record<string, string> = {}) => c.req('POST', url, body, { 'content-type': FHIR, ...headers });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    const d1 = await buildStaff(t.kernel, 'fhir_doc', 'doctor', w.c1);
    const d2 = await buildStaff(t.kernel, 'fhir_doc2', 'doctor', w.c1);
    const team = await buildHealthTeam(t.kernel, w.c1, [{ id: d1.id, name: '王医生' }], 'A队');
    const team2 = await buildHealthTeam(t.kernel, w.c1, [{ id: d2.id, name: '李医生' }], 'B队');
    const e = await buildResident(t.kernel, w.house1, { name: '赵大爷', birthDate: '1945-01-02', phone: '13900002001' });
    const o = await buildResident(t.kernel, w.house1b, { name: '钱奶奶', birthDate: '1947-03-04', phone: '13900002002' });
    elderId = e.id;
    await buildResidentUser(t.kernel, e, w.c1);
    patientId = (await buildContract(t.kernel, team.doctors[0], team.team.id, e.id)).patientId;
    otherPatientId = (await buildContract(t.kernel, team2.doctors[0], team2.team.id, o.id)).patientId;
    await buildStaff(t.kernel, 'fhir_staff', 'community_staff', w.c1);
    doctor = await login(t.app, 'fhir_doc', PASSWORD);
    elder = await loginResident(t.app, '13900002001', PASSWORD);
    staff = await login(t.app, 'fhir_staff', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('answers a CapabilityStatement for R4 in application/fhir+json', async () => {
    const r = await anonymous(t.app).req('GET', '/fhir/r4/metadata', undefined, { accept: FHIR });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain(FHIR);
    expect(r.json).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const rest = r.json.rest[0];
    expect(rest.resource.map((x: any) => x.type)).toEqual(['Observation', 'Patient', 'Bundle']);
    expect(rest.interaction.map((x: any) => x.code)).toEqual(['batch', 'transaction']);
    const o = rest.resource[0];
    expect(o.searchParam.map((x: any) => x.name)).toEqual(expect.arrayContaining(['patient', 'code', 'date']));
    expect(rest.resource[1].operation[0].name).toBe('everything');
  });

  it('lets a client find its Patient id: the resident their own, the doctor by identifier, others nothing', async () => {
    const mine = await elder.get('/fhir/r4/Patient');
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(mine.json.entry[0].resource.id).toBe(patientId);
    const byId = await doctor.get(`/fhir/r4/Patient?identifier=urn:linli:resident|${elderId}`);
    expect(byId.json.total).toBe(1);
    expect(byId.json.entry[0]).toMatchObject({ fullUrl: expect.stringMatching(new RegExp(`/fhir/r4/Patient/${patientId}$`)), search: { mode: 'match' } });
    expect(byId.json.entry[0].resource).toMatchObject({ resourceType: 'Patient', id: patientId, name: [{ text: '赵大爷' }] });
    // the other team's patient is not the doctor's to find
    expect((await doctor.get('/fhir/r4/Patient')).json.entry.map((e: any) => e.resource.id)).toEqual([patientId]);
    expect((await staff.get('/fhir/r4/Patient')).json.total).toBe(0);
    // no ID number anywhere in the Patient
    expect(JSON.stringify(byId.json)).not.toMatch(/\d{17}[\dX]/);
  });

  it("imports HL7's R4 vital-signs examples and exports them again with values, units, codes and time intact", async () => {
    for (const name of HL7) {
      const src = sample(name);
      const r = await post(doctor, '/fhir/r4/Observation', forPatient(src, patientId));
      expect(r.status, `${name}: ${r.body}`).toBe(201);
      expect(r.headers['content-type']).toContain(FHIR);
      expect(r.headers.location).toContain(`/fhir/r4/Observation/${r.json.id}`);
      const back = await doctor.get(`/fhir/r4/Observation/${r.json.id}`);
      expect(back.status).toBe(200);
      const o = back.json;
      expect(o).toMatchObject({ resourceType: 'Observation', status: src.status, subject: { reference: `Patient/${patientId}` } });
      expect(o.category[0].coding[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' });
      for (const c of src.code.coding.filter((c: any) => c.system === 'http://loinc.org')) expect(codesOf(o)).toContain(c.code);
      expect(Date.parse(o.effectiveDateTime)).toBe(
        Date.parse(src.effectiveDateTime.length === 10 ? `${src.effectiveDateTime}T00:00:00Z` : src.effectiveDateTime),
      );
      if (src.valueQuantity)
        expect(o.valueQuantity).toMatchObject({ value: src.valueQuantity.value, code: src.valueQuantity.code, system: 'http://unitsofmeasure.org' });
      for (const comp of src.component ?? []) {
        const mine = o.component.find((c: any) => c.code.coding[0].code === comp.code.coding[0].code);
        expect(mine.valueQuantity).toMatchObject({ value: comp.valueQuantity.value, code: comp.valueQuantity.code });
      }
    }
    // they are readings of the patient like any other (source fhir)
    const rs = await listReadings(t.kernel, patientId, {});
    expect(rs.filter((r) => r.source === 'fhir').map((r) => r.kind)).toEqual(expect.arrayContaining(['bp', 'hr', 'temp', 'spo2']));
    expect(rs.find((r) => r.kind === 'bp')).toMatchObject({ value: 107, diastolic: 60, unit: 'mm[Hg]' });
  });

  it('converts units through FHIR: [degF], [lb_av], mg/dL stored in Cel, kg, mmol/L and exported as sent', async () => {
    const temp = await post(doctor, '/fhir/r4/Observation', obs(patientId, '8310-5', { value: 99.5, unit: '°F', code: '[degF]' }));
    expect(temp.status).toBe(201);
    expect(temp.json.valueQuantity).toMatchObject({ value: 99.5, code: '[degF]' });
    const weight = await post(doctor, '/fhir/r4/Observation', obs(patientId, '29463-7', { value: 185, unit: 'lbs', code: '[lb_av]' }));
    expect(weight.status).toBe(201);
    const glucose = await post(doctor, '/fhir/r4/Observation', obs(patientId, '2339-0', { value: 126, unit: 'mg/dL', code: 'mg/dL' }));
    expect(glucose.status).toBe(201);
    const rs = await listReadings(t.kernel, patientId, {});
    expect(rs.find((r) => r.id === temp.json.id)).toMatchObject({ value: 37.5, unit: 'Cel' });
    expect(rs.find((r) => r.id === weight.json.id)?.value).toBeCloseTo(83.91, 2);
    expect(rs.find((r) => r.id === glucose.json.id)?.value).toBeCloseTo(6.99, 2);
    expect((await doctor.get(`/fhir/r4/Observation/${weight.json.id}`)).json.valueQuantity).toMatchObject({ value: 185, code: '[lb_av]' });
    // a reading entered elsewhere exports in the stored unit with the kind's LOINC code
    const portal = await elder.post('/api/v1/me/health/readings', { kind: 'weight', value: 70 });
    expect(portal.status).toBe(201);
    const o = (await elder.get(`/fhir/r4/Observation/${portal.json.id}`)).json;
    expect(codesOf(o)).toEqual(['29463-7']);
    expect(o.valueQuantity).toMatchObject({ value: 70, code: 'kg', system: 'http://unitsofmeasure.org' });
  });

  it('answers what the vital-signs profile requires as OperationOutcome, in the request language', async () => {
    const bad = async (body: unknown, status: number, expression: string, lang = 'en') => {
      const r = await post(doctor, '/fhir/r4/Observation', body, { 'accept-language': lang });
      expect(r.status, r.body).toBe(status);
      expect(r.headers['content-type']).toContain(FHIR);
      expect(r.json.resourceType).toBe('OperationOutcome');
      const i = r.json.issue.find((x: any) => (x.expression ?? []).some((e: string) => e.startsWith(expression)));
      expect(i, JSON.stringify(r.json)).toBeTruthy();
      expect(i).toMatchObject({ severity: 'error', code: expect.any(String), diagnostics: expect.any(String) });
      return i;
    };
    const good = obs(patientId, '8867-4', { value: 70, unit: '/min', code: '/min' });
    const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([x]) => x !== k));
    expect((await bad(without('status'), 422, 'Observation.status')).code).toBe('required');
    expect((await bad(without('category'), 422, 'Observation.category')).diagnostics).toContain('vital-signs');
    expect((await bad(without('subject'), 422, 'Observation.subject')).code).toBe('required');
    expect((await bad(without('effectiveDateTime'), 422, 'Observation.effective')).code).toBe('required');
    expect((await bad({ ...good, effectiveDateTime: '2026-03' }, 422, 'Observation.effective')).code).toBe('value');
    expect((await bad(obs(patientId, '9279-1', { value: 16, code: '/min' }), 422, 'Observation.code')).code).toBe('not-supported');
    expect((await bad({ ...good, valueQuantity: { value: 70, unit: 'bpm' } }, 422, 'Observation.valueQuantity.system')).diagnostics).toContain('UCUM');
    expect((await bad(obs(patientId, '2339-0', { value: 7, code: 'mmol/L' }), 422, 'Observation.valueQuantity.code')).code).toBe('code-invalid');
    expect((await bad(obs(patientId, '59408-5', { value: 101, code: '%' }), 422, 'Observation.valueQuantity')).code).toBe('value');
    expect((await bad({ ...good, dataAbsentReason: { coding: [{ code: 'error' }] } }, 422, 'Observation')).code).toBe('invariant');
    expect((await bad(without('valueQuantity'), 422, 'Observation.value')).code).toBe('required');
    // blood pressure: components, systolic above diastolic — in Chinese for a Chinese request
    const bp = forPatient(sample('observation-example-bloodpressure'), patientId);
    const swapped = { ...bp, component: [{ ...bp.component[0], valueQuantity: { ...bp.component[0].valueQuantity, value: 60 } }, bp.component[1]] };
    expect((await bad(swapped, 422, 'Observation.component', 'zh-CN')).diagnostics).toMatch(/[\u4e00-\u9fa5]/);
    expect((await bad({ ...bp, component: [bp.component[0]] }, 422, 'Observation.component')).diagnostics).toContain('8462-4');
    // not a resource we take, not JSON, not a type we read or write
    expect((await bad({ resourceType: 'Patient' }, 422, 'Observation.resourceType')).code).toBe('invalid');
    const notJson = await doctor.req('POST', '/fhir/r4/Observation', '{"resourceType":', { 'content-type': FHIR });
    expect(notJson.status).toBe(400);
    expect(notJson.json.resourceType).toBe('OperationOutcome');
    const text = await doctor.req('POST', '/fhir/r4/Observation', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.issue[0].code).toBe('not-supported');
    const xml = await doctor.req('GET', `/fhir/r4/Patient/${patientId}`, undefined, { accept: 'application/fhir+xml' });
    expect(xml.status).toBe(406);
    expect(xml.json.resourceType).toBe('OperationOutcome');
    // plain application/json is accepted and answered as such
    const plain = await doctor.req('POST', '/fhir/r4/Observation', good, { 'content-type': 'application/json', accept: 'application/json' });
    expect(plain.status).toBe(201);
    expect(plain.headers['content-type']).toContain('application/json');
  });

  it('keeps cancelled and entered-in-error Observations and dataAbsentReason without counting them', async () => {
    const before = (await listReadings(t.kernel, patientId, {})).length;
    const alertsBefore = (await doctor.get('/api/v1/health/alerts?status=active')).json;
    const urgent = { value: 200, unit: 'mmHg', code: 'mm[Hg]' };
    const bp = (status: string) => ({
      ...obs(patientId, '85354-9', null, { status }),
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { system: 'http://unitsofmeasure.org', ...urgent } },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { system: 'http://unitsofmeasure.org', ...urgent, value: 120 } },
      ],
    });
    const cancelled = await post(doctor, '/fhir/r4/Observation', bp('cancelled'));
    const wrong = await post(doctor, '/fhir/r4/Observation', bp('entered-in-error'));
    const absent = await post(
      doctor,
      '/fhir/r4/Observation',
      obs(patientId, '8867-4', null, {
        dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'asked-declined' }] },
      }),
    );
    expect([cancelled.status, wrong.status, absent.status]).toEqual([201, 201, 201]);
    expect((await doctor.get(`/fhir/r4/Observation/${cancelled.json.id}`)).json).toMatchObject({
      status: 'cancelled',
      component: [{ valueQuantity: { value: 200 } }, {}],
    });
    expect((await doctor.get(`/fhir/r4/Observation/${wrong.json.id}`)).json.status).toBe('entered-in-error');
    const a = (await doctor.get(`/fhir/r4/Observation/${absent.json.id}`)).json;
    expect(a.dataAbsentReason.coding[0].code).toBe('asked-declined');
    expect(a.valueQuantity).toBeUndefined();
    // not readings: not in the charts, no alert
    expect((await listReadings(t.kernel, patientId, {})).length).toBe(before);
    expect((await doctor.get('/api/v1/health/alerts?status=active')).json).toEqual(alertsBefore);
    // but found by a status search
    const s = await doctor.get(`/fhir/r4/Observation?patient=${patientId}&status=cancelled,entered-in-error`);
    expect(s.json.entry.map((e: any) => e.resource.id).sort()).toEqual([cancelled.json.id, wrong.json.id].sort());
  });

  it('applies a transaction all or nothing and a batch entry by entry', async () => {
    const at = (d: string) => ({ effectiveDateTime: d });
    const entries = [
      obs(patientId, '8867-4', { value: 61, unit: '/min', code: '/min' }, at('2026-04-01T08:00:00Z')),
      obs(patientId, '8867-4', { value: 62, unit: '/min', code: '/min' }, at('2026-04-02T08:00:00Z')),
      obs(patientId, '8867-4', { value: 999, unit: '/min', code: '/min' }, at('2026-04-03T08:00:00Z')),
    ];
    const bundle = (type: string, list: unknown[]) => ({
      resourceType: 'Bundle',
      type,
      entry: list.map((resource, i) => ({
        fullUrl: `urn:uuid:00000000-0000-0000-0000-00000000000${i}`,
        resource,
        request: { method: 'POST', url: 'Observation' },
      })),
    });
    const count = async () => (await doctor.get(`/fhir/r4/Observation?patient=${patientId}&code=8867-4&date=ge2026-04-01&date=le2026-04-30`)).json.total;
    const tx = await post(doctor, '/fhir/r4', bundle('transaction', entries));
    expect(tx.status).toBe(422);
    expect(tx.json.issue.some((i: any) => i.expression?.[0]?.startsWith('Bundle.entry[2].resource'))).toBe(true);
    expect(await count()).toBe(0);
    const ok = await post(doctor, '/fhir/r4', bundle('transaction', entries.slice(0, 2)));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    expect(ok.json.entry.map((e: any) => e.response.status)).toEqual(['201 Created', '201 Created']);
    expect(await count()).toBe(2);
    const batch = await post(
      doctor,
      '/fhir/r4',
      bundle('batch', [...entries.slice(0, 1), entries[2], obs(otherPatientId, '8867-4', { value: 70, code: '/min' })]),
    );
    expect(batch.status).toBe(200);
    expect(batch.json.entry.map((e: any) => e.response.status)).toEqual(['201 Created', '422', '404']);
    expect(batch.json.entry[1].response.outcome.resourceType).toBe('OperationOutcome');
    expect(await count()).toBe(3);
    // the HL7 examples in one transaction
    const hl7 = await post(
      doctor,
      '/fhir/r4',
      bundle(
        'transaction',
        HL7.map((n) => forPatient(sample(n), patientId)),
      ),
    );
    expect(hl7.status).toBe(200);
    expect(hl7.json.entry).toHaveLength(4);
    expect((await post(doctor, '/fhir/r4', { resourceType: 'Bundle', type: 'collection', entry: [] })).status).toBe(422);
  });

  it('searches by patient, code and date and answers searchset Bundles', async () => {
    const s = await doctor.get(`/fhir/r4/Observation?patient=Patient/${patientId}&code=http://loinc.org|8867-4&date=ge2026-04-01&date=lt2026-04-02`);
    expect(s.status).toBe(200);
    expect(s.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(s.json.entry[0]).toMatchObject({
      fullUrl: expect.stringContaining('/fhir/r4/Observation/'),
      search: { mode: 'match' },
      resource: { valueQuantity: { value: 61 } },
    });
    expect(s.json.entry.map((e: any) => e.resource.valueQuantity.value)).toEqual([61, 61]);
    const day = await doctor.get(`/fhir/r4/Observation?patient=${patientId}&date=2026-04-02`);
    expect(day.json.entry.map((e: any) => e.resource.valueQuantity?.value)).toEqual([62]);
    const bp = await doctor.get(`/fhir/r4/Observation?patient=${patientId}&code=85354-9&date=le2013-01-01`);
    expect(bp.json.entry.map((e: any) => e.resource.effectiveDateTime.slice(0, 10))).toEqual(['2012-09-17', '2012-09-17']);
    expect((await doctor.get(`/fhir/r4/Observation?code=8867-4`)).status).toBe(400);
    expect((await doctor.get(`/fhir/r4/Observation?patient=${patientId}&date=soon`)).status).toBe(400);
    expect((await doctor.get(`/fhir/r4/Observation?patient=${patientId}&code=1234-5`)).status).toBe(400);
  });

  it('answers Patient/$everything, and only to those who may see the patient; every doctor read audited', async () => {
    const e = await doctor.get(`/fhir/r4/Patient/${patientId}/$everything`);
    expect(e.status).toBe(200);
    expect(e.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(e.json.entry[0].resource).toMatchObject({ resourceType: 'Patient', id: patientId });
    const n = e.json.entry.filter((x: any) => x.resource.resourceType === 'Observation').length;
    expect(n).toBeGreaterThan(10);
    expect(e.json.total).toBe(e.json.entry.length);
    const mine = await elder.get(`/fhir/r4/Patient/${patientId}/$everything`);
    expect(mine.json.entry.length).toBe(e.json.entry.length);
    // the other team's doctor, staff: the patient does not exist for them
    for (const c of [staff]) {
      for (const url of [`/fhir/r4/Patient/${patientId}`, `/fhir/r4/Patient/${patientId}/$everything`, `/fhir/r4/Observation?patient=${patientId}`]) {
        const r = await c.get(url);
        expect(r.status, url).toBe(404);
        expect(r.json.resourceType).toBe('OperationOutcome');
      }
    }
    expect((await doctor.get(`/fhir/r4/Patient/${otherPatientId}`)).status).toBe(404);
    expect((await doctor.get(`/fhir/r4/Observation/${e.json.entry[1].resource.id}x`)).status).toBe(404);
    expect((await post(doctor, '/fhir/r4/Observation', obs(otherPatientId, '8867-4', { value: 70, code: '/min' }))).status).toBe(404);
    expect((await post(elder, '/fhir/r4/Observation', obs(otherPatientId, '8867-4', { value: 70, code: '/min' }))).status).toBe(404);
    expect((await anonymous(t.app).req('GET', `/fhir/r4/Patient/${patientId}`)).status).toBe(401);
    // the resident adds their own
    expect((await post(elder, '/fhir/r4/Observation', obs(patientId, '8867-4', { value: 72, code: '/min' }))).status).toBe(201);
    // the resident sees the doctor's FHIR reads in "who looked at my data"
    const log = await elder.get('/api/v1/me/access-log');
    const views = log.json.items.filter((x: { action: string }) => x.action === 'health.patient.view');
    expect(views.length).toBeGreaterThan(0);
    expect(views[0].actorName).toBe('fhir_doc');
  });
});
