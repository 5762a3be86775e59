// Mapping profiles: how one source's columns and codes map onto the registry's data standard
// (docs/data-standard.md). A profile is declared data, versioned per source; a record is mapped by
// the profile version it came in under, and that version is kept with the import.
import type { FieldError } from '../../kernel/http/errors.js';
import { codeList, dateOf, isCode, validateMainlandId } from '../registry/index.js';
import { normalisePhone, isMainlandMobile } from '../registry/index.js';

/** The standard fields a department record can carry (codes of docs/data-standard.md, resident entity). */
export const standardFields = ['name', 'idNumber', 'gender', 'birthDate', 'ethnicity', 'phone', 'address', 'tags'] as const;
export type StandardFieldName = (typeof standardFields)[number];

export interface ProfileDefinition {
  /** standard field → the department's column (a spreadsheet header or a JSON key) */
  columns: Partial<Record<StandardFieldName, string>>;
  /** further columns appended to the address, in order (e.g. 楼栋, 单元, 房号) */
  addressColumns?: string[];
  /** code translations: the department's code or name → the standard's code(s) */
  codes?: {
    gender?: Record<string, string>;
    ethnicity?: Record<string, string>;
    tags?: Record<string, string[]>;
  };
}

/** A record under the standard. `idNumber` is set only when it passes GB 11643. */
export interface MappedRecord {
  name: string;
  idNumber: string | null;
  gender: string | null;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  address: string | null;
  tags: string[];
}

export interface Mapped {
  value: MappedRecord;
  /** the row cannot be used (no name, an untranslatable code, no way to identify the person) */
  errors: FieldError[];
  /** the row is used, but a value broke the standard and was left out */
  warnings: FieldError[];
  /** how many mapped standard fields hold a value */
  filled: number;
  /** how many standard fields the profile maps */
  mapped: number;
}

/** Check a profile: known fields, a name column, translations onto codes the standard has. */
export function checkProfile(def: ProfileDefinition): FieldError[] {
  const errors: FieldError[] = [];
  for (const k of Object.keys(def.columns ?? {}))
    if (!standardFields.includes(k as StandardFieldName)) errors.push({ field: `columns.${k}`, code: 'exchange.field_unknown', params: { field: k } });
  if (!def.columns?.name) errors.push({ field: 'columns.name', code: 'validation.required' });
  const lists = { gender: 'genders', ethnicity: 'ethnicities' } as const;
  for (const f of ['gender', 'ethnicity'] as const)
    for (const [from, to] of Object.entries(def.codes?.[f] ?? {}))
      if (!isCode(lists[f], to)) errors.push({ field: `codes.${f}.${from}`, code: 'exchange.code_unknown', params: { value: to } });
  for (const [from, tags] of Object.entries(def.codes?.tags ?? {}))
    for (const t of tags) if (!isCode('residentTags', t)) errors.push({ field: `codes.tags.${from}`, code: 'exchange.code_unknown', params: { value: t } });
  return errors;
}

const fold = (s: string) => s.normalize('NFKC').trim();

/** A code through the profile's translation, or the standard's own code or Chinese name. */
function translate(table: Record<string, string> | undefined, list: 'genders' | 'ethnicities', raw: string): string | null {
  const v = fold(raw);
  if (!v) return null;
  if (table?.[v] !== undefined) return table[v];
  const items = codeList(list) ?? [];
  const hit = items.find((c) => c.code === v || c.zh === v || c.zh.replace(/族$/, '') === v || c.code === v.padStart(2, '0'));
  return hit ? hit.code : null;
}

