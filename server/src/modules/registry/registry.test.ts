import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildWorld, buildStaff, buildResident, idNumberFor, PASSWORD, type World } from '../../test/fixtures.js';
import { checkDigit } from './standard/id-number.js';

describeEachDialect('registry API', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff: Client;
  let staff2: Client;
  let property: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'staff1', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'staff2', 'community_staff', w.c2);
    await buildStaff(t.kernel, 'prop1', 'property_manager', w.c1);
    staff = await login(t.app, 'staff1', PASSWORD);
    staff2 = await login(t.app, 'staff2', PASSWORD);
    property = await login(t.app, 'prop1', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('creates a resident from a mainland ID, derives gender and birth date, and shows masked values', async () => {
    const idNumber = idNumberFor('1950-06-01', false)
      .toLowerCase()
      .replace(/\d/, (d) => String.fromCharCode(0xff10 + Number(d))); // full-width first digit, lower-case x if any
    const r = await staff.post('/api/v1/residents', {
      name: '王秀英',
      idNumber,
      phone: '+86 139-1234-5678',
      houseId: w.house1.id,
      role: 'owner',
      relation: '02',
      moveIn: '2001-05-01',
      tags: ['living_alone'],
    });
    expect(r.status).toBe(201);
    expect(r.json.gender).toBe('2');
    expect(r.json.birthDate).toBe('1950-06-01');
    expect(r.json.phoneMasked).toBe('139****5678');
    expect(r.json.idNumberMasked).toMatch(/^110\*{11}\d{3}[\dX]$/);
    expect(r.json.tags).toEqual(expect.arrayContaining(['elderly', 'living_alone']));
    expect(r.json.houses[0].houseLabel).toBe('花家地西里 1号楼 1单元 101');
  });

  it('rejects a wrong check digit, naming the field, in Chinese by default and in English on request', async () => {
    const good = idNumberFor('1990-01-01');
    const bad = good.slice(0, 17) + (checkDigit(good.slice(0, 17)) === '1' ? '2' : '1');
    const zh = await staff.post('/api/v1/residents', { name: '李雷', idNumber: bad, houseId: w.house1.id, role: 'family' });
    expect(zh.status).toBe(422);
    expect(zh.headers['content-type']).toContain('application/problem+json');
    expect(zh.json.code).toBe('validation.failed');
    expect(zh.json.errors).toEqual([expect.objectContaining({ field: 'idNumber', code: 'registry.id_checksum', message: expect.stringContaining('校验位') })]);
    const en = await staff.req(
      'POST',
      '/api/v1/residents',
      { name: 'Li Lei', idNumber: bad, houseId: w.house1.id, role: 'family' },
      { 'accept-language': 'en' },
    );
    expect(en.json.title).toBe('The submitted data is invalid');
    expect(en.json.errors[0].message).toContain('check digit');
  });

  it('checks gender, birth date, phone and dates against the rules', async () => {
    const id = idNumberFor('1988-08-08', true);
    const r = await staff.post('/api/v1/residents', {
      name: '赵敏',
      idNumber: id,
      gender: '2',
      birthDate: '1988-08-09',
      phone: '12345',
      houseId: w.house1.id,
      role: 'family',
      moveIn: '2999-01-01',
    });
    expect(r.status).toBe(422);
    const fields = Object.fromEntries(r.json.errors.map((e: any) => [e.field, e.code]));
    expect(fields).toEqual({
      gender: 'registry.gender_mismatch',
      birthDate: 'registry.birth_mismatch',
      phone: 'registry.phone_invalid',
      moveIn: 'registry.date_future',
    });
  });

  it('rejects unknown fields and never answers bad input with a 500', async () => {
    const r = await staff.post('/api/v1/residents', { name: 'x', idNumber: idNumberFor(), houseId: w.house1.id, role: 'owner', isAdmin: true });
    expect(r.status).toBe(422);
    expect(r.json.errors).toContainEqual(expect.objectContaining({ field: 'isAdmin', code: 'validation.unknown_field' }));
    const junk = await staff.req('POST', '/api/v1/residents', '{"name": ', { 'content-type': 'application/json' });
    expect(junk.status).toBe(400);
    expect(junk.json.code).toBe('http.bad_json');
    const wrongType = await staff.post('/api/v1/residents', { name: 12, idNumber: [], houseId: w.house1.id });
    expect(wrongType.status).toBe(422);
  });

  it('refuses a duplicate ID number and keeps the first record', async () => {
    const a = await buildResident(t.kernel, w.house1, { name: '陈静' });
    const dup = await staff.post('/api/v1/residents', { name: '另一个人', idNumber: a.idNumber, houseId: w.house1b.id, role: 'owner' });
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].field).toBe('idNumber');
    const still = await staff.get(`/api/v1/residents/${a.id}`);
    expect(still.json.name).toBe('陈静');
  });

  it('finds residents by exact phone, exact ID number (any spelling), name and house, with totals', async () => {
    const r = await buildResident(t.kernel, w.house1b, { name: '孙悟空', phone: '13700001111' });
    const byPhone = await staff.get('/api/v1/residents?phone=137 0000 1111');
    expect(byPhone.json.items.map((x: any) => x.id)).toEqual([r.id]);
    expect(byPhone.json.total).toBe(1);
    const byId = await staff.get(`/api/v1/residents?idNumber=${encodeURIComponent(' ' + r.idNumber.toLowerCase() + ' ')}`);
    expect(byId.json.items.map((x: any) => x.id)).toEqual([r.id]);
    const byName = await staff.get(`/api/v1/residents?q=${encodeURIComponent('悟空')}`);
    expect(byName.json.items.map((x: any) => x.id)).toEqual([r.id]);
    const byHouse = await staff.get(`/api/v1/residents?houseId=${w.house1b.id}`);
    expect(byHouse.json.items.map((x: any) => x.id)).toContain(r.id);
    for (let i = 0; i < 5; i++) await buildResident(t.kernel, w.house1b, { name: `分页${i}` });
    const page = await staff.get(`/api/v1/residents?q=${encodeURIComponent('分页')}&pageSize=2&page=2`);
    expect(page.json.total).toBe(5);
    expect(page.json.items).toHaveLength(2);
  });

  it('keeps another community out of sight: lists exclude it and its records are 404', async () => {
    const other = await buildResident(t.kernel, w.house2, { name: '隔壁社区', phone: '13600002222' });
    const list = await staff.get('/api/v1/residents?phone=13600002222');
    expect(list.json.total).toBe(0);
    expect((await staff.get(`/api/v1/residents/${other.id}`)).status).toBe(404);
    expect((await staff.patch(`/api/v1/residents/${other.id}`, { name: 'hack' })).status).toBe(404);
    expect((await staff.post(`/api/v1/residents/${other.id}/reveal`, { field: 'phone', reason: 'x' })).status).toBe(404);
    expect((await staff.get(`/api/v1/places/${w.c2.id}`)).status).toBe(404);
    expect((await staff2.get(`/api/v1/residents/${other.id}`)).status).toBe(200);
    const tree = await staff.get('/api/v1/places/tree');
    expect(JSON.stringify(tree.json)).not.toContain(w.c2.id);
  });

  it('reveals one value with a reason, audits it, and lets the resident see who looked', async () => {
    const r = await buildResident(t.kernel, w.house1, { name: '周杰', phone: '13512345678' });
    const noReason = await staff.post(`/api/v1/residents/${r.id}/reveal`, { field: 'idNumber', reason: '  ' });
    expect(noReason.status).toBe(422);
    const rev = await staff.post(`/api/v1/residents/${r.id}/reveal`, { field: 'idNumber', reason: '办理低保核对' });
    expect(rev.json.value).toBe(r.idNumber);
    expect((await property.post(`/api/v1/residents/${r.id}/reveal`, { field: 'idNumber', reason: 'x' })).status).toBe(403);
    const log = await staff.get(`/api/v1/residents/${r.id}/access-log`);
    expect(log.json.items[0]).toMatchObject({ actorName: 'staff1', action: 'registry.resident.reveal', detail: { field: 'idNumber', reason: '办理低保核对' } });
    const audit = await staff.get(`/api/v1/audit?targetId=${r.id}`);
    expect(audit.json.items.map((x: any) => x.action)).toContain('registry.resident.reveal');
  });

  it('moves a resident out keeping the history, and back in elsewhere', async () => {
    const r = await buildResident(t.kernel, w.house1, { name: '吴迁' });
    const detail = await staff.get(`/api/v1/residents/${r.id}`);
    const residencyId = detail.json.residencies[0].id;
    const early = await staff.post(`/api/v1/residents/${r.id}/move-out`, { residencyId, moveOut: '2019-01-01' });
    expect(early.json.errors[0].code).toBe('registry.move_out_before_in');
    const out = await staff.post(`/api/v1/residents/${r.id}/move-out`, { residencyId, moveOut: '2024-06-30', reason: '购房迁出' });
    expect(out.status).toBe(200);
    const again = await staff.post(`/api/v1/residents/${r.id}/move-out`, { residencyId, moveOut: '2024-07-01' });
    expect(again.status).toBe(422);
    const after = await staff.get(`/api/v1/residents/${r.id}`);
    expect(after.json.status).toBe('moved_out');
    expect(after.json.houses).toEqual([]);
    expect(after.json.residencies[0]).toMatchObject({ moveIn: '2020-01-01', moveOut: '2024-06-30', moveOutReason: '购房迁出' });
    const back = await staff.post(`/api/v1/residents/${r.id}/move-in`, { houseId: w.house1b.id, role: 'tenant', moveIn: '2025-01-01' });
    expect(back.status).toBe(201);
    const now = await staff.get(`/api/v1/residents/${r.id}`);
    expect(now.json.status).toBe('active');
    expect(now.json.residencies).toHaveLength(2);
  });

  it('builds the place tree and refuses a place under the wrong parent', async () => {
    const bad = await staff.post('/api/v1/places', { kind: 'house', parentId: w.c1.id, name: '999' });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'parentId', code: 'registry.bad_parent' });
    const est = await staff.post('/api/v1/places', { kind: 'estate', parentId: w.c1.id, name: '新小区' });
    expect(est.status).toBe(201);
    expect(est.json.path).toBe(`${w.c1.path}${est.json.id}/`);
    const dupName = await staff.post('/api/v1/places', { kind: 'estate', parentId: w.c1.id, name: '新小区' });
    expect(dupName.json.errors[0].code).toBe('registry.name_taken');
    const badCode = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      payload: { kind: 'region', name: 'x', code: '12' },
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
    });
    expect(badCode.statusCode).toBe(422);
    const tree = await staff.get('/api/v1/places/tree');
    expect(tree.json[0]).toMatchObject({ id: w.c1.id, kind: 'community' });
    expect(tree.json[0].children.map((c: any) => c.name)).toEqual(expect.arrayContaining(['花家地西里', '新小区']));
  });

  it('exports XLSX with masked values by default and audits the export', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const r = await buildResident(t.kernel, w.house1, { name: '导出测试', phone: '13811112222' });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/residents/export.xlsx?q=${encodeURIComponent('导出测试')}`,
      headers: { cookie: staff.cookie },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const row = wb.worksheets[0].getRow(2).values as any[];
    expect(row).toContain('导出测试');
    expect(row).toContain('138****2222');
    expect(row).not.toContain(r.idNumber);
    const plain = await t.app.inject({
      method: 'GET',
      url: `/api/v1/residents/export.xlsx?q=${encodeURIComponent('导出测试')}&reveal=true&reason=${encodeURIComponent('民政核对')}`,
      headers: { cookie: staff.cookie },
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(plain.rawPayload as any);
    expect(wb2.worksheets[0].getRow(2).values as any[]).toContain(r.idNumber);
    const audit = await staff.get('/api/v1/audit?action=registry.resident.export');
    expect(audit.json.items[0].detail).toMatchObject({ rows: 1, revealed: true, reason: '民政核对' });
  });

  it('serves the data standard as JSON Schema', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/standard' });
    const s = JSON.parse(r.body);
    expect(s.$defs.resident.properties.idNumber['x-standard']).toContain('GB 11643');
    expect(JSON.stringify(s)).toContain('GB 3304');
  });
});
