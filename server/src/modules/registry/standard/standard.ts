/**
 * Linli unified data standard (统一数据标准) expressed as data.
 *
 * Every entity and field has a stable code, a type, Chinese and English names and,
 * where one exists, the national standard / code list it follows. Department data
 * is mapped onto this standard. `toJsonSchema()` and `renderMarkdown()` derive the
 * machine-readable and human-readable forms from the same definition.
 */
import { codeListInfo, codeListNames, codeLists, type CodeItem, type CodeListName } from './codes.js';

export const STANDARD_VERSION = '1.0.0';
export const STANDARD_ID = 'urn:linli:data-standard:v1';

export type FieldType = 'string' | 'integer' | 'number' | 'date' | 'datetime' | 'boolean' | 'code' | 'code[]';

export type StandardRef = 'GB 11643-1999' | 'GB/T 2261.1-2003' | 'GB 3304-1991' | 'GB/T 4761-2008' | 'GB/T 2260' | 'ISO 8601';

export interface StandardField {
  code: string;
  name: string;
  type: FieldType;
  zh: string;
  en: string;
  required: boolean;
  sensitive?: boolean;
  codeList?: CodeListName;
  /** Closed set of values for non-code-list enumerations (e.g. status). */
  enum?: readonly string[];
  standard?: StandardRef;
  pattern?: string;
  maxLength?: number;
  note?: string;
}

export interface StandardEntity {
  code: string;
  name: string;
  zh: string;
  en: string;
  description: string;
  fields: StandardField[];
}

type FieldDef = Omit<StandardField, 'code'>;

function entity(code: string, name: string, zh: string, en: string, description: string, defs: FieldDef[]): StandardEntity {
  return {
    code,
    name,
    zh,
    en,
    description,
    fields: defs.map((f, i) => ({ code: `${code}.${String(i + 1).padStart(3, '0')}`, ...f })),
  };
}

const ULID_NOTE = 'ULID';

function placeCommon(kind: string, opts: { parentRequired: boolean; codeField: FieldDef }): FieldDef[] {
  return [
    { name: 'id', type: 'string', zh: '标识', en: 'Identifier', required: true, note: ULID_NOTE },
    { name: 'kind', type: 'code', zh: '地点类型', en: 'Place kind', required: true, codeList: 'placeKinds', note: `固定为 / always '${kind}'` },
    { name: 'parentId', type: 'string', zh: '上级地点', en: 'Parent place', required: opts.parentRequired },
    { name: 'name', type: 'string', zh: '名称', en: 'Name', required: true, maxLength: 100 },
    opts.codeField,
    { name: 'createdAt', type: 'datetime', zh: '创建时间', en: 'Created at', required: true, standard: 'ISO 8601' },
    { name: 'updatedAt', type: 'datetime', zh: '更新时间', en: 'Updated at', required: true, standard: 'ISO 8601' },
  ];
}

const plainCode: FieldDef = {
  name: 'code',
  type: 'string',
  zh: '编码',
  en: 'Code',
  required: false,
  maxLength: 50,
  note: '本地编码 / local code',
};

