import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what with alarms and alarm rules. Scope = the places under the role grant.
// Type rules carry the scope "/" (platform-wide), so only a platform admin changes them; a
// per-device override carries its device's place path, so a property manager may add one there.
export const alarmsPermissions: PermissionTable = {
  gov_supervisor: [
    ['read', 'Alarm'],
    ['read', 'AlarmRule'],
  ],
  community_staff: [
    ['read', 'Alarm'],
    ['read', 'AlarmRule'],
  ],
  property_manager: [
    ['read', 'Alarm'],
    ['acknowledge', 'Alarm'],
    ['clear', 'Alarm'],
    ['read', 'AlarmRule'],
    ['create', 'AlarmRule'],
    ['update', 'AlarmRule'],
  ],
  technician: [
    ['read', 'Alarm'],
    ['acknowledge', 'Alarm'],
  ],
  security_guard: [
    ['read', 'Alarm'],
    ['acknowledge', 'Alarm'],
  ],
};

/** The alarms catalog: problem titles and rule-validation messages (zh-CN, en). */
export const alarmsMessages: Messages = {
  'alarms.alarm_not_found': { zh: '找不到该告警', en: 'No such alarm' },
  'alarms.rule_not_found': { zh: '找不到该告警规则', en: 'No such alarm rule' },
  'alarms.not_active': { zh: '只有未确认的告警可以确认', en: 'Only an active alarm can be acknowledged' },
  'alarms.already_cleared': { zh: '该告警已清除', en: 'This alarm is already cleared' },
  'alarms.rule_exists': { zh: '已有相同编码的规则', en: 'A rule with this code already exists' },
  'alarms.type_or_device': { zh: '请指定设备类型或设备', en: 'Give a device type or a device' },
  'alarms.device_not_found': { zh: '找不到该设备', en: 'No such device' },
  'alarms.type_mismatch': { zh: '设备类型与设备不符', en: 'The device type does not match the device' },
  'alarms.bad_definition': { zh: '规则定义无效', en: 'The rule definition is invalid' },
  'alarms.bad_rule_type': { zh: '规则类型应为 condition 或 no_data', en: 'Rule type must be condition or no_data' },
  'alarms.create_required': { zh: '至少需要一个级别的触发条件', en: 'Give a create condition for at least one severity' },
  'alarms.bad_severity': { zh: '级别应为 {values} 之一', en: 'Severity must be one of {values}' },
  'alarms.bad_condition': { zh: '条件无效', en: 'The condition is invalid' },
  'alarms.too_deep': { zh: '条件嵌套过深', en: 'The condition is nested too deeply' },
  'alarms.too_many_conditions': { zh: '条件过多', en: 'Too many conditions' },
  'alarms.unknown_key': { zh: '设备类型 {type} 没有遥测键 {key}', en: 'Device type {type} has no telemetry key {key}' },
  'alarms.unknown_type': { zh: '未知的设备类型 {value}', en: 'Unknown device type {value}' },
  'alarms.bad_key': { zh: '遥测键名无效', en: 'The telemetry key is invalid' },
  'alarms.bad_op': { zh: '运算符应为 {values} 之一', en: 'The operator must be one of {values}' },
  'alarms.bad_spec': { zh: '触发方式应为 simple、duration 或 repeating', en: 'Spec type must be simple, duration or repeating' },
  'alarms.bad_seconds': { zh: '秒数超出范围', en: 'Seconds out of range' },
  'alarms.bad_count': { zh: '次数超出范围', en: 'Count out of range' },
  'alarms.bad_schedule': { zh: '时间表无效', en: 'The schedule is invalid' },
  'alarms.bad_timezone': { zh: '未知时区', en: 'Unknown time zone' },
  'alarms.bad_days': { zh: '星期应为 1（周一）到 7（周日）', en: 'Days must be 1 (Monday) to 7 (Sunday)' },
  'alarms.bad_time': { zh: '时间格式应为 HH:MM', en: 'Time must be HH:MM' },
  'alarms.notify.title': { zh: '{severity}：{rule}', en: '{severity}: {rule}' },
  'alarms.notify.upgraded_body': { zh: '{device} · {from} → {to}', en: '{device} · {from} → {to}' },
  'alarms.severity.critical': { zh: '严重告警', en: 'Critical alarm' },
  'alarms.severity.major': { zh: '重要告警', en: 'Major alarm' },
  'alarms.severity.minor': { zh: '次要告警', en: 'Minor alarm' },
  'alarms.severity.warning': { zh: '警告', en: 'Warning' },
};
