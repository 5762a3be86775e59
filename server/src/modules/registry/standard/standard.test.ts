import { describe, expect, it } from 'vitest';
import { codeLists } from './codes.js';
import { entities, renderMarkdown, standardEntity, standardField, toJsonSchema } from './standard.js';

const names = (entity: string) => standardEntity(entity)!.fields.map((f) => f.name);

describe('standard entities', () => {
  it('has every entity once with unique codes', () => {
    expect(entities.map((e) => e.name)).toEqual(['region', 'community', 'estate', 'building', 'unit', 'house', 'household', 'resident', 'residency']);
    const codes = entities.flatMap((e) => [e.code, ...e.fields.map((f) => f.code)]);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of entities) {
      for (const f of e.fields) expect(f.code.startsWith(`${e.code}.`)).toBe(true);
    }
  });
  it('uses the exact API field names', () => {
    const place = ['id', 'kind', 'parentId', 'name', 'code', 'createdAt', 'updatedAt'];
    expect(names('region')).toEqual([...place, 'regionLevel']);
    expect(names('community')).toEqual([...place, 'timeZone']);
    expect(names('estate')).toEqual(place);
    expect(names('building')).toEqual(place);
    expect(names('unit')).toEqual(place);
    expect(names('house')).toEqual([...place, 'floor', 'number', 'areaM2', 'houseUse']);
    expect(names('household')).toEqual(['id', 'houseId', 'householderId', 'createdAt', 'dissolvedAt']);
    expect(names('resident')).toEqual([
      'id',
      'communityId',
      'name',
      'idType',
      'idNumber',
      'gender',
      'birthDate',
      'ethnicity',
      'phone',
      'tags',
      'status',
      'note',
      'createdAt',
      'updatedAt',
    ]);
    expect(names('residency')).toEqual(['id', 'residentId', 'houseId', 'householdId', 'role', 'relation', 'moveIn', 'moveOut', 'moveOutReason']);
  });
  it('records standards, code lists and sensitivity', () => {
    const idNumber = standardField('LL.RES.005')!;
    expect(idNumber).toMatchObject({ name: 'idNumber', sensitive: true, standard: 'GB 11643-1999' });
    expect(standardEntity('LL.RES')!.fields.find((f) => f.name === 'phone')).toMatchObject({ sensitive: true });
    expect(standardEntity('resident')!.fields.find((f) => f.name === 'gender')).toMatchObject({ codeList: 'genders', standard: 'GB/T 2261.1-2003' });
    expect(standardEntity('resident')!.fields.find((f) => f.name === 'ethnicity')).toMatchObject({ codeList: 'ethnicities', standard: 'GB 3304-1991' });
    expect(standardEntity('residency')!.fields.find((f) => f.name === 'relation')).toMatchObject({ codeList: 'relations', standard: 'GB/T 4761-2008' });
    const regionCode = standardEntity('region')!.fields.find((f) => f.name === 'code')!;
    expect(regionCode.standard).toBe('GB/T 2260');
    const re = new RegExp(regionCode.pattern!);
    expect(re.test('110105')).toBe(true);
    expect(re.test('110105026')).toBe(true);
    expect(re.test('1101050')).toBe(false);
    for (const e of entities)
      for (const f of e.fields) {
        if (f.codeList) expect(codeLists[f.codeList], f.code).toBeDefined();
        if (f.type === 'code' || f.type === 'code[]') expect(f.codeList, f.code).toBeDefined();
      }
  });
});

describe('toJsonSchema', () => {
  const schema = toJsonSchema() as any;
  it('is a draft 2020-12 document with one $def per entity and the code lists', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBeTruthy();
    expect(schema.title).toBeTruthy();
    for (const e of entities) expect(schema.$defs[e.name].type).toBe('object');
    expect(Object.keys(schema.$defs.codeLists.$defs)).toEqual(Object.keys(codeLists));
    expect(schema.$defs.codeLists.$defs.ethnicities.enum).toHaveLength(58);
  });
  it('describes fields with types, formats, enums and x- annotations', () => {
    const r = schema.$defs.resident;
    expect(r.required).toContain('idNumber');
    expect(r.properties.idNumber).toMatchObject({ 'x-code': 'LL.RES.005', 'x-sensitive': true, 'x-standard': 'GB 11643-1999', 'x-zh': '证件号码' });
    expect(r.properties.birthDate).toMatchObject({ type: 'string', format: 'date' });
    expect(r.properties.gender.enum).toEqual(['0', '1', '2', '9']);
    expect(r.properties.tags).toMatchObject({ type: 'array', items: { enum: expect.arrayContaining(['elderly', 'veteran']) } });
    expect(r.properties.status.enum).toEqual(['active', 'moved_out']);
    expect(schema.$defs.house.properties.floor.type).toEqual(['integer', 'null']);
    expect(schema.$defs.house.properties.areaM2.type).toEqual(['number', 'null']);
    expect(schema.$defs.residency.properties.relation.enum).toContain('02');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown();
  it('contains the intro, entity tables and code lists', () => {
    expect(md).toContain('统一数据标准');
    expect(md).toContain('AES-256-GCM');
    expect(md).toContain('GET /api/v1/standard');
    expect(md).toContain('npx linli standard export');
    expect(md).toContain('| 编码 code | 字段 field | 类型 type | 中文名 | English | 必填 | 标准/代码表 | 说明 |');
    for (const e of entities) for (const f of e.fields) expect(md).toContain(`| ${f.code} | \`${f.name}\` |`);
    expect(md).toContain('| `56` | 基诺族 | Jino |');
    expect(md).toContain('GB/T 4761-2008');
  });
});