export const entities: StandardEntity[] = [
  entity(
    'LL.REG',
    'region',
    '行政区划',
    'Administrative region',
    '省、市、区县、街道乡镇；编码采用 GB/T 2260 行政区划代码（街道乡镇为 9 位）。 Province, city, district and street levels, coded with GB/T 2260 division codes (9 digits at street level).',
    [
      ...placeCommon('region', {
        parentRequired: false,
        codeField: {
          name: 'code',
          type: 'string',
          zh: '行政区划代码',
          en: 'Division code',
          required: true,
          standard: 'GB/T 2260',
          pattern: '^\\d{6}(\\d{3})?$',
          note: '区县及以上 6 位；街道乡镇 9 位 / 6 digits, 9 at street level',
        },
      }),
      { name: 'regionLevel', type: 'code', zh: '区划级别', en: 'Region level', required: true, codeList: 'regionLevels' },
    ],
  ),
  entity(
    'LL.COM',
    'community',
    '社区',
    'Community',
    "社区（居委会），平台的租户与数据边界。 A residents' committee; the tenancy and data boundary of the platform.",
    [
      ...placeCommon('community', { parentRequired: true, codeField: { ...plainCode, note: '可填居委会统一编码 / may hold the committee code' } }),
      { name: 'timeZone', type: 'string', zh: '时区', en: 'Time zone', required: true, note: 'IANA, e.g. Asia/Shanghai' },
    ],
  ),
  entity(
    'LL.EST',
    'estate',
    '小区',
    'Estate',
    '住宅小区或院落。 A residential estate or compound.',
    placeCommon('estate', { parentRequired: true, codeField: plainCode }),
  ),
  entity(
    'LL.BLD',
    'building',
    '楼栋',
    'Building',
    '楼栋，如“1号楼”。 A building, e.g. "1号楼".',
    placeCommon('building', { parentRequired: true, codeField: plainCode }),
  ),
  entity(
    'LL.UNT',
    'unit',
    '单元',
    'Unit',
    '楼栋内的单元（楼梯间），如“1单元”。 A stairwell unit within a building, e.g. "1单元".',
    placeCommon('unit', { parentRequired: true, codeField: plainCode }),
  ),
  entity('LL.HSE', 'house', '房屋', 'House', '最小的地点：一套房屋。 The smallest place: one dwelling or premises.', [
    ...placeCommon('house', { parentRequired: true, codeField: plainCode }),
    { name: 'floor', type: 'integer', zh: '楼层', en: 'Floor', required: false, note: '地下层为负数 / negative below ground' },
    { name: 'number', type: 'string', zh: '门牌号', en: 'House number', required: true, maxLength: 20, note: '与名称相同，如 1203 / same as name, e.g. 1203' },
    { name: 'areaM2', type: 'number', zh: '建筑面积(m²)', en: 'Building area (m²)', required: false },
    { name: 'houseUse', type: 'code', zh: '房屋用途', en: 'House use', required: true, codeList: 'houseUses' },
  ]),
  entity('LL.HHD', 'household', '户', 'Household', '居住在同一房屋、以户主为中心的家庭。 A family living in one house, centred on its householder.', [
    { name: 'id', type: 'string', zh: '标识', en: 'Identifier', required: true, note: ULID_NOTE },
    { name: 'houseId', type: 'string', zh: '房屋', en: 'House', required: true },
    { name: 'householderId', type: 'string', zh: '户主', en: 'Householder', required: true, note: '居民标识 / resident id' },
    { name: 'createdAt', type: 'datetime', zh: '立户时间', en: 'Created at', required: true, standard: 'ISO 8601' },
    { name: 'dissolvedAt', type: 'datetime', zh: '销户时间', en: 'Dissolved at', required: false, standard: 'ISO 8601' },
  ]),
  entity('LL.RES', 'resident', '居民', 'Resident', "社区实有人口中的一个人。 One person in the community's actual population register.", [
    { name: 'id', type: 'string', zh: '标识', en: 'Identifier', required: true, note: ULID_NOTE },
    { name: 'communityId', type: 'string', zh: '所属社区', en: 'Community', required: true },
    { name: 'name', type: 'string', zh: '姓名', en: 'Name', required: true, maxLength: 50 },
    { name: 'idType', type: 'code', zh: '证件类型', en: 'ID document type', required: true, codeList: 'idTypes' },
    {
      name: 'idNumber',
      type: 'string',
      zh: '证件号码',
      en: 'ID document number',
      required: true,
      sensitive: true,
      standard: 'GB 11643-1999',
      maxLength: 50,
      note: '证件类型为 01 时按 GB 11643-1999 校验（18 位，MOD 11-2 校验码）/ validated by GB 11643-1999 when idType is 01',
    },
    {
      name: 'gender',
      type: 'code',
      zh: '性别',
      en: 'Gender',
      required: true,
      codeList: 'genders',
      standard: 'GB/T 2261.1-2003',
      note: '居民身份证由第 17 位推导 / derived from the 17th digit for idType 01',
    },
    {
      name: 'birthDate',
      type: 'date',
      zh: '出生日期',
      en: 'Date of birth',
      required: true,
      standard: 'ISO 8601',
      note: '居民身份证由第 7–14 位推导 / derived from digits 7–14 for idType 01',
    },
    { name: 'ethnicity', type: 'code', zh: '民族', en: 'Ethnicity', required: false, codeList: 'ethnicities', standard: 'GB 3304-1991' },
    {
      name: 'phone',
      type: 'string',
      zh: '手机号码',
      en: 'Mobile phone',
      required: false,
      sensitive: true,
      pattern: '^1[3-9]\\d{9}$',
      note: '中国大陆手机号 / mainland mobile number',
    },
    {
      name: 'tags',
      type: 'code[]',
      zh: '人员标签',
      en: 'Tags',
      required: false,
      codeList: 'residentTags',
      note: 'elderly / child 由出生日期推导 / derived from birth date',
    },
    { name: 'status', type: 'string', zh: '状态', en: 'Status', required: true, enum: ['active', 'moved_out'], note: 'active 在住 / moved_out 已迁出' },
    { name: 'note', type: 'string', zh: '备注', en: 'Note', required: false, maxLength: 500 },
    { name: 'createdAt', type: 'datetime', zh: '创建时间', en: 'Created at', required: true, standard: 'ISO 8601' },
    { name: 'updatedAt', type: 'datetime', zh: '更新时间', en: 'Updated at', required: true, standard: 'ISO 8601' },
  ]),
  entity('LL.RSD', 'residency', '居住关系', 'Residency', '居民在某房屋的一段居住记录（含历史）。 A period of a resident living in a house, history included.', [
    { name: 'id', type: 'string', zh: '标识', en: 'Identifier', required: true, note: ULID_NOTE },
    { name: 'residentId', type: 'string', zh: '居民', en: 'Resident', required: true },
    { name: 'houseId', type: 'string', zh: '房屋', en: 'House', required: true },
    { name: 'householdId', type: 'string', zh: '户', en: 'Household', required: false },
    { name: 'role', type: 'code', zh: '居住身份', en: 'Role', required: true, codeList: 'residentRoles' },
    { name: 'relation', type: 'code', zh: '与户主关系', en: 'Relation to householder', required: false, codeList: 'relations', standard: 'GB/T 4761-2008' },
    { name: 'moveIn', type: 'date', zh: '入住日期', en: 'Move-in date', required: true, standard: 'ISO 8601' },
    { name: 'moveOut', type: 'date', zh: '迁出日期', en: 'Move-out date', required: false, standard: 'ISO 8601' },
    { name: 'moveOutReason', type: 'string', zh: '迁出原因', en: 'Move-out reason', required: false, maxLength: 200 },
  ]),
];

