// Bulk import through the real HTTP app on every dialect, with the mess real spreadsheets bring:
// GBK CSV, unknown headers, bad check digits, duplicates, re-imports, empty files.
import { afterAll, beforeAll, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { createTestApp, describeEachDialect, type TestApp } from '../../../test/harness.js';
import { makeIdNumber } from '../standard/id-number.js';
import { verifyAuditChain } from '../../../kernel/audit/index.js';
import { PlacesService } from '../places.service.js';
import { waitForImport } from './import.service.js';
import { HEADERS, breakCheckDigit, csv, importHelpers, nextId, person } from './import.fixtures.js';

// The 50,000-row and size-limit tests are in import.large.test.ts.

describeEachDialect('registry import', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });
  const { staff, upload, uploaded, startRun, run, residents, report } = importHelpers(() => t);

  it('imports a GBK-encoded CSV with Chinese headers; names and codes come out right', async () => {
    const s = await staff();
    const data = iconv.encode(
      csv([
        HEADERS,
        person('张三', '301', { 标签: '独居、党员' }),
        person('李四', '301', { 与户主关系: '配偶', 身份: '家庭成员', 民族: '回族' }),
        person('欧阳娜娜', '302', { 身份: '租客', 与户主关系: '', 手机号: '' }),
      ]),
      'gbk',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(data)).toThrow(); // really not UTF-8
    const up = await uploaded(s, 'residents-gbk.csv', data);
    expect(up.headers).toEqual(HEADERS);
    expect(up.totalRows).toBe(3);
    expect(up.sample[0][0]).toBe('张三');
    expect(up.mapping).toMatchObject({
      name: '姓名',
      idNumber: '身份证号码',
      gender: '性别',
      phone: '手机号',
      estate: '小区',
      building: '楼栋',
      unit: '单元',
      house: '房号',
      relation: '与户主关系',
      role: '身份',
      ethnicity: '民族',
      tags: '标签',
      birthDate: null,
    });
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
    const up = await uploaded(
      s,
      'weird.csv',
      Buffer.from(
        csv([
          ['Full Nm', 'Papers', 'Wohnung'],
          ['张三', id, '101'],
        ]),
      ),
    );
    expect(up.mapping).toMatchObject({ name: null, idNumber: null, estate: null, building: null, house: null });
    const res = await startRun(s, up.id, up.mapping);
    expect(res.statusCode).toBe(422);
    const fields = res
      .json()
      .errors.map((e: any) => e.field)
      .sort();
    expect(fields).toEqual(['mapping.building', 'mapping.estate', 'mapping.house', 'mapping.idNumber', 'mapping.name']);
    expect(res.json().errors[0].message).toBe('必填');
    // a header that is not in the file, and a field that does not exist
    const bad = await startRun(s, up.id, {
      name: 'Full Nm',
      idNumber: 'Passport',
      estate: 'Wohnung',
      building: 'Wohnung',
      house: 'Wohnung',
      shoeSize: 'Wohnung',
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: any) => e.code)
        .sort(),
    ).toEqual(['import.field_unknown', 'import.header_unknown']);
    // an unknown body key is refused by the schema
    const extra = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${up.id}/run`,
      payload: { mapping: {}, dryRun: false, force: true },
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
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
    // the row numbers are the sheet's own (header row = 1), and the column says so
    expect(rep[0]).toEqual([...HEADERS, '行号（表格行号，表头为第 1 行）', '原因']);
    expect(rep).toHaveLength(3);
    const rowNo = HEADERS.length;
    expect(rep[1][0]).toBe('钱二');
    // ID numbers and phones are masked in the report (the row number finds the row in the source file)
    expect(rep[1][1]).toBe(`${bad.slice(0, 3)}***********${bad.slice(-4)}`);
    expect(rep[1][1]).toMatch(/^110\*{11}\d{3}[\dX]$/);
    expect(rep[1][3]).toBe('138****8000');
    expect(rep[2][3]).toBe('*****'); // "12345": too short to show any of it
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
    const second = await uploaded(
      s,
      'second.csv',
      Buffer.from(
        csv([
          HEADERS,
          person('张三', '101', { id: a }), // same
          person('李四改', '102', { id: b, 手机号: '13900139000' }), // name and phone differ
          person('王五', '103'), // new
        ]),
      ),
    );
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
    const data = Buffer.from(
      csv([HEADERS, person('张三', '101'), person('李四', '101', { 与户主关系: '妻子', 身份: '家庭成员' }), person('王五', '201', { 单元: '3单元' })]),
    );
    const a = await run(s, await uploaded(s, 'family.csv', data));
    expect(a).toMatchObject({ imported: 3, unchanged: 0, rejected: 0 });
    const placesBefore = await t.kernel.db
      .selectFrom('places')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', s.community.id)
      .executeTakeFirst();
    const b = await run(s, await uploaded(s, 'family.csv', data));
    expect(b).toMatchObject({ imported: 0, unchanged: 3, rejected: 0, reportUrl: null });
    expect((await residents(s)).total).toBe(3);
    const placesAfter = await t.kernel.db
      .selectFrom('places')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', s.community.id)
      .executeTakeFirst();
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
    const broken = await upload(
      s,
      'x.xlsx',
      Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.from('xl/workbook.xml')]),
    );
    expect([415, 422]).toContain(broken.statusCode);
    const badKind = await upload(s, 'a.csv', Buffer.from(csv([HEADERS, person('张三')])), 'cars');
    expect(badKind.statusCode).toBe(422);
    expect(badKind.json().errors[0].field).toBe('kind');
    const count = await t.kernel.db
      .selectFrom('imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', s.community.id)
      .executeTakeFirst();
    expect(Number(count!.n)).toBe(0);
  });

  it('a dry run writes nothing but reports what a real run would do', async () => {
    const s = await staff();
    const up = await uploaded(
      s,
      'dry.csv',
      Buffer.from(csv([HEADERS, person('张三', '101'), person('李四', '102'), person('王五', '102', { id: breakCheckDigit(nextId()) })])),
    );
    const dry = await run(s, up, true);
    expect(dry).toMatchObject({ dryRun: true, imported: 2, unchanged: 0, rejected: 1, processedRows: 3 });
    expect((await residents(s)).total).toBe(0);
    const placeCount = await t.kernel.db
      .selectFrom('places')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', s.community.id)
      .where('kind', '!=', 'community')
      .executeTakeFirst();
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
    expect(up.mapping).toMatchObject({
      name: 'Name',
      idNumber: 'ID Number',
      birthDate: 'Date of birth',
      phone: 'Mobile',
      estate: 'Estate',
      building: 'Building',
      house: 'Room',
      moveIn: 'Move-in date',
      relation: 'Relationship',
      unit: null,
    });
    expect(up.sample[0]).toEqual(['Wang Fang', id1, '1980-05-06', '13912345678', 'Sunny Garden', '3', '1203', '2020-01-15', '户主']);
    const imp = await run(s, up);
    expect(imp).toMatchObject({ imported: 2, rejected: 1 });
    const list = await residents(s);
    const wang = list.items.find((r) => r.name === 'Wang Fang');
    expect(wang).toMatchObject({ birthDate: '1980-05-06', gender: '1', phoneMasked: '139****5678' });
    expect(wang.houses[0]).toMatchObject({ houseLabel: 'Sunny Garden 3号楼 1203', moveIn: '2020-01-15', role: 'owner' });
    const chen = list.items.find((r) => r.name === '陈静');
    expect(chen.houses[0]).toMatchObject({ moveIn: '2021-03-01', relation: '30', role: 'family', houseId: wang.houses[0].houseId });
    const rep = await report(s, up.id);
    expect(rep[1][9]).toBe('5'); // the row number the sheet shows (row 4 is empty)
    expect(rep[1][10]).toContain('Date of birth：');
  });

  it('imports houses: creates missing ones, updates floor/area/use of existing ones, unchanged when equal', async () => {
    const s = await staff();
    const H = ['小区', '楼号', '单元', '门牌号', '楼层', '建筑面积(㎡)', '房屋用途'];
    const up = await uploaded(
      s,
      'houses.csv',
      Buffer.from(
        csv([
          H,
          ['幸福小区', '1号楼', '1单元', '101', '1', '89.5', '住宅'],
          ['幸福小区', '1号楼', '1单元', '102', '1层', '90㎡', '商住'],
          ['幸福小区', '2号楼', '', '底商1', '1', '120', '商业'],
          ['幸福小区', '2号楼', '', '底商2', 'x', '-3', '仓库'],
        ]),
      ),
      'houses',
    );
    expect(up.mapping).toEqual({
      estate: '小区',
      building: '楼号',
      unit: '单元',
      house: '门牌号',
      floor: '楼层',
      areaM2: '建筑面积(㎡)',
      houseUse: '房屋用途',
    });
    expect(await run(s, up)).toMatchObject({ imported: 3, rejected: 1 });
    const rep = await report(s, up.id);
    expect(rep[1][H.length + 1]).toContain('楼层：楼层应为');
    expect(rep[1][H.length + 1]).toContain('建筑面积(㎡)：面积应大于 0');
    expect(rep[1][H.length + 1]).toContain('房屋用途：不在代码表中：仓库');
    const houses = await t.kernel.db
      .selectFrom('places')
      .selectAll()
      .where('community_id', '=', s.community.id)
      .where('kind', '=', 'house')
      .orderBy('name')
      .execute();
    expect(houses.map((h) => [h.name, Number(h.floor), Number(h.area_m2), h.house_use])).toEqual([
      ['101', 1, 89.5, 'residential'],
      ['102', 1, 90, 'mixed'],
      ['底商1', 1, 120, 'commercial'],
    ]);

    const again = await uploaded(
      s,
      'houses2.csv',
      Buffer.from(csv([H, ['幸福小区', '1号楼', '1单元', '101', '1', '89.5', '住宅'], ['幸福小区', '1号楼', '1单元', '102', '1', '95.25', 'mixed']])),
      'houses',
    );
    expect(await run(s, again)).toMatchObject({ imported: 1, unchanged: 1, rejected: 0 });
    const h102 = await t.kernel.db.selectFrom('places').selectAll().where('community_id', '=', s.community.id).where('name', '=', '102').executeTakeFirst();
    expect(Number(h102!.area_m2)).toBe(95.25);
  });

  it('a GBK file without 小区: one fixed estate for the whole file; "1", "1号楼", "一号楼" land in one building', async () => {
    const s = await staff();
    const H = ['姓名', '身份证号码', '楼号', '单元', '房号', '与户主关系'];
    const row = (name: string, b: string, u: string, h: string, rel = '户主') => [name, nextId(), b, u, h, rel];
    const data = iconv.encode(
      csv([
        H,
        row('张一', '1', '1', '101室'),
        row('张二', '1号楼', '一单元', '101', '配偶'),
        row('张三', '一号楼', '1单元', '102号'),
        row('张四', '1栋', '1单元', '201'),
        row('李五', '2#', '二单元', '301'),
      ]),
      'gbk',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(data)).toThrow();
    const up = await uploaded(s, '花家地西里.csv', data);
    expect(up.mapping).toMatchObject({ estate: null, building: '楼号', unit: '单元', house: '房号' });
    // without a fixed estate the run is refused: the estate is required
    const refused = await startRun(s, up.id, up.mapping);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: any) => e.field)).toEqual(['mapping.estate']);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${up.id}/run`,
      payload: { mapping: up.mapping, fixed: { estate: ' 花家地西里 ' }, dryRun: false },
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(up.id);
    const imp = (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } })).json();
    expect(imp).toMatchObject({ status: 'done', imported: 5, rejected: 0 });
    expect(imp.newPlaceCounts).toEqual({ estate: 1, building: 2, unit: 2, house: 4 });
    const places = await t.kernel.db
      .selectFrom('places')
      .select(['kind', 'name'])
      .where('community_id', '=', s.community.id)
      .where('kind', 'in', ['estate', 'building', 'unit'])
      .orderBy('kind')
      .orderBy('name')
      .execute();
    expect(places.map((p) => `${p.kind}:${p.name}`)).toEqual(['building:1号楼', 'building:2号楼', 'estate:花家地西里', 'unit:1单元', 'unit:2单元']);
    const list = await residents(s);
    const label = (n: string) => list.items.find((r) => r.name === n).houses[0].houseLabel;
    expect(label('张一')).toBe('花家地西里 1号楼 1单元 101');
    expect(list.items.find((r) => r.name === '张二').houses[0].houseId).toBe(list.items.find((r) => r.name === '张一').houses[0].houseId);
    expect(label('张三')).toBe('花家地西里 1号楼 1单元 102');
    expect(label('李五')).toBe('花家地西里 2号楼 2单元 301');
  });

  it("fixed values are checked: only place levels, not also mapped, not blank; problems in the user's language", async () => {
    const s = await staff();
    const up = await uploaded(
      s,
      'noestate.csv',
      Buffer.from(
        csv([
          ['姓名', '身份证号码', '楼栋', '房号'],
          ['张三', nextId(), '1', '101'],
        ]),
      ),
    );
    const post = (payload: unknown, lang = 'zh-CN') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/imports/${up.id}/run`,
        payload: payload as object,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'accept-language': lang },
      });
    const bad = await post({ mapping: up.mapping, fixed: { estate: '  ', building: '2号楼', name: '张三', shoe: 'x' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const byField = Object.fromEntries(bad.json().errors.map((e: any) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual(['fixed.building', 'fixed.estate', 'fixed.name', 'fixed.shoe']);
    expect(byField['fixed.estate'].code).toBe('validation.required');
    expect(byField['fixed.building']).toMatchObject({ code: 'import.fixed_and_mapped', message: '“楼栋”已对应文件中的列“楼栋”，不能再指定固定值' });
    expect(byField['fixed.name'].code).toBe('import.fixed_not_place');
    expect(byField['fixed.shoe'].code).toBe('import.field_unknown');
    const en = await post({ mapping: up.mapping, fixed: { name: 'x' } }, 'en');
    expect(en.statusCode).toBe(422);
    expect(en.json().errors.find((e: any) => e.field === 'fixed.name').message).toContain('Only estate, building and unit');
    expect(en.json().errors.find((e: any) => e.field === 'mapping.estate').message).toBe('is required');
    // old mappings (no `fixed`) keep working
    expect(await run(s, { id: up.id, mapping: { ...up.mapping, estate: '楼栋' } }, true)).toMatchObject({ imported: 1, rejected: 0 });
  });

  it('a dry run lists the places it would create (kind, full path), creates nothing, and matches existing ones by canonical name', async () => {
    const s = await staff();
    const places = new PlacesService(t.kernel);
    const estate = await places.insertPlace({ kind: 'estate', name: '幸福小区' }, s.community);
    const b1 = await places.insertPlace({ kind: 'building', name: '1' }, estate); // entered by hand as "1"
    await places.insertPlace({ kind: 'unit', name: '2单元' }, b1);
    const before = await t.kernel.db.selectFrom('places').select('id').where('community_id', '=', s.community.id).execute();
    const up = await uploaded(
      s,
      'plan.csv',
      Buffer.from(
        csv([
          HEADERS,
          person('甲', '301'), // 幸福小区 1号楼 2单元: exist (building "1")
          person('乙', '301室'),
          person('丙', '302', { 楼栋: '一号楼' }),
          person('丁', '101', { 楼栋: '3栋', 单元: '一单元' }),
        ]),
      ),
    );
    const dry = await run(s, up, true);
    expect(dry).toMatchObject({ dryRun: true, imported: 4, rejected: 0 });
    const c = s.community.name;
    expect(dry.newPlaces).toEqual([
      { kind: 'house', path: `${c} / 幸福小区 / 1 / 2单元 / 301` },
      { kind: 'house', path: `${c} / 幸福小区 / 1 / 2单元 / 302` },
      { kind: 'building', path: `${c} / 幸福小区 / 3号楼` },
      { kind: 'unit', path: `${c} / 幸福小区 / 3号楼 / 1单元` },
      { kind: 'house', path: `${c} / 幸福小区 / 3号楼 / 1单元 / 101` },
    ]);
    expect(dry.newPlaceCounts).toEqual({ estate: 0, building: 1, unit: 1, house: 3 });
    const after = await t.kernel.db.selectFrom('places').select('id').where('community_id', '=', s.community.id).execute();
    expect(after.length).toBe(before.length);
    expect((await residents(s)).total).toBe(0);
    // the real run creates exactly those
    const real = await run(s, up);
    expect(real).toMatchObject({ dryRun: false, imported: 4, newPlaceCounts: dry.newPlaceCounts, newPlaces: dry.newPlaces });
    const created = await t.kernel.db.selectFrom('places').select('id').where('community_id', '=', s.community.id).execute();
    expect(created.length).toBe(before.length + 5);
  });

  it('houses: a row with several bad fields gives every reason, with the sheet row number', async () => {
    const s = await staff();
    const H = ['小区', '楼号', '单元', '门牌号', '楼层', '建筑面积'];
    const up = await uploaded(
      s,
      'bad-houses.csv',
      Buffer.from(
        csv([H, ['幸福小区', '1', '1', '101', '1', '80'], ['幸福小区', '', '1', '102', '二楼', '-5'], ['幸福小区', '1号楼', '一单元', '101室', '1', '80']]),
      ),
      'houses',
    );
    expect(await run(s, up)).toMatchObject({ imported: 1, rejected: 2 });
    const rep = await report(s, up.id);
    expect(rep[0].slice(-2)).toEqual(['行号（表格行号，表头为第 1 行）', '原因']);
    expect(rep[1][H.length]).toBe('3');
    expect(rep[1][H.length + 1]).toBe('楼号：必填；楼层：楼层应为 -10 到 300 之间的整数；建筑面积：面积应大于 0 且小于 100000 平方米');
    // the third row is the first one written differently
    expect(rep[2][H.length]).toBe('4');
    expect(rep[2][H.length + 1]).toBe('门牌号：房屋与第 2 行重复');
  });

  it('imports and their files are invisible outside the community (404)', async () => {
    const s = await staff();
    const outsider = await staff();
    const up = await uploaded(s, 'a.csv', Buffer.from(csv([HEADERS, person('张三')])));
    for (const [method, url] of [
      ['GET', `/api/v1/imports/${up.id}`],
      ['GET', `/api/v1/imports/${up.id}/report.xlsx`],
      ['POST', `/api/v1/imports/${up.id}/run`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: { cookie: outsider.cookie, 'x-csrf-token': outsider.csrf },
        ...(method === 'POST' ? { payload: { mapping: up.mapping, dryRun: false } } : {}),
      });
      expect(res.statusCode, url).toBe(404);
    }
    const intoOther = await upload(outsider, 'b.csv', Buffer.from(csv([HEADERS, person('李四')])), 'residents', { communityId: s.community.id });
    expect(intoOther.statusCode).toBe(404);
    // fields after the file part are read as well
    const late = await upload(s, 'late.csv', Buffer.from(csv([HEADERS, person('王五')])), 'residents', { fileFirst: true });
    expect(late.statusCode, late.body).toBe(201);
  });
});
