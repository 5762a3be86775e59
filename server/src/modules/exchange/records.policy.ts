// Permissions and messages of the records-in half, spread into exchange.policy.ts.
// ExchangeSource: a department's sources, their mapping profiles and imports (scope: the source's place).
// MatchReview: the queue of uncertain matches. Provenance: which source said what about a resident.
import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

export const recordsPermissions: PermissionTable = {
  department_officer: [
    ['read', 'ExchangeSource'],
    ['configure', 'ExchangeSource'],
    ['import', 'ExchangeSource'],
    ['read', 'MatchReview'],
    ['decide', 'MatchReview'],
    ['read', 'Provenance'],
  ],
  gov_supervisor: [
    ['read', 'ExchangeSource'],
    ['configure', 'ExchangeSource'],
    ['read', 'MatchReview'],
    ['read', 'Provenance'],
  ],
  community_staff: [['read', 'Provenance']],
};

export const recordsMessages: Messages = {
  'exchange.source_not_found': { zh: '找不到该数据来源', en: 'No such data source' },
  'exchange.import_not_found': { zh: '找不到该批导入', en: 'No such import' },
  'exchange.review_not_found': { zh: '找不到该待核对记录', en: 'No such match review' },
  'exchange.review_decided': { zh: '该记录已核对', en: 'This match has already been decided' },
  'exchange.no_profile': { zh: '该数据来源还没有映射方案', en: 'This source has no mapping profile yet' },
  'exchange.too_many_records': { zh: '一次最多推送 {limit} 条记录', en: 'At most {limit} records per push' },
  'exchange.field_unknown': { zh: '数据标准中没有字段 {field}', en: 'The data standard has no field {field}' },
  'exchange.code_unknown': { zh: '数据标准的代码表中没有 {value}', en: 'The standard’s code list has no {value}' },
  'exchange.code_untranslated': { zh: '映射方案无法翻译代码：{value}', en: 'The mapping profile cannot translate the code {value}' },
  'exchange.id_invalid': { zh: '身份证号无效（GB 11643），改用概率匹配', en: 'Invalid ID number (GB 11643); matched probabilistically instead' },
  'exchange.date_invalid': { zh: '日期无法识别：{value}', en: 'Unreadable date: {value}' },
  'exchange.birth_mismatch': { zh: '出生日期与身份证号不符，以身份证号为准', en: 'Birth date differs from the ID number; the ID number stands' },
  'exchange.gender_mismatch': { zh: '性别与身份证号不符，以身份证号为准', en: 'Gender differs from the ID number; the ID number stands' },
  'exchange.phone_invalid': { zh: '手机号无效，已忽略', en: 'Invalid phone number, left out' },
  'exchange.unidentifiable': {
    zh: '没有有效的身份证号、出生日期或手机号，无法识别此人',
    en: 'No valid ID number, birth date or phone: the person cannot be identified',
  },
};