/** Look up an entity by name ('resident') or code ('LL.RES'). */
export function standardEntity(nameOrCode: string): StandardEntity | undefined {
  return entities.find((e) => e.name === nameOrCode || e.code === nameOrCode);
}

/** Look up a field by its code ('LL.RES.005'). */
export function standardField(code: string): StandardField | undefined {
  for (const e of entities) {
    const f = e.fields.find((x) => x.code === code);
    if (f) return f;
  }
  return undefined;
}

type JsonObject = Record<string, unknown>;

function fieldSchema(f: StandardField): JsonObject {
  const s: JsonObject = {};
  const nullable = !f.required;
  const withNull = (t: string) => (nullable ? [t, 'null'] : t);
  const list = f.codeList ? (codeLists[f.codeList] as readonly CodeItem[]).map((c) => c.code) : undefined;
  switch (f.type) {
    case 'string':
      s.type = withNull('string');
      break;
    case 'integer':
      s.type = withNull('integer');
      break;
    case 'number':
      s.type = withNull('number');
      break;
    case 'boolean':
      s.type = withNull('boolean');
      break;
    case 'date':
      s.type = withNull('string');
      s.format = 'date';
      break;
    case 'datetime':
      s.type = withNull('string');
      s.format = 'date-time';
      break;
    case 'code':
      s.type = withNull('string');
      if (list) s.enum = nullable ? [...list, null] : list;
      break;
    case 'code[]':
      s.type = 'array';
      s.items = list ? { type: 'string', enum: list } : { type: 'string' };
      s.uniqueItems = true;
      break;
  }
  if (f.enum) s.enum = nullable ? [...f.enum, null] : [...f.enum];
  if (f.pattern) s.pattern = f.pattern;
  if (f.maxLength !== undefined) s.maxLength = f.maxLength;
  s.title = f.zh;
  s.description = f.note ? `${f.en}. ${f.note}` : f.en;
  s['x-code'] = f.code;
  s['x-zh'] = f.zh;
  s['x-en'] = f.en;
  if (f.standard) s['x-standard'] = f.standard;
  if (f.codeList) s['x-codeList'] = f.codeList;
  if (f.sensitive) s['x-sensitive'] = true;
  return s;
}

