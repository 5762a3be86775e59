// Records in, over HTTP on both databases: a police source uploads a GBK CSV in its own columns,
// civil affairs pushes JSON and uploads XLSX with its category codes; records link by ID number or
// probabilistically, uncertain ones wait for review (side by side, masked), decisions are audited
// and remembered; provenance shows who said what, conflicts are settled by precedence; welfare
// tags reach the registry as a system actor; data quality per source.
import { afterAll, beforeAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildResident, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { civilWelfareProfile, policeHouseholdProfile } from './mapping.js';

type Person = Awaited<ReturnType<typeof buildResident>>;

function multipart(file: { name: string; data: Buffer }) {
  const boundary = '----linli' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

const breakCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

describeEachDialect('exchange records in', (dialect) => {
  let t: TestApp;
  let w: World;
  let officer: Client; // department officer of c1
  let officer2: Client; // department officer of c2
  let staff: Client; // community staff of c1
  let zhang: Person;
  let li: Person;
  let wang: Person;
  let liu: Person;
  let police: string;
  let civil: string;

  const upload = async (c: Client, sourceId: string, name: string, data: Buffer) => {
    const m = multipart({ name, data });
    return c.req('POST', `/api/v1/exchange/sources/${sourceId}/uploads`, m.payload, { 'content-type': m.contentType });
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    zhang = await buildResident(t.kernel, w.house1, { name: '张伟', birthDate: '1956-03-07' });
    li = await buildResident(t.kernel, w.house1, { name: '李秀英', birthDate: '1948-11-02', male: false });
    wang = await buildResident(t.kernel, w.house1b, { name: '王丽', birthDate: '1960-01-02', male: false, phone: null });
    liu = await buildResident(t.kernel, w.house1b, { name: '刘晓东', birthDate: '1972-05-09' });
    await buildResident(t.kernel, w.house2, { name: '张伟', birthDate: '1956-03-07' }); // same name and birth date, other community
    await buildStaff(t.kernel, 'xr_officer', 'department_officer', w.c1);
    await buildStaff(t.kernel, 'xr_officer2', 'department_officer', w.c2);
    await buildStaff(t.kernel, 'xr_staff', 'community_staff', w.c1);
    [officer, officer2, staff] = await Promise.all(['xr_officer', 'xr_officer2', 'xr_staff'].map((u) => login(t.app, u, PASSWORD)));
  });
  afterAll(async () => t?.close());

  it('registers sources with declared profiles; a profile onto codes the standard lacks is refused', async () => {
    const bad = await officer.post('/api/v1/exchange/sources', {
      name: 'x',
      department: 'civil_affairs',
      placeId: w.c1.id,
      profile: { columns: { name: '姓名', shoeSize: '鞋码' }, codes: { tags: { A01: ['rich'] } } },
    });
    expect(bad.status, bad.body).toBe(422);
    expect(bad.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['profile.codes.tags.A01', 'profile.columns.shoeSize']);

    const p = await officer.post('/api/v1/exchange/sources', {
      name: '望京派出所 常住人口',
      department: 'police',
      placeId: w.c1.id,
      profile: policeHouseholdProfile,
    });
    expect(p.status, p.body).toBe(201);
    police = p.json.id;
    const c = await officer.post('/api/v1/exchange/sources', { name: '朝阳区民政局 救助对象名册', department: 'civil_affairs', placeId: w.c1.id });
    civil = c.json.id;
    // no profile yet: nothing can come in
    expect((await officer.post(`/api/v1/exchange/sources/${civil}/records`, { records: [{ 救助对象姓名: '张伟' }] })).status).toBe(409);
    const v1 = await officer.post(`/api/v1/exchange/sources/${civil}/profiles`, { definition: civilWelfareProfile, note: '2026 名册格式' });
    expect(v1.json).toMatchObject({ version: 1, note: '2026 名册格式' });

    // an officer of another community does not see them; community staff may not manage sources
    expect((await officer2.get('/api/v1/exchange/sources')).json.items).toEqual([]);
    expect((await officer2.get(`/api/v1/exchange/sources/${police}/profiles`)).status).toBe(404);
    expect((await staff.get('/api/v1/exchange/sources')).status).toBe(403);
  });

  it('a GBK CSV in the police’s own columns: links by ID number, then by matching, rejects what cannot be used', async () => {
    const rows = [
      ['户号', '姓名', '性别', '民族', '出生日期', '公民身份号码', '与户主关系', '住址', '联系电话'],
      ['1', '张伟', '1', '01', '19560307', zhang.idNumber, '02', '花家地西里 1号楼 1单元 101', zhang.phone!],
      ['1', '李秀英', '2', '01', '19481102', breakCheckDigit(li.idNumber), '10', '花家地西里1号楼1单元101室', ''], // mistyped ID
      ['2', '劉曉東', '1', '01', '19720905', '', '02', '花家地西里 1-1-102', ''], // traditional, day and month swapped, no ID
      ['3', '孔令辉', '1', '01', '19880412', '', '02', '花家地西里 9号楼 2单元 301', ''], // nobody the registry holds
      ['4', '', '1', '01', '19700101', '', '01', '', ''], // no name
      ['5', '冯立', '5', '01', '19700101', '', '01', '', ''], // a gender code the standard lacks
    ];
    const data = iconv.encode(rows.map((r) => r.join(',')).join('\r\n'), 'gbk');
    const r = await upload(officer, police, 'czrk.csv', data);
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({ via: 'upload', encoding: 'gb18030', profileVersion: 1, total: 6, linked: 3, review: 0, newCount: 1, rejected: 2 });

    const rejected = (await officer.get(`/api/v1/exchange/imports/${r.json.id}/rejected`)).json.items;
    expect(rejected.map((x: { row: number }) => x.row)).toEqual([6, 7]);
    expect(rejected[0].errors.map((e: { code: string }) => e.code)).toContain('validation.required');
    expect(rejected[1].errors).toEqual([expect.objectContaining({ field: 'gender', code: 'exchange.code_untranslated', params: { value: '5' } })]);
    expect(rejected[1].cells).toMatchObject({ 姓名: '冯立', 性别: '5' });

    const imports = (await officer.get(`/api/v1/exchange/imports?sourceId=${police}`)).json;
    expect(imports.total).toBe(1);
    // the same-named person in the other community was not taken: the record is in c1's scope
    const prov = (await officer.get(`/api/v1/exchange/residents/${zhang.id}/provenance`)).json;
    expect(prov.assertions.find((a: { attribute: string }) => a.attribute === 'phone')).toMatchObject({
      sourceId: police,
      value: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
    });
    expect(
      (await officer.get(`/api/v1/exchange/residents/${liu.id}/provenance`)).json.assertions.find((a: { attribute: string }) => a.attribute === 'name'),
    ).toMatchObject({
      value: '劉曉東',
      sourceId: police,
    });
  });

  it('civil affairs pushes JSON with category codes: welfare tags reach the registry as a system actor; a phone conflict is settled by precedence', async () => {
    const r = await officer.post(`/api/v1/exchange/sources/${civil}/records`, {
      records: [
        {
          救助对象姓名: '张伟',
          身份证件号码: zhang.idNumber,
          性别: '男',
          出生年月日: '1956年3月7日',
          联系方式: '13700001111',
          保障类别: 'A01 城市低保、C01 残疾人两项补贴',
        },
      ],
    });
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({ via: 'push', total: 1, linked: 1 });

    const res = (await t.kernel.db.selectFrom('residents').select(['tags']).where('id', '=', zhang.id).executeTakeFirstOrThrow()).tags;
    expect(JSON.parse(res).sort()).toEqual(['disabled', 'low_income']);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_name', 'action'])
      .where('target_id', '=', zhang.id)
      .where('action', '=', 'registry.resident.update')
      .execute();
    expect(audit).toEqual([{ actor_name: expect.stringMatching(/^system:exchange\.welfare/), action: 'registry.resident.update' }]);

    const prov = (await officer.get(`/api/v1/exchange/residents/${zhang.id}/provenance`)).json;
    const phone = prov.conflicts.find((c: { attribute: string }) => c.attribute === 'phone');
    expect(phone.values.map((v: { sourceId: string }) => v.sourceId).sort()).toEqual([police, civil].sort());
    expect(phone.settled).toMatchObject({ sourceId: civil, value: '137****1111' }); // civil affairs knows phones best
    expect(
      prov.assertions
        .filter((a: { attribute: string }) => a.attribute.startsWith('tag:'))
        .map((a: { attribute: string }) => a.attribute)
        .sort(),
    ).toEqual(['tag:disabled', 'tag:low_income']);
    // the police's phone is kept, not overwritten
    expect(prov.assertions.filter((a: { attribute: string; current: boolean }) => a.attribute === 'phone' && a.current)).toHaveLength(2);
    expect((await officer.get('/api/v1/exchange/conflicts')).json.items).toContainEqual({ residentId: zhang.id, attribute: 'phone', values: 2 });
    expect((await officer2.get('/api/v1/exchange/conflicts')).json.items).toEqual([]);
  });

  it('billing’s waiver for a welfare tag names the civil-affairs roll it came from', async () => {
    await buildStaff(t.kernel, 'xr_pm', 'property_manager', w.c1);
    const pm = await login(t.app, 'xr_pm', PASSWORD);
    const fee = await pm.post('/api/v1/billing/fee-items', {
      communityId: w.c1.id,
      dueDays: 15,
      lateGraceDays: 10,
      lateRateBp: 5,
      lateCapBp: 1000,
      code: 'property',
      nameZh: '物业费',
      nameEn: 'Property fee',
      kind: 'property',
      unitPrice: 23500,
      discounts: [{ tag: 'low_income', percentOff: 50 }],
    });
    expect(fee.status, fee.body).toBe(201);
    const run = await pm.post('/api/v1/billing/runs', { communityId: w.c1.id, period: '2026-10' });
    expect(run.status, run.body).toBe(200);
    const bills = await t.kernel.db.selectFrom('bills').select(['house_id', 'discount_fen', 'detail']).where('fee_item_id', '=', fee.json.id).execute();
    const b1 = bills.find((b) => b.house_id === w.house1.id)!;
    expect(b1.discount_fen).toBeGreaterThan(0);
    expect(JSON.parse(b1.detail).discount).toEqual({
      tag: 'low_income',
      percentOff: 50,
      source: { sourceId: civil, sourceName: '朝阳区民政局 救助对象名册', assertedAt: expect.any(String) },
    });
    expect(JSON.parse(bills.find((b) => b.house_id === w.house1b.id)!.detail).discount).toBeNull();
  });

  it('an XLSX roll with an unknown category is rejected row by row; an uncertain match waits for review, masked, and the decision is remembered', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('救助对象');
    ws.addRow(['序号', '救助对象姓名', '身份证件号码', '性别', '出生年月日', '家庭住址', '联系方式', '保障类别']);
    ws.addRow([1, '王美', '', '女', '1960-01-03', '花家地西里1号楼1单元102', '', 'B01 特困供养']); // a typo in the name, a day off
    ws.addRow([2, '李秀英', li.idNumber, '女', '1948-11-02', '', '', 'Z99 其他']);
    const r = await upload(officer, civil, 'roll.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({ encoding: 'xlsx', total: 2, review: 1, rejected: 1 });

    const list = (await officer.get('/api/v1/exchange/reviews')).json;
    expect(list.total).toBe(1);
    const rv = list.items[0];
    expect(rv.record).toMatchObject({ name: '王美', birthDate: '1960-01-03', tags: ['extreme_poverty'] });
    expect(rv.candidate).toMatchObject({ id: wang.id, name: '王丽', birthDate: '1960-01-02', idNumberMasked: expect.stringMatching(/^\d{3}\*+\d{3}[\dX]$/) });
    expect(rv.levels).toMatchObject({ name: 'similar', birthDate: 'partial', address: 'agree' });
    expect(JSON.stringify(rv)).not.toContain(wang.idNumber);
    // another community's officer neither sees nor decides it
    expect((await officer2.get('/api/v1/exchange/reviews')).json.total).toBe(0);
    expect((await officer2.post(`/api/v1/exchange/reviews/${rv.id}/decision`, { decision: 'same' })).status).toBe(404);

    const d = await officer.post(`/api/v1/exchange/reviews/${rv.id}/decision`, { decision: 'same' });
    expect(d.status, d.body).toBe(200);
    expect(d.json).toMatchObject({ status: 'same', decidedBy: officer.user.id });
    expect((await officer.post(`/api/v1/exchange/reviews/${rv.id}/decision`, { decision: 'different' })).status).toBe(409);
    const audit = await t.kernel.db.selectFrom('audit_log').select(['subject_resident_id', 'detail']).where('action', '=', 'exchange.review.decide').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].subject_resident_id).toBe(wang.id);
    const tags = JSON.parse((await t.kernel.db.selectFrom('residents').select(['tags']).where('id', '=', wang.id).executeTakeFirstOrThrow()).tags);
    expect(tags).toEqual(['extreme_poverty']);

    // the same record again: decided from memory, no second review
    const again = await officer.post(`/api/v1/exchange/sources/${civil}/records`, {
      records: [{ 救助对象姓名: '王美', 性别: '女', 出生年月日: '1960-01-03', 家庭住址: '花家地西里1号楼1单元102', 保障类别: 'B01' }],
    });
    expect(again.json).toMatchObject({ linked: 1, review: 0 });
    expect((await officer.get('/api/v1/exchange/reviews')).json.total).toBe(0);
    expect((await officer.get('/api/v1/exchange/reviews?status=same')).json.total).toBe(1);
  });

  it('data quality per source: completeness, validity, duplicates, match rate and a 12-month trend', async () => {
    await officer.post(`/api/v1/exchange/sources/${police}/records`, {
      records: [
        { 姓名: '张伟', 公民身份号码: zhang.idNumber, 性别: '1', 出生日期: '19560307' },
        { 姓名: '张伟', 公民身份号码: zhang.idNumber, 性别: '1', 出生日期: '19560307' },
        { 姓名: '李秀英', 公民身份号码: li.idNumber, 性别: '2', 联系电话: '12345' },
      ],
    });
    const q = (await officer.get(`/api/v1/exchange/sources/${police}/quality`)).json;
    expect(q.latest).toMatchObject({ records: 3, duplicates: 1, matchRate: 1, validity: 0.667 });
    expect(q.latest.completeness).toBeGreaterThan(0.3);
    expect(q.latest.completeness).toBeLessThan(0.7);
    expect(q.trend).toHaveLength(12);
    expect(q.trend[11]).toMatchObject({ records: 9 });
    expect(q.trend[0]).toMatchObject({ records: 0, matchRate: null });
    expect(q.year.matchRate).toBeCloseTo(6 / 7, 2); // 孔令辉 is new; rejected rows do not count
    expect((await officer2.get(`/api/v1/exchange/sources/${police}/quality`)).status).toBe(404);
  });
});
