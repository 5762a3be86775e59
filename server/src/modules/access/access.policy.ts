import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { registerEncryptedColumns } from '../../kernel/vault/index.js';

// Who may do what with doors. 'scope' = records under the grant's place; residents act on their
// own records ('self'). Subjects: AccessPoint (doors), AccessRule (door groups, person groups,
// schedules, rules), AccessCredential, AccessLog, VisitorPass.
export const accessPermissions: PermissionTable = {
  property_manager: [
    ['read', 'AccessPoint'],
    ['manage', 'AccessPoint'],
    ['read', 'AccessRule'],
    ['manage', 'AccessRule'],
    ['read', 'AccessCredential'],
    ['issue', 'AccessCredential'],
    ['revoke', 'AccessCredential'],
    ['read', 'AccessLog'],
    ['export', 'AccessLog'],
    ['read', 'VisitorPass'],
    ['create', 'VisitorPass'],
    ['revoke', 'VisitorPass'],
  ],
  security_guard: [
    ['read', 'AccessPoint'],
    ['read', 'AccessRule'],
    ['read', 'AccessCredential'],
    ['read', 'AccessLog'],
    ['read', 'VisitorPass'],
    ['create', 'VisitorPass'],
    ['revoke', 'VisitorPass'],
  ],
  community_staff: [
    ['read', 'AccessPoint'],
    ['read', 'AccessRule'],
    ['read', 'AccessCredential'],
    ['read', 'AccessLog'],
    ['export', 'AccessLog'],
    ['read', 'VisitorPass'],
  ],
  technician: [['read', 'AccessPoint']],
  resident: [
    ['read', 'AccessCredential', 'self'],
    ['qr', 'AccessCredential', 'self'],
    ['read', 'AccessLog', 'self'],
    ['read', 'VisitorPass', 'self'],
    ['create', 'VisitorPass', 'self'],
    ['revoke', 'VisitorPass', 'self'],
  ],
};

registerEncryptedColumns({ table: 'access_credentials', idColumn: 'id', columns: ['value_enc'] });
registerEncryptedColumns({ table: 'access_keys', idColumn: 'id', columns: ['private_key_enc'] });
registerEncryptedColumns({ table: 'access_visitor_passes', idColumn: 'id', columns: ['phone_enc'] });