/** JSON Schema (draft 2020-12) document for the whole standard. */
/** The standard as one JSON Schema document (GET /api/v1/standard; registry.schema.ts StandardDoc). */
export interface StandardDocument {
  $schema: string;
  $id: string;
  title: string;
  description: string;
  'x-version': string;
  $defs: JsonObject;
}

export function toJsonSchema(): StandardDocument {
  const defs: JsonObject = {};
  for (const e of entities) {
    const properties: JsonObject = {};
    for (const f of e.fields) properties[f.name] = fieldSchema(f);
    defs[e.name] = {
      type: 'object',
      title: `${e.zh} ${e.en}`,
      description: e.description,
      'x-code': e.code,
      'x-zh': e.zh,
      'x-en': e.en,
      properties,
      required: e.fields.filter((f) => f.required).map((f) => f.name),
      additionalProperties: false,
    };
  }
  const lists: JsonObject = {};
  for (const name of codeListNames) {
    const info = codeListInfo[name];
    const items = codeLists[name] as readonly (CodeItem & { derived?: boolean })[];
    lists[name] = {
      type: 'string',
      title: `${info.zh} ${info.en}`,
      ...(info.standard ? { 'x-standard': info.standard } : {}),
      enum: items.map((c) => c.code),
      oneOf: items.map((c) => ({
        const: c.code,
        title: c.zh,
        'x-zh': c.zh,
        'x-en': c.en,
        ...(c.derived !== undefined ? { 'x-derived': c.derived } : {}),
      })),
    };
  }
  defs.codeLists = {
    $comment: 'Code lists of the Linli data standard; each entry is a string schema.',
    $defs: lists,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: STANDARD_ID,
    title: 'Linli unified data standard (邻里统一数据标准)',
    description: 'Entities, fields and code lists of the Linli smart-community registry.',
    'x-version': STANDARD_VERSION,
    $defs: defs,
  };
}

