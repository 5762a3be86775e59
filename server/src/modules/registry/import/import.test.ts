// Bulk import through the real HTTP app on every dialect, with the mess real spreadsheets bring:
// GBK CSV, unknown headers, bad check digits, duplicates, re-imports, empty and oversized files.
import { afterAll, beforeAll, expect, it } from 'vitest';
import crypto from 'node:crypto';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { createTestApp, describeEachDialect, type TestApp } from '../../../test/harness.js';
import { IdentityService } from '../../identity/index.js';
import { PlacesService } from '../places.service.js';
import type { PlaceRow } from '../places.repository.js';
import { makeIdNumber } from '../standard/id-number.js';
import { verifyAuditChain } from '../../../kernel/audit/index.js';
import { waitForImport } from './import.service.js';
import { MAX_DATA_ROWS } from './parse.js';

interface Staff {
  community: PlaceRow;
  cookie: string;
  csrf: string;
}

const HEADERS = ['姓名', '身份证号码', '性别', '手机号', '小区', '楼栋', '单元', '房号', '与户主关系', '身份', '民族', '标签'];

// unique, valid ID numbers across the whole file: birth date walks over ~49 years, the sequence over thousands
let idSeq = 0;
function nextId(): string {
  const i = idSeq++;
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86400000).toISOString().slice(0, 10);
  return makeIdNumber('110105', birth, String(Math.floor(i / 18000) + 100).padStart(3, '0'));
}
const genderOf = (id: string) => (Number(id[16]) % 2 ? '男' : '女');
const breakCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

function person(name: string, house = '301', extra: Partial<Record<string, string>> = {}): string[] {
  const id = extra.id ?? nextId();
  const v: Record<string, string> = {
    姓名: name, 身份证号码: id, 性别: genderOf(id), 手机号: '13800138000', 小区: '幸福小区', 楼栋: '1号楼', 单元: '2单元', 房号: house,
    与户主关系: '户主', 身份: '业主', 民族: '汉族', 标签: '', ...extra,
  };
  return HEADERS.map((h) => v[h] ?? '');
}

