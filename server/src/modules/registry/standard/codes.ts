/**
 * Code lists of the Linli unified data standard (统一数据标准).
 * National standards are followed where one exists (see `standard` on each list).
 */

export interface CodeItem {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

export interface TagCodeItem extends CodeItem {
  /** Derived tags are computed (e.g. from birth date) and never set by hand. */
  readonly derived: boolean;
}

/** 证件类型 — identity document types. Only '01' is validated by GB 11643-1999. */
export const idTypes = [
  { code: '01', zh: '居民身份证', en: 'Mainland resident identity card' },
  { code: '02', zh: '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
  { code: '03', zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
  { code: '04', zh: '护照', en: 'Passport' },
  { code: '05', zh: '外国人永久居留身份证', en: 'Foreign permanent resident ID card' },
  { code: '06', zh: '港澳台居民居住证', en: 'Residence permit for Hong Kong, Macao and Taiwan residents' },
] as const satisfies readonly CodeItem[];

/** 性别 — GB/T 2261.1-2003. */
export const genders = [
  { code: '0', zh: '未知的性别', en: 'Unknown' },
  { code: '1', zh: '男', en: 'Male' },
  { code: '2', zh: '女', en: 'Female' },
  { code: '9', zh: '未说明的性别', en: 'Not stated' },
] as const satisfies readonly CodeItem[];

/** 民族 — GB 3304-1991 (56 ethnic groups plus 97/98). */
export const ethnicities = [
  { code: '01', zh: '汉族', en: 'Han' },
  { code: '02', zh: '蒙古族', en: 'Mongol' },
  { code: '03', zh: '回族', en: 'Hui' },
  { code: '04', zh: '藏族', en: 'Tibetan' },
  { code: '05', zh: '维吾尔族', en: 'Uyghur' },
  { code: '06', zh: '苗族', en: 'Miao' },
  { code: '07', zh: '彝族', en: 'Yi' },
  { code: '08', zh: '壮族', en: 'Zhuang' },
  { code: '09', zh: '布依族', en: 'Bouyei' },
  { code: '10', zh: '朝鲜族', en: 'Korean' },
  { code: '11', zh: '满族', en: 'Manchu' },
  { code: '12', zh: '侗族', en: 'Dong' },
  { code: '13', zh: '瑶族', en: 'Yao' },
  { code: '14', zh: '白族', en: 'Bai' },
  { code: '15', zh: '土家族', en: 'Tujia' },
  { code: '16', zh: '哈尼族', en: 'Hani' },
  { code: '17', zh: '哈萨克族', en: 'Kazakh' },
  { code: '18', zh: '傣族', en: 'Dai' },
  { code: '19', zh: '黎族', en: 'Li' },
  { code: '20', zh: '傈僳族', en: 'Lisu' },
  { code: '21', zh: '佤族', en: 'Va' },
  { code: '22', zh: '畲族', en: 'She' },
  { code: '23', zh: '高山族', en: 'Gaoshan' },
  { code: '24', zh: '拉祜族', en: 'Lahu' },
  { code: '25', zh: '水族', en: 'Shui' },
  { code: '26', zh: '东乡族', en: 'Dongxiang' },
  { code: '27', zh: '纳西族', en: 'Naxi' },
  { code: '28', zh: '景颇族', en: 'Jingpo' },
  { code: '29', zh: '柯尔克孜族', en: 'Kirgiz' },
  { code: '30', zh: '土族', en: 'Tu' },
  { code: '31', zh: '达斡尔族', en: 'Daur' },
  { code: '32', zh: '仫佬族', en: 'Mulao' },
  { code: '33', zh: '羌族', en: 'Qiang' },
  { code: '34', zh: '布朗族', en: 'Blang' },
  { code: '35', zh: '撒拉族', en: 'Salar' },
  { code: '36', zh: '毛南族', en: 'Maonan' },
  { code: '37', zh: '仡佬族', en: 'Gelao' },
  { code: '38', zh: '锡伯族', en: 'Xibe' },
  { code: '39', zh: '阿昌族', en: 'Achang' },
  { code: '40', zh: '普米族', en: 'Pumi' },
  { code: '41', zh: '塔吉克族', en: 'Tajik' },
  { code: '42', zh: '怒族', en: 'Nu' },
  { code: '43', zh: '乌孜别克族', en: 'Uzbek' },
  { code: '44', zh: '俄罗斯族', en: 'Russian' },
  { code: '45', zh: '鄂温克族', en: 'Ewenki' },
  { code: '46', zh: '德昂族', en: 'Deang' },
  { code: '47', zh: '保安族', en: 'Bonan' },
  { code: '48', zh: '裕固族', en: 'Yugur' },
  { code: '49', zh: '京族', en: 'Gin' },
  { code: '50', zh: '塔塔尔族', en: 'Tatar' },
  { code: '51', zh: '独龙族', en: 'Derung' },
  { code: '52', zh: '鄂伦春族', en: 'Oroqen' },
  { code: '53', zh: '赫哲族', en: 'Hezhen' },
  { code: '54', zh: '门巴族', en: 'Monba' },
  { code: '55', zh: '珞巴族', en: 'Lhoba' },
  { code: '56', zh: '基诺族', en: 'Jino' },
  { code: '97', zh: '其他', en: 'Other' },
  { code: '98', zh: '外国血统中国籍人士', en: 'Chinese citizen of foreign origin' },
] as const satisfies readonly CodeItem[];

/**
 * 家庭关系 (与户主关系) — GB/T 4761-2008, the commonly used subset.
 * In the standard '80' is the "其他" (other relatives) group heading and '97'
 * is "其他亲属"; '99' is 非亲属 (not a relative).
 */
export const relations = [
  { code: '01', zh: '本人', en: 'Self' },
  { code: '02', zh: '户主', en: 'Householder' },
  { code: '10', zh: '配偶', en: 'Spouse' },
  { code: '11', zh: '夫', en: 'Husband' },
  { code: '12', zh: '妻', en: 'Wife' },
  { code: '20', zh: '子', en: 'Son' },
  { code: '21', zh: '独生子', en: 'Only son' },
  { code: '22', zh: '长子', en: 'Eldest son' },
  { code: '23', zh: '次子', en: 'Second son' },
  { code: '24', zh: '三子', en: 'Third son' },
  { code: '25', zh: '四子', en: 'Fourth son' },
  { code: '26', zh: '五子', en: 'Fifth son' },
  { code: '27', zh: '养子或继子', en: 'Adopted son or stepson' },
  { code: '28', zh: '女婿', en: 'Son-in-law' },
  { code: '29', zh: '其他儿子', en: 'Other son' },
  { code: '30', zh: '女', en: 'Daughter' },
  { code: '31', zh: '独生女', en: 'Only daughter' },
  { code: '32', zh: '长女', en: 'Eldest daughter' },
  { code: '33', zh: '次女', en: 'Second daughter' },
  { code: '34', zh: '三女', en: 'Third daughter' },
  { code: '35', zh: '四女', en: 'Fourth daughter' },
  { code: '36', zh: '五女', en: 'Fifth daughter' },
  { code: '37', zh: '养女或继女', en: 'Adopted daughter or stepdaughter' },
  { code: '38', zh: '儿媳', en: 'Daughter-in-law' },
  { code: '39', zh: '其他女儿', en: 'Other daughter' },
  { code: '40', zh: '孙子、孙女或外孙子、外孙女', en: 'Grandchild' },
  { code: '41', zh: '孙子', en: "Grandson (son's son)" },
  { code: '42', zh: '孙女', en: "Granddaughter (son's daughter)" },
  { code: '43', zh: '外孙子', en: "Grandson (daughter's son)" },
  { code: '44', zh: '外孙女', en: "Granddaughter (daughter's daughter)" },
  { code: '50', zh: '父母', en: 'Parent' },
  { code: '51', zh: '父亲', en: 'Father' },
  { code: '52', zh: '母亲', en: 'Mother' },
  { code: '53', zh: '公公', en: "Father-in-law (husband's father)" },
  { code: '54', zh: '婆婆', en: "Mother-in-law (husband's mother)" },
  { code: '55', zh: '岳父', en: "Father-in-law (wife's father)" },
  { code: '56', zh: '岳母', en: "Mother-in-law (wife's mother)" },
  { code: '60', zh: '祖父母或外祖父母', en: 'Grandparent' },
  { code: '61', zh: '祖父', en: 'Paternal grandfather' },
  { code: '62', zh: '祖母', en: 'Paternal grandmother' },
  { code: '63', zh: '外祖父', en: 'Maternal grandfather' },
  { code: '64', zh: '外祖母', en: 'Maternal grandmother' },
  { code: '70', zh: '兄弟姐妹', en: 'Sibling' },
  { code: '71', zh: '兄', en: 'Elder brother' },
  { code: '72', zh: '嫂', en: "Elder brother's wife" },
  { code: '73', zh: '弟', en: 'Younger brother' },
  { code: '74', zh: '弟媳', en: "Younger brother's wife" },
  { code: '75', zh: '姐姐', en: 'Elder sister' },
  { code: '76', zh: '姐夫', en: "Elder sister's husband" },
  { code: '77', zh: '妹妹', en: 'Younger sister' },
  { code: '78', zh: '妹夫', en: "Younger sister's husband" },
  { code: '79', zh: '其他兄弟姐妹', en: 'Other sibling' },
  { code: '80', zh: '其他', en: 'Other relative (group)' },
  { code: '97', zh: '其他亲属', en: 'Other relative' },
  { code: '99', zh: '非亲属', en: 'Not a relative' },
] as const satisfies readonly CodeItem[];

/** 居住身份 — role of a resident in a house. */
export const residentRoles = [
  { code: 'owner', zh: '业主', en: 'Owner' },
  { code: 'tenant', zh: '租客', en: 'Tenant' },
  { code: 'family', zh: '家庭成员', en: 'Family member' },
] as const satisfies readonly CodeItem[];

/** 人员标签 — resident tags; `derived` ones are computed from the birth date. */
export const residentTags = [
  { code: 'elderly', zh: '老年人(60岁以上)', en: 'Elderly (60+)', derived: true },
  { code: 'child', zh: '儿童(14岁以下)', en: 'Child (under 14)', derived: true },
  { code: 'living_alone', zh: '独居', en: 'Living alone', derived: false },
  { code: 'disabled', zh: '残疾人', en: 'Person with disability', derived: false },
  { code: 'low_income', zh: '低保', en: 'Minimum living allowance', derived: false },
  { code: 'extreme_poverty', zh: '特困', en: 'Extreme-poverty support', derived: false },
  { code: 'elderly_allowance', zh: '高龄补贴', en: 'Old-age allowance', derived: false },
  { code: 'veteran', zh: '退役军人', en: 'Veteran', derived: false },
  { code: 'special_care', zh: '特扶', en: 'Special family-planning assistance', derived: false },
  { code: 'key_person', zh: '重点人员', en: 'Key person', derived: false },
  { code: 'party_member', zh: '党员', en: 'Party member', derived: false },
  { code: 'volunteer', zh: '志愿者', en: 'Volunteer', derived: false },
] as const satisfies readonly TagCodeItem[];

/** 房屋用途 — house use. */
export const houseUses = [
  { code: 'residential', zh: '住宅', en: 'Residential' },
  { code: 'commercial', zh: '商业', en: 'Commercial' },
  { code: 'office', zh: '办公', en: 'Office' },
  { code: 'mixed', zh: '商住', en: 'Mixed commercial/residential' },
  { code: 'public', zh: '公共配套', en: 'Public facility' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies readonly CodeItem[];

/** 行政区划级别 — administrative region level (GB/T 2260 + street level). */
export const regionLevels = [
  { code: 'province', zh: '省', en: 'Province' },
  { code: 'city', zh: '市', en: 'City' },
  { code: 'district', zh: '区县', en: 'District / county' },
  { code: 'street', zh: '街道乡镇', en: 'Street / township' },
] as const satisfies readonly CodeItem[];

/** 地点类型 — kinds of place in the place tree. */
export const placeKinds = [
  { code: 'region', zh: '行政区划', en: 'Administrative region' },
  { code: 'community', zh: '社区', en: 'Community' },
  { code: 'estate', zh: '小区', en: 'Estate' },
  { code: 'building', zh: '楼栋', en: 'Building' },
  { code: 'unit', zh: '单元', en: 'Unit (stairwell)' },
  { code: 'house', zh: '房屋', en: 'House' },
] as const satisfies readonly CodeItem[];

export const codeLists = {
  idTypes,
  genders,
  ethnicities,
  relations,
  residentRoles,
  residentTags,
  houseUses,
  regionLevels,
  placeKinds,
} as const;

export type CodeListName = keyof typeof codeLists;

/** Metadata for each code list: names and the national standard it follows. */
export const codeListInfo: Record<CodeListName, { zh: string; en: string; standard?: string }> = {
  idTypes: { zh: '证件类型', en: 'Identity document type' },
  genders: { zh: '性别', en: 'Gender', standard: 'GB/T 2261.1-2003' },
  ethnicities: { zh: '民族', en: 'Ethnicity', standard: 'GB 3304-1991' },
  relations: { zh: '与户主关系', en: 'Relation to householder', standard: 'GB/T 4761-2008' },
  residentRoles: { zh: '居住身份', en: 'Resident role' },
  residentTags: { zh: '人员标签', en: 'Resident tag' },
  houseUses: { zh: '房屋用途', en: 'House use' },
  regionLevels: { zh: '行政区划级别', en: 'Region level', standard: 'GB/T 2260' },
  placeKinds: { zh: '地点类型', en: 'Place kind' },
};

export const codeListNames = Object.keys(codeLists) as CodeListName[];

/** Look up a code list by name; undefined for an unknown name. */
export function codeList(name: string): readonly CodeItem[] | undefined {
  return Object.prototype.hasOwnProperty.call(codeLists, name) ? (codeLists as Record<string, readonly CodeItem[]>)[name] : undefined;
}

/** True when `code` belongs to the list (given by name or as an array). */
export function isCode(list: CodeListName | readonly { readonly code: string }[], code: unknown): boolean {
  if (typeof code !== 'string') return false;
  const items: readonly { readonly code: string }[] | undefined = typeof list === 'string' ? codeList(list) : list;
  return !!items && items.some((c) => c.code === code);
}

/** Find an item by code. */
export function codeItem(list: CodeListName, code: string): CodeItem | undefined {
  return codeList(list)?.find((c) => c.code === code);
}

/** Full years between birthDate and today (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}

/** Derived tags: ['elderly'] for age ≥ 60, ['child'] for age < 14, else []. */
export function ageTags(birthDate: string, today: string): string[] {
  const age = ageOn(birthDate, today);
  if (age >= 60) return ['elderly'];
  if (age < 14) return ['child'];
  return [];
}