function cell(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  return String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: unknown[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function typeLabel(f: StandardField): string {
  if (f.type === 'string' && f.maxLength) return `string(${f.maxLength})`;
  return f.type;
}

/** The whole standard as Markdown (intro, one table per entity, every code list). */
export function renderMarkdown(): string {
  const out: string[] = [];
  out.push('# 邻里统一数据标准 / Linli Unified Data Standard', '');
  out.push(`版本 Version: ${STANDARD_VERSION} · Schema ID: \`${STANDARD_ID}\``, '');
  out.push(
    '本文件是邻里（Linli）智慧社区平台的统一数据标准。每个实体和字段都有编码、类型、中英文名称，并在有国家标准时注明所遵循的标准与代码表：' +
      '证件号码 GB 11643-1999（含校验码）、性别 GB/T 2261.1-2003、民族 GB 3304-1991、与户主关系 GB/T 4761-2008、行政区划 GB/T 2260。' +
      '各部门的数据映射到本标准，而不是照搬各部门自己的格式。',
    '',
    '敏感字段（标记为“敏感”）在存储时使用 AES-256-GCM 加密，并通过带密钥的盲索引（keyed blind index）进行精确检索。' +
      '服务器通过 `GET /api/v1/standard` 和命令行 `npx linli standard export` 以 JSON Schema（draft 2020-12）形式提供本标准。',
    '',
    "This document is Linli's unified data standard. Every entity and field has a code, a type, a Chinese and an English name and, where one exists, " +
      'the national standard or code list it follows (ID numbers: GB 11643-1999 with its check digit; gender: GB/T 2261.1-2003; ethnicity: GB 3304-1991; ' +
      'relation to householder: GB/T 4761-2008; administrative divisions: GB/T 2260). Department data is mapped onto this standard; it is never a copy of ' +
      "each department's own format.",
    '',
    'Sensitive fields are encrypted at rest with AES-256-GCM and searched by a keyed blind index. The server serves this standard as JSON Schema ' +
      '(draft 2020-12) at `GET /api/v1/standard` and via `npx linli standard export`.',
    '',
    '> 本文件由 `server/src/modules/registry/standard/render-doc.ts` 生成，请勿手工编辑。 Generated from `standard.ts` — do not edit by hand.',
    '',
  );

  out.push('## 实体 / Entities', '');
  out.push(row(['编码 Code', '名称 Name', '中文名', 'English']));
  out.push(row(['---', '---', '---', '---']));
  for (const e of entities) out.push(row([e.code, `\`${e.name}\``, e.zh, e.en]));
  out.push('');

  for (const e of entities) {
    out.push(`## ${e.code} ${e.zh} / ${e.en} (\`${e.name}\`)`, '', e.description, '');
    out.push(row(['编码 code', '字段 field', '类型 type', '中文名', 'English', '必填', '标准/代码表', '说明']));
    out.push(row(['---', '---', '---', '---', '---', '---', '---', '---']));
    for (const f of e.fields) {
      const std = [f.standard, f.codeList ? `代码表 \`${f.codeList}\`` : undefined].filter(Boolean).join('；');
      const notes = [
        f.sensitive ? '**敏感 sensitive**（加密存储 encrypted）' : undefined,
        f.enum ? `取值 values: ${f.enum.map((v) => `\`${v}\``).join(', ')}` : undefined,
        f.pattern ? `格式 pattern: \`${f.pattern}\`` : undefined,
        f.note,
      ]
        .filter(Boolean)
        .join('；');
      out.push(row([f.code, `\`${f.name}\``, typeLabel(f), f.zh, f.en, f.required ? '是 Y' : '否 N', std, notes]));
    }
    out.push('');
  }

  out.push('## 代码表 / Code lists', '');
  for (const name of codeListNames) {
    const info = codeListInfo[name];
    const items = codeLists[name] as readonly (CodeItem & { derived?: boolean })[];
    const hasDerived = items.some((c) => c.derived !== undefined);
    out.push(`### \`${name}\` ${info.zh} / ${info.en}${info.standard ? ` (${info.standard})` : ''}`, '');
    if (hasDerived) {
      out.push(row(['代码 code', '中文', 'English', '推导 derived']));
      out.push(row(['---', '---', '---', '---']));
      for (const c of items) out.push(row([`\`${c.code}\``, c.zh, c.en, c.derived ? '是 Y' : '否 N']));
    } else {
      out.push(row(['代码 code', '中文', 'English']));
      out.push(row(['---', '---', '---']));
      for (const c of items) out.push(row([`\`${c.code}\``, c.zh, c.en]));
    }
    out.push('');
  }
  return out.join('\n');
}
