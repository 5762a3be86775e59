// Target fields of an import, the suggested column mapping (by header synonyms, zh and en),
// and the value readers that accept codes or their Chinese/English names.
import type { FieldError } from '../../../kernel/http/errors.js';
import { ethnicities, genders, houseUses, idTypes, relations, residentRoles, residentTags, type CodeItem } from '../standard/codes.js';

export type ImportKind = 'residents' | 'houses';
export const importKinds: ImportKind[] = ['residents', 'houses'];

export interface TargetField {
  name: string;
  zh: string;
  en: string;
  required: boolean;
  synonyms: string[];
}

const place: TargetField[] = [
  {
    name: 'estate',
    zh: '小区',
    en: 'Estate',
    required: true,
    synonyms: ['小区', '小区名称', '所在小区', '小区名', '院落', 'estate', 'estate name', 'compound', 'residential estate'],
  },
  {
    name: 'building',
    zh: '楼栋',
    en: 'Building',
    required: true,
    synonyms: ['楼栋', '楼号', '楼栋号', '栋', '幢', '楼', '栋号', '幢号', 'building', 'bldg', 'block', 'building no'],
  },
  { name: 'unit', zh: '单元', en: 'Unit', required: false, synonyms: ['单元', '单元号', 'unit', 'entrance', 'stairwell'] },
  {
    name: 'house',
    zh: '房号',
    en: 'House (room number)',
    required: true,
    synonyms: [
      '房号',
      '门牌号',
      '室',
      '房间号',
      '房间',
      '房屋',
      '户号',
      '房屋号',
      '门牌',
      'house',
      'room',
      'room no',
      'room number',
      'house number',
      'house no',
      'apartment',
      'flat',
      'door number',
    ],
  },
];

export const fieldsByKind: Record<ImportKind, TargetField[]> = {
  residents: [
    {
      name: 'name',
      zh: '姓名',
      en: 'Name',
      required: true,
      synonyms: ['姓名', '名字', '居民姓名', '人员姓名', '住户姓名', 'name', 'full name', 'fullname', 'resident name'],
    },
    { name: 'idType', zh: '证件类型', en: 'ID type', required: false, synonyms: ['证件类型', '证件种类', 'id type', 'idtype', 'document type'] },
    {
      name: 'idNumber',
      zh: '证件号码',
      en: 'ID number',
      required: true,
      synonyms: [
        '身份证号',
        '身份证号码',
        '身份证',
        '证件号码',
        '证件号',
        '公民身份号码',
        '身份号码',
        'idnumber',
        'id number',
        'id no',
        'idno',
        'id card',
        'id card number',
        'identity number',
        'document number',
      ],
    },
    { name: 'gender', zh: '性别', en: 'Gender', required: false, synonyms: ['性别', 'gender', 'sex'] },
    {
      name: 'birthDate',
      zh: '出生日期',
      en: 'Birth date',
      required: false,
      synonyms: ['出生日期', '出生年月日', '出生年月', '生日', 'birth date', 'birthdate', 'date of birth', 'dob', 'birthday'],
    },
    { name: 'ethnicity', zh: '民族', en: 'Ethnicity', required: false, synonyms: ['民族', 'ethnicity', 'ethnic group', 'nation', 'nationality'] },
    {
      name: 'phone',
      zh: '手机号',
      en: 'Phone',
      required: false,
      synonyms: [
        '手机',
        '手机号',
        '手机号码',
        '联系电话',
        '电话',
        '电话号码',
        '联系方式',
        '移动电话',
        'phone',
        'mobile',
        'phone number',
        'mobile phone',
        'mobile number',
        'tel',
        'telephone',
      ],
    },
    ...place,
    {
      name: 'role',
      zh: '身份',
      en: 'Role',
      required: false,
      synonyms: ['身份', '居住身份', '住户身份', '人员类型', '住户类型', '居住类型', 'role', 'resident role', 'resident type'],
    },
    {
      name: 'relation',
      zh: '与户主关系',
      en: 'Relation to householder',
      required: false,
      synonyms: ['与户主关系', '户主关系', '关系', '与户主的关系', 'relation', 'relationship', 'relation to householder'],
    },
    {
      name: 'moveIn',
      zh: '入住日期',
      en: 'Move-in date',
      required: false,
      synonyms: ['入住日期', '迁入日期', '入住时间', '迁入时间', '入住', 'move in', 'move-in', 'move in date', 'move-in date', 'movein'],
    },
    { name: 'tags', zh: '标签', en: 'Tags', required: false, synonyms: ['标签', '人员标签', '特殊人群', '人群类别', 'tags', 'tag', 'labels'] },
  ],
  houses: [
    ...place,
    { name: 'floor', zh: '楼层', en: 'Floor', required: false, synonyms: ['楼层', '所在楼层', '层', '层数', 'floor', 'storey', 'level'] },
    {
      name: 'areaM2',
      zh: '建筑面积',
      en: 'Area (m²)',
      required: false,
      synonyms: ['面积', '建筑面积', '房屋面积', '住房面积', 'area', 'area m2', 'aream2', 'floor area', 'gross area'],
    },
    {
      name: 'houseUse',
      zh: '房屋用途',
      en: 'House use',
      required: false,
      synonyms: ['用途', '房屋用途', '使用性质', '房屋性质', 'house use', 'houseuse', 'use', 'usage'],
    },
  ],
};

