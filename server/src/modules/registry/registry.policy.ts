// The registry's permissions and messages (declared by app.ts from the module's manifest).
import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { importMessages } from './import/import.messages.js';

// Who may do what in the registry. Scope = the places under the role grant.
// RegistrationReview (registration-reviews.ts): supervisors decide; community staff follow their own requests (status only).
export const registryPermissions: PermissionTable = {
  gov_supervisor: [
    ['read', 'Place'],
    ['read', 'Resident'],
    ['read', 'AuditLog'],
    ['read', 'RegistrationReview'],
    ['decide', 'RegistrationReview'],
  ],
  community_staff: [
    ['read', 'RegistrationReview'],
    ['read', 'Place'],
    ['create', 'Place'],
    ['update', 'Place'],
    ['read', 'Resident'],
    ['create', 'Resident'],
    ['update', 'Resident'],
    ['reveal', 'Resident'],
    ['import', 'Resident'],
    ['export', 'Resident'],
    ['read', 'AuditLog'],
  ],
  property_manager: [
    ['read', 'Place'],
    ['update', 'Place'],
    ['read', 'Resident'],
    ['export', 'Resident'],
  ],
  technician: [['read', 'Place']],
  security_guard: [
    ['read', 'Place'],
    ['read', 'Resident'],
  ],
  doctor: [['read', 'Place']],
  service_provider: [],
  department_officer: [],
  resident: [
    ['read', 'Resident', 'self'],
    ['read', 'OwnData', 'self'],
  ],
};

export const placeAndResidentMessages: Messages = {
  'registry.place_not_found': { zh: '找不到该地点', en: 'No such place' },
  'registry.resident_not_found': { zh: '找不到该居民', en: 'No such resident' },
  'registry.house_not_found': { zh: '找不到该房屋', en: 'No such house' },
  'registry.residency_not_found': { zh: '找不到该居住记录', en: 'No such residency' },
  'registry.bad_parent': { zh: '{kind} 不能建在 {parentKind} 之下', en: 'A {kind} cannot be placed under a {parentKind}' },
  'registry.name_taken': { zh: '同一上级下已有同名地点', en: 'A place with this name already exists here' },
  'registry.code_invalid': { zh: '行政区划代码应为 6 位或 9 位数字（GB/T 2260）', en: 'Division code must be 6 or 9 digits (GB/T 2260)' },
  'registry.id_length': { zh: '身份证号应为 18 位', en: 'ID number must be 18 characters' },
  'registry.id_chars': { zh: '身份证号只能包含数字和末位 X', en: 'ID number may contain only digits and a final X' },
  'registry.id_checksum': { zh: '身份证号校验位不正确（GB 11643）', en: 'ID number check digit is wrong (GB 11643)' },
  'registry.id_birth_date': { zh: '身份证号中的出生日期无效', en: 'The birth date inside the ID number is not a valid date' },
  'registry.id_division': { zh: '身份证号的地区码无效', en: 'The region code of the ID number is invalid' },
  'registry.id_duplicate': { zh: '该证件号码已登记', en: 'This ID number is already registered' },
  'registry.id_invalid': { zh: '证件号码格式不正确', en: 'The document number is invalid' },
  'registry.gender_mismatch': { zh: '性别与身份证号不符', en: 'Gender does not match the ID number' },
  'registry.birth_mismatch': { zh: '出生日期与身份证号不符', en: 'Birth date does not match the ID number' },
  'registry.phone_invalid': { zh: '请输入有效的大陆手机号（11 位，1 开头）', en: 'Enter a valid mainland mobile number (11 digits starting with 1)' },
  'registry.date_future': { zh: '日期不能晚于今天', en: 'The date cannot be in the future' },
  'registry.date_invalid': { zh: '日期格式应为 YYYY-MM-DD', en: 'Date must be YYYY-MM-DD' },
  'registry.move_out_before_in': { zh: '迁出日期不能早于迁入日期', en: 'Move-out date cannot be before move-in date' },
  'registry.already_moved_out': { zh: '该居住记录已迁出', en: 'This residency has already ended' },
  'registry.already_living_here': { zh: '该居民已住在此房屋', en: 'This resident already lives in this house' },
  'registry.code_unknown': { zh: '不在代码表中：{value}', en: 'Not in the code list: {value}' },
  'registry.wrong_community': { zh: '房屋不属于该居民所在社区', en: "The house is not in the resident's community" },
  'registry.community_required': { zh: '请选择房屋或社区', en: 'Choose a house or a community' },
  'registry.gender_required': { zh: '请填写性别', en: 'Gender is required' },
  'registry.reason_required': { zh: '请填写查看原因', en: 'Give a reason' },
};

export const reviewMessages: Messages = {
  'registry.review_pending': { zh: '登记已提交，等待上级审核', en: 'The registration was submitted and awaits review' },
  'registry.review_not_found': { zh: '找不到该登记审核', en: 'No such registration review' },
  'registry.review_decided': { zh: '该登记审核已处理', en: 'This registration review has already been decided' },
  'registry.review_house_gone': { zh: '申请登记的房屋已不存在', en: 'The house asked for no longer exists' },
};

/** Every message of the module (places, residents, reviews, bulk import). */
export const registryMessages: Messages = { ...placeAndResidentMessages, ...reviewMessages, ...importMessages };