/** Problem titles, validation codes, notifications and alerts (zh-CN, en). */
const accessTexts: Messages = {
  'access.point_not_found': { zh: '找不到该门禁点', en: 'No such access point' },
  'access.group_not_found': { zh: '找不到该门组', en: 'No such door group' },
  'access.schedule_not_found': { zh: '找不到该时间表', en: 'No such schedule' },
  'access.rule_not_found': { zh: '找不到该规则', en: 'No such rule' },
  'access.credential_not_found': { zh: '找不到该凭证', en: 'No such credential' },
  'access.pass_not_found': { zh: '找不到该访客通行证', en: 'No such visitor pass' },
  'access.resident_not_found': { zh: '该居民不在此社区', en: 'No such resident in this community' },
  'access.place_not_found': { zh: '找不到该地点', en: 'No such place' },
  'access.place_kind': { zh: '门禁点须位于社区、小区、楼栋或单元', en: 'An access point belongs to a community, estate, building or unit' },
  'access.kind_place': { zh: '门禁类型与所在位置不符', en: 'The kind of access point does not fit its place' },
  'access.controller_unknown': { zh: '控制器须是同一社区的门禁控制器', en: 'The controller must be a door controller of the same community' },
  'access.other_community': { zh: '不属于同一社区', en: 'Not of the same community' },
  'access.card_bad_bits': { zh: '韦根数据须为 26 或 34 位', en: 'Wiegand data must be 26 or 34 bits' },
  'access.card_parity': { zh: '韦根校验位错误', en: 'Wiegand parity check failed' },
  'access.card_number': { zh: '卡号须为数字', en: 'A card number is digits' },
  'access.card_too_large': { zh: '卡号超出该格式范围', en: 'The card number is too large for this format' },
  'access.value_required': { zh: '必填', en: 'Required' },
  'access.value_taken': { zh: '该凭证已被使用', en: 'This credential is already in use' },
  'access.pin_format': { zh: 'PIN 须为 6–8 位数字', en: 'A PIN is 6–8 digits' },
  'access.pin_needs_expiry': { zh: '临时 PIN 须设置有效期（最长 30 天）', en: 'A temporary PIN needs an end date (at most 30 days)' },
  'access.fingerprint_ref': { zh: '指纹只能登记控制器生成的模板编号', en: 'A fingerprint is enrolled only as the template reference its controller produced' },
  'access.window': { zh: '时间段无效', en: 'Invalid time window' },
  'access.window_order': { zh: '结束时间须晚于开始时间', en: 'The end must be after the start' },
  'access.pass_window_too_long': { zh: '访客通行证最长 7 天', en: 'A visitor pass lasts at most 7 days' },
  'access.door_not_allowed': { zh: '您不能为该门授权访客', en: 'You cannot let visitors through this door' },
  'access.not_resident': { zh: '只有在住居民可以使用', en: 'Only residents who live here can do this' },
  'access.who_value': { zh: '请指定对象', en: 'Say who the rule applies to' },
  'access.revoked': { zh: '已撤销', en: 'Already revoked' },
  'access.controller_auth': { zh: '控制器认证失败', en: 'Controller authentication failed' },
  'access.export_too_large': { zh: '导出记录过多（上限 {limit}），请缩小范围', en: 'Too many entries to export (limit {limit}); narrow the search' },
  'access.notify.offline_revoked_title': { zh: '离线开门使用了已撤销的凭证', en: 'A revoked credential opened a door offline' },
  'access.notify.offline_revoked_body': { zh: '{door}：{holder} 于 {at} 使用已撤销的凭证开门', en: '{door}: {holder} used a revoked credential at {at}' },
  'access.alert.door_forced': { zh: '门被强行打开：{door}', en: 'Door forced open: {door}' },
  'access.alert.door_held_open': { zh: '门长时间未关：{door}', en: 'Door held open: {door}' },
  'access.alert.tamper': { zh: '门禁设备被破坏：{door}', en: 'Door controller tampered with: {door}' },
  'access.alert.repeated_denials': { zh: '多次被拒开门：{door}', en: 'Repeated denials: {door}' },
  'access.alert.body': { zh: '{door}（{at}）', en: '{door} ({at})' },
  'access.export.sheet': { zh: '通行记录', en: 'Access log' },
  'access.export.time': { zh: '时间（UTC）', en: 'Time (UTC)' },
  'access.export.door': { zh: '门禁点', en: 'Door' },
  'access.export.person': { zh: '人员', en: 'Person' },
  'access.export.credential': { zh: '凭证', en: 'Credential' },
  'access.export.direction': { zh: '方向', en: 'Direction' },
  'access.export.result': { zh: '结果', en: 'Result' },
  'access.export.reason': { zh: '原因', en: 'Reason' },
  'access.export.offline': { zh: '离线', en: 'Offline' },
  'access.notify.visitor_title': { zh: '访客到达：{visitor}', en: 'Visitor arrived: {visitor}' },
  'access.notify.visitor_body': { zh: '{visitor} 经 {door} 进入（访问 {host}）', en: '{visitor} came in through {door} (visiting {host})' },
};

const reasons: Record<string, [string, string]> = {
  resident: ['居民默认通行', 'resident of this place'],
  rule_allow: ['规则允许', 'allowed by a rule'],
  rule_deny: ['规则禁止', 'denied by a rule'],
  no_rule: ['无通行权限', 'no rule allows it'],
  not_resident: ['非本地居民', 'does not live here'],
  visitor: ['访客通行证', 'visitor pass'],
  revoked: ['凭证已撤销', 'credential revoked'],
  expired: ['凭证已过期', 'credential expired'],
  not_yet_valid: ['凭证尚未生效', 'credential not yet valid'],
  unknown_credential: ['未知凭证', 'unknown credential'],
  bad_credential: ['凭证格式错误', 'malformed credential'],
  door_disabled: ['门禁已停用', 'door disabled'],
  anti_passback: ['防潜回', 'anti-passback'],
  qr_malformed: ['二维码无效', 'malformed QR code'],
  qr_bad_signature: ['二维码签名无效', 'QR signature invalid'],
  qr_expired: ['二维码已过期', 'QR code expired'],
  qr_wrong_key: ['二维码不属于本社区', 'QR code of another community'],
  qr_wrong_door: ['二维码不适用于此门', 'QR code not valid for this door'],
  qr_replayed: ['二维码已使用', 'QR code already used'],
  pass_revoked: ['通行证已撤销', 'visitor pass revoked'],
  pass_expired: ['通行证已过期', 'visitor pass expired'],
  pass_not_yet_valid: ['通行证尚未生效', 'visitor pass not yet valid'],
  pass_used_up: ['通行证次数已用完', 'visitor pass used up'],
  offline: ['离线判定', 'decided offline'],
};
/** The decision reasons shown in the log (access.reason.<reason>). */
const reasonTexts: Messages = Object.fromEntries(Object.entries(reasons).map(([k, [zh, en]]) => [`access.reason.${k}`, { zh, en }]));

/** The access module's message catalog. */
export const accessMessages: Messages = { ...accessTexts, ...reasonTexts };