/** Header text reduced for matching: width-folded, lower case, no brackets' content, spaces or marks. */
export function headerKey(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]|【.*?】|<.*?>/g, '')
    .replace(/[\s*_\-:：.#/]+/g, '');
}

export function suggestMapping(kind: ImportKind, headers: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const used = new Set<string>();
  for (const f of fieldsByKind[kind]) {
    const keys = new Set([f.name, ...f.synonyms].map(headerKey));
    const h = headers.find((x) => !used.has(x) && keys.has(headerKey(x)));
    out[f.name] = h ?? null;
    if (h) used.add(h);
  }
  return out;
}

/** Place levels a run may give one value for, for the whole file (`fixed`), when the file has no such column. */
export const fixableFields = ['estate', 'building', 'unit'] as const;
export const FIXED_MAX = 60;

/**
 * Check a mapping and the fixed values: known fields, existing headers, a fixed value only for a
 * place level (estate, building, unit) that is not also mapped to a column, not blank, at most
 * 60 characters; every required field mapped or fixed.
 */
export function checkMapping(kind: ImportKind, headers: string[], mapping: Record<string, string | null>, fixed: Record<string, string> = {}): FieldError[] {
  const errors: FieldError[] = [];
  const fields = fieldsByKind[kind];
  for (const [k, v] of Object.entries(mapping)) {
    if (!fields.some((f) => f.name === k)) errors.push({ field: `mapping.${k}`, code: 'import.field_unknown', params: { field: k } });
    else if (v != null && v !== '' && !headers.includes(v)) errors.push({ field: `mapping.${k}`, code: 'import.header_unknown', params: { header: v } });
  }
  for (const [k, v] of Object.entries(fixed)) {
    const f = fields.find((x) => x.name === k);
    if (!f) errors.push({ field: `fixed.${k}`, code: 'import.field_unknown', params: { field: k } });
    else if (!(fixableFields as readonly string[]).includes(k)) errors.push({ field: `fixed.${k}`, code: 'import.fixed_not_place', params: { field: f.zh } });
    else if (mapping[k]) errors.push({ field: `fixed.${k}`, code: 'import.fixed_and_mapped', params: { field: f.zh, header: mapping[k]! } });
    else if (!v.trim()) errors.push({ field: `fixed.${k}`, code: 'validation.required' });
    else if (v.trim().length > FIXED_MAX) errors.push({ field: `fixed.${k}`, code: 'validation.max_length', params: { limit: FIXED_MAX } });
  }
  for (const f of fields)
    if (f.required && !mapping[f.name] && fixed[f.name] === undefined) errors.push({ field: `mapping.${f.name}`, code: 'validation.required' });
  return errors;
}

// ---------- values ----------

const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
const noBrackets = (s: string) => s.replace(/[(（].*?[)）]/g, '').trim();

function lookup(list: readonly CodeItem[], aliases: Record<string, string> = {}, extra?: (item: CodeItem) => string[]) {
  const m = new Map<string, string>();
  const add = (k: string, code: string) => {
    const f = fold(k);
    if (f && !m.has(f)) m.set(f, code);
  };
  for (const c of list) add(c.code, c.code);
  for (const c of list) [c.zh, c.en, noBrackets(c.zh), ...(extra?.(c) ?? [])].forEach((k) => add(k, c.code));
  for (const [k, v] of Object.entries(aliases)) add(k, v);
  return m;
}

const maps = {
  idType: lookup(idTypes, { 身份证: '01', 二代身份证: '01', 大陆身份证: '01', 'id card': '01', 回乡证: '02', 台胞证: '03', passport: '04' }),
  gender: lookup(genders, { 男性: '1', 女性: '2', m: '1', f: '2', 未知: '0' }),
  // 汉 for 汉族, and one-digit codes (Excel drops the leading zero)
  ethnicity: lookup(ethnicities, {}, (c) => [c.zh.replace(/族$/, ''), String(Number(c.code))]),
  role: lookup(residentRoles, {
    房主: 'owner',
    产权人: 'owner',
    户主: 'owner',
    租户: 'tenant',
    承租人: 'tenant',
    租住: 'tenant',
    家属: 'family',
    家人: 'family',
    成员: 'family',
  }),
  relation: lookup(relations, { 丈夫: '11', 妻子: '12', 儿子: '20', 女儿: '30', 父: '51', 母: '52', 孙子女: '40', 兄弟: '70', 姐妹: '70' }, (c) =>
    /^\d$/.test(String(Number(c.code))) ? [String(Number(c.code))] : [],
  ),
  houseUse: lookup(houseUses, { 住房: 'residential', 居住: 'residential', 商铺: 'commercial', 商用: 'commercial', 商住两用: 'mixed' }),
  tag: lookup(residentTags, { 低保户: 'low_income', 残疾: 'disabled', 独居老人: 'living_alone', 军人: 'veteran' }),
};

/** A code from a code or a name; unknown text is returned as it is, so validation names it. */
export function codeOf(list: keyof typeof maps, raw: string): string {
  if (!raw) return '';
  return maps[list].get(fold(raw)) ?? maps[list].get(fold(noBrackets(raw))) ?? raw;
}

export function tagsOf(raw: string): string[] {
  return raw
    .split(/[、,;，；|/]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => codeOf('tag', x));
}

const pad = (s: string) => s.padStart(2, '0');

/** YYYY-MM-DD from the common ways people write a date; other text is returned unchanged. */
export function dateOf(raw: string): string {
  const s = raw.normalize('NFKC').trim();
  if (!s) return '';
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(s);
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  // an Excel serial day number in a cell not formatted as a date
  if (/^\d{4,5}(\.\d+)?$/.test(s)) {
    const n = Math.floor(Number(s));
    if (n > 0 && n < 80000) return new Date(Date.UTC(1899, 11, 30) + n * 86400000).toISOString().slice(0, 10);
  }
  return s;
}

/** A number from "85.5", "85.5㎡", "85.5 平方米", "12层"; NaN when there is none. */
export function numberOf(raw: string): number {
  const s = raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/(m2|m²|㎡|平方米|平米|平|层|楼|f)$/i, '');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

/** Place names compared and stored width-folded with single spaces ("３号楼" = "3号楼"). */
export const placeName = (raw: string) => raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
