// NGSI-LD open data on both databases: anonymous reads, content types with the @context in the body
// or the Link header, every q operator, count, paging, idPattern, attrs, ProblemDetails errors
// (400/403/404/405/406), small-cell suppression, no personal data, the rate limit, and the shape
// of our entities against the published Smart Data Models and ETSI test-suite samples.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildWorld, type World } from '../../test/fixtures.js';
import { eventually } from '../../test/wait.js';
import { PlacesService } from '../registry/index.js';
import { createDevice, getDevice, ingestPipeline } from '../devices/index.js';
import { CORE_CONTEXT, JSONLD_CONTEXT_REL, SDM_CONTEXT } from './ngsi.context.js';
import { NGSI_RATE_LIMIT } from './ngsi.routes.js';

const samples = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ngsi.samples');
const sample = (f: string) => JSON.parse(fs.readFileSync(path.join(samples, f), 'utf8')) as Record<string, unknown>;
const E = '/ngsi-ld/v1/entities';
const B = (id: string) => `urn:ngsi-ld:Building:${id}`;
const D = (id: string) => `urn:ngsi-ld:Device:${id}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read loosely
type Entity = Record<string, any> & { id: string; type: string };
/** Each attribute's NGSI-LD kind (Property, Relationship, GeoProperty). */
const kinds = (e: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(e).flatMap(([k, v]) => (v && typeof v === 'object' && 'type' in v && !Array.isArray(v) ? [[k, (v as { type: string }).type]] : [])),
  );

describeEachDialect('NGSI-LD open data', (dialect) => {
  let t: TestApp;
  let w: World;
  let tower: { id: string }; // 3号楼: six floors, six residents
  let b1: string; // 1号楼: two residents
  let b2: string; // 7号楼: nobody
  let lift: string;
  let gate: string;
  let homeMeter: string;
  const people: { name: string; idNumber: string; phone: string | null }[] = [];
  let n = 0;
  // each test calls from its own address, so the per-address limit only bites where a test means it to
  const get = (url: string, headers: Record<string, string> = {}, from = `198.51.100.${++n % 250}`) =>
    t.app.inject({ method: 'GET', url, headers, remoteAddress: from });
  const list = async (qs: string) => {
    const r = await get(`${E}?${qs}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Entity[];
  };
  const q = (expr: string) => `q=${encodeURIComponent(expr)}`;
  const ids = (es: Entity[]) => es.map((e) => e.id).sort();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    const p = new PlacesService(t.kernel);
    const kids = async (parent: string, kind: 'building' | 'unit') => (await p.repo.children(parent, kind))[0];
    b1 = (await kids(w.estate1.id, 'building')).id;
    b2 = (await kids(w.estate2.id, 'building')).id;
    const t3 = await p.insertPlace({ kind: 'building', name: '3号楼' }, w.estate1);
    tower = t3;
    const unit = await p.insertPlace({ kind: 'unit', name: '1单元' }, t3);
    for (let floor = 1; floor <= 6; floor++) {
      const house = await p.insertPlace({ kind: 'house', name: `${floor}01`, floor, areaM2: 70 }, unit);
      people.push(await buildResident(t.kernel, house, { name: ['王秀英', '李建国', '赵丽华', '孙志强', '周海燕', '吴国平'][floor - 1] }));
    }
    people.push(await buildResident(t.kernel, w.house1, { name: '陈美玲' }));
    people.push(await buildResident(t.kernel, w.house1b, { name: '刘德明' }));
    lift = (await createDevice(t.kernel, { typeCode: 'elevator', placeId: t3.id, name: '王秀英家门口电梯' })).id;
    gate = (await createDevice(t.kernel, { typeCode: 'camera', placeId: w.estate1.id, name: '西门摄像头' })).id;
    homeMeter = (await createDevice(t.kernel, { typeCode: 'water_meter', placeId: w.house1.id, name: '陈美玲家水表' })).id;
    // the lift reports: it is online with a last-value time
    const pipeline = ingestPipeline(t.kernel);
    await eventually(async () => {
      pipeline.submit(lift, 'telemetry', { floor: 3 });
      await pipeline.flush();
      return (await getDevice(t.kernel, lift))?.lastSeenAt;
    });
  });
  afterAll(async () => t?.close());

  it('is readable without an account, as application/json with the @context in a Link header', async () => {
    const r = await get(`${E}?type=Building`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers.link).toBe(`<${SDM_CONTEXT}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`);
    const body = r.json() as Entity[];
    expect(body.every((e) => e.type === 'Building' && !('@context' in e))).toBe(true);
    expect(ids(body)).toEqual([B(w.estate1.id), B(w.estate2.id), B(b1), B(b2), B(tower.id)].sort());
    // any web page may read it (no credentials), and see the headers that matter
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(String(r.headers['access-control-expose-headers'])).toContain('NGSILD-Results-Count');
    const head = await t.app.inject({ method: 'HEAD', url: `${E}?type=Building`, remoteAddress: '192.0.2.80' });
    expect(head.statusCode).toBe(200);
    expect(head.headers.link).toBe(r.headers.link);
  });

  it('answers application/ld+json with the @context in the body and no Link header', async () => {
    const r = await get(`${E}?type=Device`, { accept: 'application/ld+json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(r.headers.link).toBeUndefined();
    const body = r.json() as Entity[];
    expect(body.length).toBe(2);
    for (const e of body) expect(e['@context']).toEqual([SDM_CONTEXT, CORE_CONTEXT]);
    // q-weighted choice and wildcards
    expect((await get(`${E}?type=Device`, { accept: 'application/json;q=0.5, application/ld+json' })).headers['content-type']).toMatch(/ld\+json/);
    expect((await get(`${E}?type=Device`, { accept: '*/*' })).headers['content-type']).toMatch(/^application\/json/);
    const one = await get(`${E}/${encodeURIComponent(B(tower.id))}`, { accept: 'application/ld+json' });
    expect(one.json()['@context']).toEqual([SDM_CONTEXT, CORE_CONTEXT]);
  });

  it('builds buildings and estates as Smart Data Models Building', async () => {
    const r = await get(`${E}/${encodeURIComponent(B(tower.id))}`);
    expect(r.statusCode).toBe(200);
    const e = r.json() as Entity;
    expect(e.id).toBe(B(tower.id));
    expect(e.type).toBe('Building');
    expect(e.name).toEqual({ type: 'Property', value: '3号楼' });
    expect(e.category).toEqual({ type: 'Property', value: ['residential'] });
    expect(e.floorsAboveGround).toEqual({ type: 'Property', value: 6 });
    expect(e.residentCount).toEqual({ type: 'Property', value: 6 });
    expect(e.locatedAt).toEqual({ type: 'Relationship', object: B(w.estate1.id) });
    expect(e.address.value).toEqual({ addressCountry: 'CN', addressLocality: '北京市朝阳区', district: '望京街道', streetAddress: '花家地西里 3号楼' });
    expect(e.dateModified.value['@type']).toBe('DateTime');
    expect(e.location).toBeUndefined(); // no coordinates in the registry: no GeoProperty
    const estate = (await get(`${E}/${encodeURIComponent(B(w.estate1.id))}`)).json() as Entity;
    expect(estate.placeKind.value).toBe('estate');
    expect(estate.residentCount).toBeUndefined(); // estates carry no count (no differencing)
  });

  it('suppresses resident counts under 5 as "<5"', async () => {
    const [one, seven] = await Promise.all([b1, b2].map(async (b) => (await get(`${E}/${encodeURIComponent(B(b))}`)).json() as Entity));
    expect(one.residentCount).toEqual({ type: 'Property', value: '<5' }); // two residents
    expect(seven.residentCount).toEqual({ type: 'Property', value: '<5' }); // none
    expect(ids(await list(q('residentCount=="<5"')))).toEqual([B(b1), B(b2)].sort());
    expect(ids(await list(q('residentCount>=5')))).toEqual([B(tower.id)]);
  });

  it('builds shared devices as Smart Data Models Device and never a device in a home', async () => {
    const devices = await list('type=Device');
    expect(ids(devices)).toEqual([D(gate), D(lift)].sort());
    const l = devices.find((d) => d.id === D(lift))!;
    expect(l.deviceCategory).toEqual({ type: 'Property', value: ['actuator'] });
    expect(l.controlledProperty.value).toContain('floor');
    expect(l.deviceState).toEqual({ type: 'Property', value: 'online' });
    expect(l.dateLastValueReported.value['@type']).toBe('DateTime');
    expect(l.controlledAsset).toEqual({ type: 'Relationship', object: [B(tower.id)] });
    const g = devices.find((d) => d.id === D(gate))!;
    expect(g.deviceState.value).toBe('offline');
    expect(g.controlledAsset.object).toEqual([B(w.estate1.id)]);
    expect((await get(`${E}/${encodeURIComponent(D(homeMeter))}`)).statusCode).toBe(404);
  });

  it('never shows personal data: names, ID numbers or phones of residents, nor device names', async () => {
    const bodies = [
      (await get(`${E}?type=Building,Device&limit=1000`, { accept: 'application/ld+json' })).body,
      (await get(`${E}?idPattern=.*&limit=1000`)).body,
      ...(await Promise.all([B(tower.id), B(b1), D(lift)].map(async (id) => (await get(`${E}/${encodeURIComponent(id)}`)).body))),
    ].join('\n');
    expect(bodies.length).toBeGreaterThan(1000);
    for (const p of people) {
      expect(bodies).not.toContain(p.name);
      expect(bodies).not.toContain(p.idNumber);
      if (p.phone) expect(bodies).not.toContain(p.phone);
    }
    expect(bodies).not.toContain('家门口电梯');
    expect(bodies).not.toContain('家水表');
    expect(bodies).not.toContain('res_');
  });

  it('filters with each q operator, ; (and), | (or) and parentheses', async () => {
    expect(ids(await list(q('name=="3号楼"')))).toEqual([B(tower.id)]);
    expect(ids(await list('type=Building&' + q('placeKind!="building"')))).toEqual([B(w.estate1.id), B(w.estate2.id)].sort());
    expect(ids(await list(q('floorsAboveGround>1')))).toEqual([B(b2), B(tower.id)].sort());
    expect(ids(await list(q('floorsAboveGround<6')))).toEqual([B(b1)]);
    expect(ids(await list(q('floorsAboveGround<=6')))).toEqual([B(b1), B(tower.id)].sort());
    expect(ids(await list(q('floorsAboveGround>=12')))).toEqual([B(b2)]);
    expect(ids(await list(q('floorsAboveGround==1..6')))).toEqual([B(b1), B(tower.id)].sort());
    expect(ids(await list(q('floorsAboveGround==1,12')))).toEqual([B(b1), B(b2)].sort());
    expect(ids(await list(q('placeKind=="building";floorsAboveGround>1')))).toEqual([B(b2), B(tower.id)].sort());
    expect(ids(await list(q('floorsAboveGround==12|residentCount==6')))).toEqual([B(b2), B(tower.id)].sort());
    expect(ids(await list(q('(floorsAboveGround==12|floorsAboveGround==1);locatedAt==' + B(w.estate1.id))))).toEqual([B(b1)]);
    expect(ids(await list(q('deviceState=="online"')))).toEqual([D(lift)]);
    expect(ids(await list(q('controlledAsset==' + B(tower.id))))).toEqual([D(lift)]);
    expect(ids(await list(q('address[streetAddress]~="^花家地西里 "') + '&type=Building'))).toEqual([B(b1), B(tower.id)].sort());
    expect(ids(await list(q('dateLastValueReported>2000-01-01T00:00:00Z')))).toEqual([D(lift)]);
    expect(ids(await list(q('floorsAboveGround')))).toEqual([B(b1), B(b2), B(tower.id)].sort()); // exists
  });

  it('counts, pages and orders the results', async () => {
    const r = await get(`${E}?type=Building&count=true&limit=2&offset=1`);
    expect(r.headers['ngsild-results-count']).toBe('5');
    const all = await list('type=Building&limit=100');
    expect(all.length).toBe(5);
    expect(ids(r.json())).toEqual(
      all
        .slice(1, 3)
        .map((e) => e.id)
        .sort(),
    );
    const none = await get(`${E}?type=Building&count=true&limit=0`);
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);
    expect(none.headers['ngsild-results-count']).toBe('5');
    expect((await get(`${E}?type=Building`)).headers['ngsild-results-count']).toBeUndefined();
    // default page of 20
    expect((await list('idPattern=.*')).length).toBe(7);
  });

  it('selects by id list, idPattern and attrs', async () => {
    expect(ids(await list(`id=${B(b1)},${D(lift)}`))).toEqual([B(b1), D(lift)].sort());
    expect(ids(await list(`idPattern=${encodeURIComponent('^urn:ngsi-ld:Device:')}`))).toEqual([D(gate), D(lift)].sort());
    const projected = await list('attrs=floorsAboveGround');
    expect(ids(projected)).toEqual([B(b1), B(b2), B(tower.id)].sort());
    for (const e of projected) expect(Object.keys(e).sort()).toEqual(['floorsAboveGround', 'id', 'type']);
    const one = (await get(`${E}/${encodeURIComponent(B(tower.id))}?attrs=name,residentCount`)).json();
    expect(Object.keys(one).sort()).toEqual(['id', 'name', 'residentCount', 'type']);
    // an expanded Smart Data Models type IRI is the same type
    expect((await list(`type=${encodeURIComponent('https://smartdatamodels.org/dataModel.Device/Device')}`)).length).toBe(2);
    expect(await list('type=Vehicle')).toEqual([]);
    // no entity has a location, so a geo-query matches nothing
    expect(
      await list(`type=Building&georel=${encodeURIComponent('near;maxDistance==1000')}&geometry=Point&coordinates=${encodeURIComponent('[116.47,39.98]')}`),
    ).toEqual([]);
  });

  it('refuses bad queries with NGSI-LD ProblemDetails', async () => {
    const problem = async (url: string, status: number, kind: string, headers: Record<string, string> = {}) => {
      const r = await get(url, headers);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toMatchObject({ type: `https://uri.etsi.org/ngsi-ld/errors/${kind}`, status });
      expect(typeof r.json().title).toBe('string');
      return r.json();
    };
    await problem(E, 400, 'BadRequestData'); // no type, id, idPattern, q or attrs
    await problem(`${E}?q=${encodeURIComponent('name==')}`, 400, 'BadRequestData');
    await problem(`${E}?q=${encodeURIComponent('(name=="a"')}`, 400, 'BadRequestData');
    await problem(`${E}?q=${encodeURIComponent('name=="a')}`, 400, 'BadRequestData');
    await problem(`${E}?q=${encodeURIComponent('name>1,2')}`, 400, 'BadRequestData');
    await problem(`${E}?id=not%20a%20uri`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&limit=abc`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&offset=-1`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&limit=0`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&limit=1001`, 403, 'TooManyResults');
    await problem(`${E}?idPattern=${encodeURIComponent('(a+)+$')}`, 400, 'BadRequestData'); // catastrophic
    await problem(`${E}?idPattern=${encodeURIComponent('(x|x)*y')}`, 400, 'BadRequestData');
    await problem(`${E}?idPattern=${encodeURIComponent('(a)\\1')}`, 400, 'BadRequestData');
    await problem(`${E}?idPattern=${encodeURIComponent('[')}`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&options=keyValues`, 400, 'BadRequestData'); // only normalized
    await problem(`${E}/${encodeURIComponent(B(b1))}?format=simplified`, 400, 'BadRequestData');
    await problem(`${E}?type=Building&georel=near;maxDistance==100`, 400, 'BadRequestData'); // geometry, coordinates missing
    await problem(`${E}/${encodeURIComponent(B('bld_nothing'))}`, 404, 'ResourceNotFound');
    await problem(`${E}/${encodeURIComponent('urn:ngsi-ld:Person:res_1')}`, 404, 'ResourceNotFound');
    await problem(`${E}/not-a-uri`, 400, 'BadRequestData');
    await problem(`${E}?type=Building`, 406, 'NotAcceptable', { accept: 'application/geo+json' });
    await problem(`${E}/${encodeURIComponent(B(b1))}`, 406, 'NotAcceptable', { accept: 'text/html' });
    const en = await problem(E, 400, 'BadRequestData', { 'accept-language': 'en' });
    expect(en.title).toBe('Bad request data');
  });

  it('is read-only: other methods answer 405 before any body is read', async () => {
    for (const [method, url] of [
      ['POST', E],
      ['PATCH', `${E}/${encodeURIComponent(B(b1))}`],
      ['DELETE', `${E}/${encodeURIComponent(B(b1))}`],
    ] as const) {
      const r = await t.app.inject({ method, url, headers: { 'content-type': 'text/plain' }, payload: 'x', remoteAddress: '192.0.2.77' });
      expect(r.statusCode).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
      expect(r.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported');
    }
  });

  it('is rate-limited per address', async () => {
    const from = '203.0.113.9';
    const url = `${E}/${encodeURIComponent(B('bld_none'))}`;
    for (let i = 0; i < NGSI_RATE_LIMIT; i++) expect((await get(url, {}, from)).statusCode).toBe(404);
    const over = await get(url, {}, from);
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    expect((await get(url, {}, '203.0.113.10')).statusCode).toBe(404); // another address is not refused
  });

  it('has the shape of the published Smart Data Models and ETSI test-suite entities', async () => {
    const building = (await get(`${E}/${encodeURIComponent(B(tower.id))}`, { accept: 'application/ld+json' })).json() as Entity;
    const sdmBuilding = sample('sdm-building-example-normalized.jsonld');
    const sdmDevice = sample('sdm-device-example-normalized.jsonld');
    const etsiLocated = sample('etsi-building-location-attribute.jsonld');
    const etsiRel = sample('etsi-building-relationship.jsonld');
    for (const [ours, theirs] of [
      [building, sdmBuilding],
      [building, etsiRel],
    ] as const) {
      expect(ours.type).toBe(theirs.type);
      expect(ours.id).toMatch(/^urn:ngsi-ld:Building:/);
      expect(String(theirs.id)).toMatch(/^urn:ngsi-ld:Building:/);
    }
    // every attribute both have is of the same NGSI-LD kind, with the same value types
    const shared = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(kinds(a)).filter((k) => k in kinds(b));
    expect(shared(building, sdmBuilding).sort()).toEqual(['address', 'category', 'floorsAboveGround']);
    for (const k of shared(building, sdmBuilding)) {
      expect(kinds(building)[k]).toBe(kinds(sdmBuilding)[k]);
      const [ov, tv] = [building[k].value, (sdmBuilding[k] as { value: unknown }).value];
      expect(Array.isArray(ov)).toBe(Array.isArray(tv));
      expect(typeof ov).toBe(typeof tv);
    }
    // the address uses only keys of the schema.org PostalAddress the example uses
    const addressKeys = ['addressCountry', 'addressLocality', 'addressRegion', 'district', 'postalCode', 'streetAddress'];
    for (const key of Object.keys(building.address.value)) expect(addressKeys).toContain(key);
    expect(kinds(building).name).toBe(kinds(etsiLocated).name);
    expect(kinds(building).locatedAt).toBe(kinds(etsiRel).locatedAt);
    expect(typeof building.locatedAt.object).toBe(typeof (etsiRel.locatedAt as { object: unknown }).object);

    const lifts = (await get(`${E}?id=${encodeURIComponent(D(lift))}`, { accept: 'application/ld+json' })).json() as Entity[];
    const device = lifts[0];
    expect(device.type).toBe(sdmDevice.type);
    expect(shared(device, sdmDevice).sort()).toEqual(['controlledAsset', 'controlledProperty', 'deviceCategory', 'deviceState']);
    for (const k of shared(device, sdmDevice)) {
      expect(kinds(device)[k]).toBe(kinds(sdmDevice)[k]);
      const key = kinds(device)[k] === 'Relationship' ? 'object' : 'value';
      expect(Array.isArray(device[k][key])).toBe(Array.isArray((sdmDevice[k] as Record<string, unknown>)[key]));
    }
    // DateTime values written as the Device example writes dateFirstUsed
    expect(Object.keys(device.dateLastValueReported.value).sort()).toEqual(Object.keys((sdmDevice.dateFirstUsed as { value: object }).value).sort());
    // the core @context is the one the Smart Data Models example cites, in the ETSI URL pattern
    expect(device['@context']).toContain((sdmDevice['@context'] as string[]).find((c) => c.startsWith('https://uri.etsi.org/')));
    expect(CORE_CONTEXT).toMatch(/^https:\/\/uri\.etsi\.org\/ngsi-ld\/v1\/ngsi-ld-core-context(-v\d+\.\d+)?\.jsonld$/);
    expect('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld').toMatch(
      /^https:\/\/uri\.etsi\.org\/ngsi-ld\/v1\/ngsi-ld-core-context(-v\d+\.\d+)?\.jsonld$/,
    );
  });
});