const csvCell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const csv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type?: string }, fileFirst = false) {
  const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
  const fieldParts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const filePart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
    file.data,
    Buffer.from('\r\n'),
  ]);
  const parts = fileFirst ? [filePart, ...fieldParts] : [...fieldParts, filePart];
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('registry import', (dialect) => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh community and a signed-in community_staff user granted there. */
  async function staff(): Promise<Staff> {
    const i = ++n;
    const places = new PlacesService(t.kernel);
    const region = await places.insertPlace({ kind: 'region', name: `朝阳区${i}`, code: '110105', regionLevel: 'district' }, null);
    const community = await places.insertPlace({ kind: 'community', name: `和平社区${i}` }, region);
    const ids = new IdentityService(t.kernel);
    const user = await ids.createStaffUser({ username: `staff${i}`, displayName: `社工${i}`, password: 'correct-horse-battery' }, null);
    await ids.addGrant(user.id, 'community_staff', community.id, null);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `staff${i}`, password: 'correct-horse-battery' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'linli_session')!;
    return { community, cookie: `linli_session=${cookie.value}`, csrf: res.json().csrfToken };
  }

  function upload(s: Staff, name: string, data: Buffer, kind = 'residents', opts: { communityId?: string; fileFirst?: boolean } = {}) {
    const m = multipart({ kind, communityId: opts.communityId ?? s.community.id }, { name, data }, opts.fileFirst);
    return t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: m.payload, headers: { 'content-type': m.contentType, cookie: s.cookie, 'x-csrf-token': s.csrf } });
  }

  async function uploaded(s: Staff, name: string, data: Buffer, kind = 'residents') {
    const res = await upload(s, name, data, kind);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  function startRun(s: Staff, id: string, mapping: Record<string, string | null>, dryRun = false) {
    return t.app.inject({ method: 'POST', url: `/api/v1/imports/${id}/run`, payload: { mapping, dryRun }, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  }

  async function run(s: Staff, up: { id: string; mapping: Record<string, string | null> }, dryRun = false) {
    const res = await startRun(s, up.id, up.mapping, dryRun);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('running');
    await waitForImport(up.id);
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } });
    expect(got.statusCode).toBe(200);
    const imp = got.json();
    expect(imp.error).toBeNull();
    expect(imp.status).toBe('done');
    return imp;
  }

  async function residents(s: Staff, q = '') {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/residents?pageSize=200&placeId=${s.community.id}${q}`, headers: { cookie: s.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; items: any[] };
  }

  async function report(s: Staff, id: string): Promise<string[][]> {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report.xlsx`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    return rows;
  }

  it('imports a GBK-encoded CSV with Chinese headers; names and codes come out right', async () => {
    const s = await staff();
    const data = iconv.encode(csv([
      HEADERS,
      person('张三', '301', { 标签: '独居、党员' }),
      person('李四', '301', { 与户主关系: '配偶', 身份: '家庭成员', 民族: '回族' }),
      person('欧阳娜娜', '302', { 身份: '租客', 与户主关系: '', 手机号: '' }),
    ]), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(data)).toThrow(); // really not UTF-8
    const up = await uploaded(s, 'residents-gbk.csv', data);
    expect(up.headers).toEqual(HEADERS);
    expect(up.totalRows).toBe(3);
    expect(up.sample[0][0]).toBe('张三');
    expect(up.mapping).toMatchObject({ name: '姓名', idNumber: '身份证号码', gender: '性别', phone: '手机号', estate: '小区', building: '楼栋', unit: '单元', house: '房号', relation: '与户主关系', role: '身份', ethnicity: '民族', tags: '标签', birthDate: null });
    expect(up.fields.find((f: any) => f.name === 'idNumber')).toEqual({ name: 'idNumber', zh: '证件号码', en: 'ID number', required: true });

    const imp = await run(s, up);
    expect(imp).toMatchObject({ totalRows: 3, processedRows: 3, imported: 3, unchanged: 0, rejected: 0, dryRun: false, reportUrl: null });
    const list = await residents(s);
    expect(list.total).toBe(3);
    const byName = new Map(list.items.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(['张三', '李四', '欧阳娜娜'].sort());
    expect(byName.get('张三')).toMatchObject({ ethnicity: '01', tags: expect.arrayContaining(['living_alone', 'party_member']) });
    expect(byName.get('张三').houses[0]).toMatchObject({ houseLabel: '幸福小区 1号楼 2单元 301', role: 'owner', relation: '02' });
    expect(byName.get('李四')).toMatchObject({ ethnicity: '03' });
    expect(byName.get('李四').houses[0]).toMatchObject({ role: 'family', relation: '10' });
    expect(byName.get('欧阳娜娜')).toMatchObject({ phoneMasked: null });
    expect(byName.get('欧阳娜娜').houses[0]).toMatchObject({ houseLabel: '幸福小区 1号楼 2单元 302', role: 'tenant' });
    // both residents of 301 share one household
    const house = await t.app.inject({ method: 'GET', url: `/api/v1/houses/${byName.get('张三').houses[0].houseId}`, headers: { cookie: s.cookie } });
    expect(house.json().households).toHaveLength(1);
    expect(house.json().households[0].members).toHaveLength(2);
  });

  it('unknown headers get no suggestion; running without the required fields is 422 naming them', async () => {
    const s = await staff();
    const id = nextId();
    const up = await uploaded(s, 'weird.csv', Buffer.from(csv([['Full Nm', 'Papers', 'Wohnung'], ['张三', id, '101']])));
    expect(up.mapping).toMatchObject({ name: null, idNumber: null, estate: null, building: null, house: null });
    const res = await startRun(s, up.id, up.mapping);
    expect(res.statusCode).toBe(422);
    const fields = res.json().errors.map((e: any) => e.field).sort();
    expect(fields).toEqual(['mapping.building', 'mapping.estate', 'mapping.house', 'mapping.idNumber', 'mapping.name']);
    expect(res.json().errors[0].message).toBe('必填');
    // a header that is not in the file, and a field that does not exist
    const bad = await startRun(s, up.id, { name: 'Full Nm', idNumber: 'Passport', estate: 'Wohnung', building: 'Wohnung', house: 'Wohnung', shoeSize: 'Wohnung' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: any) => e.code).sort()).toEqual(['import.field_unknown', 'import.header_unknown']);
    // an unknown body key is refused by the schema
    const extra = await t.app.inject({ method: 'POST', url: `/api/v1/imports/${up.id}/run`, payload: { mapping: {}, dryRun: false, force: true }, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(extra.statusCode).toBe(422);
    // the import stays runnable, nothing was written
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } });
    expect(got.json()).toMatchObject({ status: 'uploaded', imported: 0 });
    expect((await residents(s)).total).toBe(0);
  });

  it('rejects rows with a bad check digit (reason and row number), imports the valid rows, and the report XLSX lists them', async () => {
    const s = await staff();
    const bad = breakCheckDigit(nextId());
    const rows = [
      HEADERS,
      person('赵一', '101'),
      person('钱二', '101', { id: bad }), // row 3
      person('孙三', '102'),
      person('李四', '102', { 手机号: '12345', 性别: '未知值' }), // row 5: two failing fields
      person('周五', '103'),
    ];
    const up = await uploaded(s, 'mixed.csv', Buffer.from('\uFEFF' + csv(rows))); // UTF-8 with BOM
    expect(up.headers[0]).toBe('姓名');
    const imp = await run(s, up);
    expect(imp).toMatchObject({ imported: 3, unchanged: 0, rejected: 2, reportUrl: `/api/v1/imports/${up.id}/report.xlsx` });
    expect((await residents(s)).items.map((r) => r.name).sort()).toEqual(['周五', '孙三', '赵一'].sort());

    const rep = await report(s, up.id);
    expect(rep[0]).toEqual([...HEADERS, '行号', '原因']);
    expect(rep).toHaveLength(3);
    const rowNo = HEADERS.length;
    expect(rep[1][0]).toBe('钱二');
    expect(rep[1][1]).toBe(bad); // kept as text, not a number
    expect(rep[1][rowNo]).toBe('3');
    expect(rep[1][rowNo + 1]).toContain('身份证号码：身份证号校验位不正确');
    expect(rep[2][rowNo]).toBe('5');
    expect(rep[2][rowNo + 1]).toContain('手机号：请输入有效的大陆手机号');
    expect(rep[2][rowNo + 1]).toContain('性别：不在代码表中：未知值');
  });

  it('rejects the second occurrence of an ID number in the file, naming the first row', async () => {
    const s = await staff();
    const id = nextId();
    const up = await uploaded(s, 'dup.csv', Buffer.from(csv([HEADERS, person('张三', '101', { id }), person('李四', '102'), person('张三', '103', { id })])));
    const imp = await run(s, up);
    expect(imp).toMatchObject({ imported: 2, rejected: 1, unchanged: 0 });
    const rep = await report(s, up.id);
    expect(rep[1][HEADERS.length]).toBe('4');
    expect(rep[1][HEADERS.length + 1]).toBe('身份证号码：证件号码与第 2 行重复');
  });

  it('an ID number already registered: same data is unchanged, different data is rejected', async () => {
    const s = await staff();
    const a = nextId();
    const b = nextId();
    const first = await uploaded(s, 'first.csv', Buffer.from(csv([HEADERS, person('张三', '101', { id: a }), person('李四', '102', { id: b })])));
    expect((await run(s, first)).imported).toBe(2);
    const second = await uploaded(s, 'second.csv', Buffer.from(csv([
      HEADERS,
      person('张三', '101', { id: a }), // same
      person('李四改', '102', { id: b, 手机号: '13900139000' }), // name and phone differ
      person('王五', '103'), // new
    ])));
    const imp = await run(s, second);
    expect(imp).toMatchObject({ imported: 1, unchanged: 1, rejected: 1 });
    const rep = await report(s, second.id);
    expect(rep[1][HEADERS.length]).toBe('3');
    expect(rep[1][HEADERS.length + 1]).toBe('身份证号码：该证件号码已登记，且信息与文件不一致（姓名、手机号）');
    const list = await residents(s);
    expect(list.total).toBe(3);
    expect(list.items.find((r) => r.name === '李四')).toBeTruthy(); // not overwritten

    // registered in another community: rejected without showing what is stored there
    const other = await staff();
    const up = await uploaded(other, 'other.csv', Buffer.from(csv([HEADERS, person('张三', '101', { id: a })])));
    expect(await run(other, up)).toMatchObject({ imported: 0, rejected: 1 });
    expect((await report(other, up.id))[1][HEADERS.length + 1]).toBe('身份证号码：该证件号码已在其他社区登记');
  });

  it('re-importing the same file changes nothing', async () => {
    const s = await staff();
    const data = Buffer.from(csv([HEADERS, person('张三', '101'), person('李四', '101', { 与户主关系: '妻子', 身份: '家庭成员' }), person('王五', '201', { 单元: '3单元' })]));
    const a = await run(s, await uploaded(s, 'family.csv', data));
    expect(a).toMatchObject({ imported: 3, unchanged: 0, rejected: 0 });
    const placesBefore = await t.kernel.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', s.community.id).executeTakeFirst();
    const b = await run(s, await uploaded(s, 'family.csv', data));
    expect(b).toMatchObject({ imported: 0, unchanged: 3, rejected: 0, reportUrl: null });
    expect((await residents(s)).total).toBe(3);
    const placesAfter = await t.kernel.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', s.community.id).executeTakeFirst();
    expect(Number(placesAfter!.n)).toBe(Number(placesBefore!.n));
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
    const noReport = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${a.id}/report.xlsx`, headers: { cookie: s.cookie } });
    expect(noReport.statusCode).toBe(404);
  });

  it('an empty file, a header-only file and a non-spreadsheet are refused', async () => {
    const s = await staff();
    const empty = await upload(s, 'empty.csv', Buffer.alloc(0));
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe('import.empty');
    const blank = await upload(s, 'blank.csv', Buffer.from('\r\n\r\n,,,\r\n'));
    expect(blank.statusCode).toBe(422);
    expect(blank.json().code).toBe('import.empty');
    const headerOnly = await upload(s, 'header.csv', Buffer.from(csv([HEADERS])));
    expect(headerOnly.statusCode).toBe(422);
    expect(headerOnly.json()).toMatchObject({ code: 'import.empty', title: '文件中没有数据行（第一行应为表头）' });
    const pdf = await upload(s, 'x.csv', Buffer.from('%PDF-1.4 not a table'));
    expect(pdf.statusCode).toBe(415);
    const broken = await upload(s, 'x.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.from('xl/workbook.xml')]));
    expect([415, 422]).toContain(broken.statusCode);
    const badKind = await upload(s, 'a.csv', Buffer.from(csv([HEADERS, person('张三')])), 'cars');
    expect(badKind.statusCode).toBe(422);
    expect(badKind.json().errors[0].field).toBe('kind');
    const count = await t.kernel.db.selectFrom('imports').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', s.community.id).executeTakeFirst();
    expect(Number(count!.n)).toBe(0);
  });

  it('a dry run writes nothing but reports what a real run would do', async () => {
    const s = await staff();
    const up = await uploaded(s, 'dry.csv', Buffer.from(csv([HEADERS, person('张三', '101'), person('李四', '102'), person('王五', '102', { id: breakCheckDigit(nextId()) })])));
    const dry = await run(s, up, true);
    expect(dry).toMatchObject({ dryRun: true, imported: 2, unchanged: 0, rejected: 1, processedRows: 3 });
    expect((await residents(s)).total).toBe(0);
    const placeCount = await t.kernel.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', s.community.id).where('kind', '!=', 'community').executeTakeFirst();
    expect(Number(placeCount!.n)).toBe(0);
    expect((await report(s, up.id))[1][HEADERS.length]).toBe('4');
    // then for real, same upload: the same counts
    const real = await run(s, up);
    expect(real).toMatchObject({ dryRun: false, imported: 2, rejected: 1 });
    expect((await residents(s)).total).toBe(2);
  });

  it('imports an XLSX workbook (dates, numbers and text cells)', async () => {
    const s = await staff();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('居民');
    ws.addRow(['Name', 'ID Number', 'Date of birth', 'Mobile', 'Estate', 'Building', 'Room', 'Move-in date', 'Relationship']);
    const id1 = makeIdNumber('110105', '1980-05-06', '123');
    const id2 = makeIdNumber('310104', '2001-12-31', '246');
    ws.addRow(['Wang Fang', id1, new Date(Date.UTC(1980, 4, 6)), 13912345678, 'Sunny Garden', 3, 1203, new Date(Date.UTC(2020, 0, 15)), '户主']);
    ws.addRow([{ richText: [{ text: '陈' }, { text: '静' }] }, id2, '2001/12/31', '+86 139-1234-5679', 'Sunny Garden', 3, 1203, '2021年3月1日', '女儿']);
    ws.addRow([]);
    ws.addRow(['Bad Date', nextId(), '1980-13-45', '', 'Sunny Garden', 3, 1204, '', '']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await uploaded(s, 'residents.xlsx', data);
    expect(up.mapping).toMatchObject({ name: 'Name', idNumber: 'ID Number', birthDate: 'Date of birth', phone: 'Mobile', estate: 'Estate', building: 'Building', house: 'Room', moveIn: 'Move-in date', relation: 'Relationship', unit: null });
    expect(up.sample[0]).toEqual(['Wang Fang', id1, '1980-05-06', '13912345678', 'Sunny Garden', '3', '1203', '2020-01-15', '户主']);
    const imp = await run(s, up);
    expect(imp).toMatchObject({ imported: 2, rejected: 1 });
    const list = await residents(s);
    const wang = list.items.find((r) => r.name === 'Wang Fang');
    expect(wang).toMatchObject({ birthDate: '1980-05-06', gender: '1', phoneMasked: '139****5678' });
    expect(wang.houses[0]).toMatchObject({ houseLabel: 'Sunny Garden 3 1203', moveIn: '2020-01-15', role: 'owner' });
    const chen = list.items.find((r) => r.name === '陈静');
    expect(chen.houses[0]).toMatchObject({ moveIn: '2021-03-01', relation: '30', role: 'family', houseId: wang.houses[0].houseId });
    const rep = await report(s, up.id);
    expect(rep[1][9]).toBe('5'); // the row number the sheet shows (row 4 is empty)
    expect(rep[1][10]).toContain('Date of birth：');
  });

  it('imports houses: creates missing ones, updates floor/area/use of existing ones, unchanged when equal', async () => {
    const s = await staff();
    const H = ['小区', '楼号', '单元', '门牌号', '楼层', '建筑面积(㎡)', '房屋用途'];
    const up = await uploaded(s, 'houses.csv', Buffer.from(csv([H, ['幸福小区', '1号楼', '1单元', '101', '1', '89.5', '住宅'], ['幸福小区', '1号楼', '1单元', '102', '1层', '90㎡', '商住'], ['幸福小区', '2号楼', '', '底商1', '1', '120', '商业'], ['幸福小区', '2号楼', '', '底商2', 'x', '-3', '仓库']])), 'houses');
    expect(up.mapping).toEqual({ estate: '小区', building: '楼号', unit: '单元', house: '门牌号', floor: '楼层', areaM2: '建筑面积(㎡)', houseUse: '房屋用途' });
    expect(await run(s, up)).toMatchObject({ imported: 3, rejected: 1 });
    const rep = await report(s, up.id);
    expect(rep[1][H.length + 1]).toContain('楼层：楼层应为');
    expect(rep[1][H.length + 1]).toContain('建筑面积(㎡)：面积应大于 0');
    expect(rep[1][H.length + 1]).toContain('房屋用途：不在代码表中：仓库');
    const houses = await t.kernel.db.selectFrom('places').selectAll().where('community_id', '=', s.community.id).where('kind', '=', 'house').orderBy('name').execute();
    expect(houses.map((h) => [h.name, Number(h.floor), Number(h.area_m2), h.house_use])).toEqual([['101', 1, 89.5, 'residential'], ['102', 1, 90, 'mixed'], ['底商1', 1, 120, 'commercial']]);

    const again = await uploaded(s, 'houses2.csv', Buffer.from(csv([H, ['幸福小区', '1号楼', '1单元', '101', '1', '89.5', '住宅'], ['幸福小区', '1号楼', '1单元', '102', '1', '95.25', 'mixed']])), 'houses');
    expect(await run(s, again)).toMatchObject({ imported: 1, unchanged: 1, rejected: 0 });
    const h102 = await t.kernel.db.selectFrom('places').selectAll().where('community_id', '=', s.community.id).where('name', '=', '102').executeTakeFirst();
    expect(Number(h102!.area_m2)).toBe(95.25);
  });

  it('imports and their files are invisible outside the community (404)', async () => {
    const s = await staff();
    const outsider = await staff();
    const up = await uploaded(s, 'a.csv', Buffer.from(csv([HEADERS, person('张三')])));
    for (const [method, url] of [['GET', `/api/v1/imports/${up.id}`], ['GET', `/api/v1/imports/${up.id}/report.xlsx`], ['POST', `/api/v1/imports/${up.id}/run`]] as const) {
      const res = await t.app.inject({ method, url, headers: { cookie: outsider.cookie, 'x-csrf-token': outsider.csrf }, ...(method === 'POST' ? { payload: { mapping: up.mapping, dryRun: false } } : {}) });
      expect(res.statusCode, url).toBe(404);
    }
    const intoOther = await upload(outsider, 'b.csv', Buffer.from(csv([HEADERS, person('李四')])), 'residents', { communityId: s.community.id });
    expect(intoOther.statusCode).toBe(404);
    // fields after the file part are read as well
    const late = await upload(s, 'late.csv', Buffer.from(csv([HEADERS, person('王五')])), 'residents', { fileFirst: true });
    expect(late.statusCode, late.body).toBe(201);
  });

  it(`a file over ${MAX_DATA_ROWS} rows or 20 MB is refused with 413 before anything is imported`, async () => {
    const s = await staff();
    const many = Buffer.from('姓名,身份证号码\n' + 'x,1\n'.repeat(MAX_DATA_ROWS + 1));
    const res = await upload(s, 'many.csv', many);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'import.too_many_rows', title: `文件行数过多：最多 ${MAX_DATA_ROWS} 行数据，本文件有 ${MAX_DATA_ROWS + 1} 行` });
    const big = await upload(s, 'big.csv', Buffer.alloc(20 * 1024 * 1024 + 10, 'a'));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('files.too_large');
    const count = await t.kernel.db.selectFrom('imports').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', s.community.id).executeTakeFirst();
    expect(Number(count!.n)).toBe(0);
    expect((await residents(s)).total).toBe(0);
  });

  // 50,000 residents in 12,500 new houses, 100 chunks of 500 rows, upload included.
  // Measured on the (shared, noisy) dev container: SQLite 31–39 s, PostgreSQL 15 ≈ 38 s, so the
  // same size runs on both dialects well inside the 240 s timeout. Row-by-row writes took ~175 s
  // on PostgreSQL (≈ 0.7 ms a round trip here), hence the per-chunk multi-row inserts.
  it('imports a 50,000-row CSV completely', async () => {
    const s = await staff();
    const N = 50_000;
    const lines = [HEADERS.join(',')];
    for (let i = 0; i < N; i++) {
      const id = nextId();
      const h = Math.floor(i / 4); // four people a house: 5 estates × 20 buildings × 4 units × 32 rooms
      lines.push([`居民${i}`, id, genderOf(id), '', `小区${h % 5}`, `${(Math.floor(h / 5) % 20) + 1}号楼`, `${(Math.floor(h / 100) % 4) + 1}单元`, String(101 + Math.floor(h / 400)), i % 4 ? '子' : '户主', '', '汉', ''].join(','));
    }
    const started = Date.now();
    const up = await uploaded(s, 'big.csv', Buffer.from(lines.join('\n')));
    expect(up.totalRows).toBe(N);
    const started202 = await startRun(s, up.id, up.mapping);
    expect(started202.statusCode).toBe(202);
    // while it runs: a second start is refused, progress is readable
    const again = await startRun(s, up.id, up.mapping);
    expect(again.statusCode).toBe(409);
    const mid = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } });
    expect(mid.json()).toMatchObject({ status: 'running', totalRows: N });
    await waitForImport(up.id);
    const imp = (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } })).json();
    expect(imp).toMatchObject({ status: 'done', error: null });
    const seconds = (Date.now() - started) / 1000;
    console.log(`[import] ${dialect}: ${N} rows in ${seconds.toFixed(1)} s`);
    expect(imp).toMatchObject({ processedRows: N, imported: N, rejected: 0 });
    expect((await residents(s)).total).toBe(N);
    const audit = await t.kernel.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'registry.resident.import').where('scope_path', 'like', `${s.community.path}%`).executeTakeFirst();
    expect(Number(audit!.n)).toBe(N);
  }, 240_000);
});