/** Department categories ("A01", "A01 城市低保", "城市低保、残疾人两项补贴") → standard tags. */
function translateTags(table: Record<string, string[]> | undefined, raw: string): { tags: string[]; unknown: string[] } {
  const tags = new Set<string>();
  const unknown: string[] = [];
  for (const part of fold(raw)
    .split(/[、,;，；|/]+/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    const code = /^[A-Za-z]*\d+/.exec(part)?.[0];
    const hit = table?.[part] ?? (code ? table?.[code] : undefined);
    if (hit) hit.forEach((t) => tags.add(t));
    else if (isCode('residentTags', part)) tags.add(part);
    else unknown.push(part);
  }
  return { tags: [...tags], unknown };
}

/** Map one row (header or key → text) onto the standard. */
export function applyProfile(def: ProfileDefinition, row: Record<string, string>, today: string): Mapped {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const cell = (f: StandardFieldName) => {
    const col = def.columns[f];
    return col ? fold(String(row[col] ?? '')) : '';
  };
  const v: MappedRecord = { name: '', idNumber: null, gender: null, birthDate: null, ethnicity: null, phone: null, address: null, tags: [] };

  v.name = cell('name').replace(/\s+/g, ' ');
  if (!v.name) errors.push({ field: 'name', code: 'validation.required' });
  else if (v.name.length > 50) errors.push({ field: 'name', code: 'validation.max_length', params: { limit: 50 } });

  const id = cell('idNumber');
  let fromId: { birthDate: string; gender: string } | null = null;
  if (id) {
    const r = validateMainlandId(id, today);
    if (r.ok) {
      v.idNumber = r.value;
      fromId = r;
    } else warnings.push({ field: 'idNumber', code: 'exchange.id_invalid', params: { reason: r.reason } });
  }

  const g = cell('gender');
  if (g) {
    v.gender = translate(def.codes?.gender, 'genders', g);
    if (!v.gender) errors.push({ field: 'gender', code: 'exchange.code_untranslated', params: { value: g } });
  }
  const e = cell('ethnicity');
  if (e) {
    v.ethnicity = translate(def.codes?.ethnicity, 'ethnicities', e);
    if (!v.ethnicity) errors.push({ field: 'ethnicity', code: 'exchange.code_untranslated', params: { value: e } });
  }

  const b = cell('birthDate');
  if (b) {
    const d = dateOf(b);
    if (/^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && d <= today) v.birthDate = d;
    else warnings.push({ field: 'birthDate', code: 'exchange.date_invalid', params: { value: b } });
  }
  if (fromId) {
    if (v.birthDate && v.birthDate !== fromId.birthDate) warnings.push({ field: 'birthDate', code: 'exchange.birth_mismatch' });
    if (v.gender && v.gender !== fromId.gender) warnings.push({ field: 'gender', code: 'exchange.gender_mismatch' });
    v.birthDate = fromId.birthDate;
    v.gender = fromId.gender;
  }

  const p = cell('phone');
  if (p) {
    const n = normalisePhone(p);
    if (isMainlandMobile(n)) v.phone = n;
    else warnings.push({ field: 'phone', code: 'exchange.phone_invalid' });
  }

  const address = [cell('address'), ...(def.addressColumns ?? []).map((c) => fold(String(row[c] ?? '')))].filter(Boolean).join(' ');
  v.address = address || null;

  const t = cell('tags');
  if (t) {
    const r = translateTags(def.codes?.tags, t);
    v.tags = r.tags;
    for (const u of r.unknown) errors.push({ field: 'tags', code: 'exchange.code_untranslated', params: { value: u } });
  }

  if (!v.idNumber && !v.birthDate && !v.phone) errors.push({ field: 'idNumber', code: 'exchange.unidentifiable' });

  const mappedFields = standardFields.filter((f) => def.columns[f]);
  const filled = mappedFields.filter((f) => {
    const x = v[f];
    return Array.isArray(x) ? x.length > 0 : x != null && x !== '';
  }).length;
  return { value: v, errors, warnings, filled, mapped: mappedFields.length };
}

// ---------- demo profiles (the departments' own column names and codes) ----------

/** 公安户籍导出: a police station's household-register export (常住人口登记表). */
export const policeHouseholdProfile: ProfileDefinition = {
  columns: {
    name: '姓名',
    idNumber: '公民身份号码',
    gender: '性别',
    ethnicity: '民族',
    birthDate: '出生日期',
    address: '住址',
    phone: '联系电话',
  },
  codes: {
    gender: { '1': '1', '2': '2', '9': '9', '0': '0' },
  },
};

/** 民政救助对象名册: a civil-affairs roll of people receiving assistance, with its category codes. */
export const civilWelfareProfile: ProfileDefinition = {
  columns: {
    name: '救助对象姓名',
    idNumber: '身份证件号码',
    gender: '性别',
    birthDate: '出生年月日',
    address: '家庭住址',
    phone: '联系方式',
    tags: '保障类别',
  },
  codes: {
    gender: { 男: '1', 女: '2' },
    tags: {
      A01: ['low_income'], // 城市最低生活保障
      A02: ['low_income'], // 农村最低生活保障
      B01: ['extreme_poverty'], // 特困人员救助供养
      C01: ['disabled'], // 困难残疾人生活补贴
      C02: ['disabled'], // 重度残疾人护理补贴
      D01: ['elderly_allowance'], // 高龄津贴
      城市低保: ['low_income'],
      农村低保: ['low_income'],
      特困供养: ['extreme_poverty'],
      残疾人两项补贴: ['disabled'],
      高龄津贴: ['elderly_allowance'],
    },
  },
};
