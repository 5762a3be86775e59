import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what in the health module. The role only opens the door: a doctor reaches a patient
// only while a member of the team holding the patient's active contract (health.access.ts), and a
// resident only their own data or that of a patient who named them. Everyone else — staff,
// property, guards, supervisors, platform administrators — sees aggregates with small-cell
// suppression (HealthStats) and never a patient's data.
//   HealthSetup: institutions, doctors and family-doctor teams (community staff in their scope).
//   HealthPatient: the doctor's workbench (contracts, readings, alerts, advice, follow-ups).
//   OwnHealth: the resident's own health data and the data of those who named them ('self').
export const healthPermissions: PermissionTable = {
  community_staff: [
    ['read', 'HealthSetup'],
    ['manage', 'HealthSetup'],
    ['read', 'HealthStats'],
  ],
  gov_supervisor: [
    ['read', 'HealthSetup'],
    ['read', 'HealthStats'],
  ],
  property_manager: [['read', 'HealthStats']],
  security_guard: [['read', 'HealthStats']],
  doctor: [
    ['read', 'HealthSetup'],
    ['read', 'HealthPatient'],
    ['treat', 'HealthPatient'],
  ],
  resident: [
    ['read', 'OwnHealth', 'self'],
    ['update', 'OwnHealth', 'self'],
  ],
};

export const healthMessages: Messages = {
  'health.not_found': { zh: '找不到该记录', en: 'No such record' },
  'health.patient_not_found': { zh: '找不到该患者', en: 'No such patient' },
  'health.resident_not_found': { zh: '找不到该居民', en: 'No such resident' },
  'health.institution_not_found': { zh: '找不到该医疗机构', en: 'No such medical institution' },
  'health.team_not_found': { zh: '找不到该家庭医生团队', en: 'No such family-doctor team' },
  'health.not_a_doctor': { zh: '该账号没有本社区的医生角色', en: 'This account has no doctor role here' },
  'health.not_team_member': { zh: '您不是该团队成员', en: 'You are not a member of this team' },
  'health.already_contracted': { zh: '该居民已有有效的家庭医生签约', en: 'This resident already has an active family-doctor contract' },
  'health.contract_not_found': { zh: '找不到该签约', en: 'No such contract' },
  'health.contract_ended': { zh: '该签约已解约', en: 'This contract has ended' },
  'health.bad_dates': { zh: '结束日期须晚于开始日期', en: 'The end date must be after the start date' },
  'health.no_contract': { zh: '您还没有家庭医生签约', en: 'You have no family-doctor contract' },
  'health.not_household_member': { zh: '只能指定同一户的家庭成员', en: 'Only members of your household can be named' },
  'health.device_not_found': { zh: '找不到该设备', en: 'No such device' },
  'health.device_not_health': { zh: '该设备不是健康监测设备', en: 'This device is not a health monitoring device' },
  'health.alert_not_found': { zh: '找不到该预警', en: 'No such alert' },
  'health.alert_closed': { zh: '该预警已关闭', en: 'This alert is already closed' },
  'health.bad_unit': { zh: '单位 {unit} 不适用，可用单位：{units}', en: 'Unit {unit} does not apply; use one of: {units}' },
  'health.bp_incomplete': { zh: '请同时填写收缩压和舒张压', en: 'Enter both systolic and diastolic pressure' },
  'health.value_missing': { zh: '请填写测量值', en: 'Enter the measured value' },
  'health.context_missing': { zh: '请选择测量时机（空腹、餐后或随机）', en: 'Choose when it was measured (fasting, after a meal or random)' },
  'health.systolic_not_above_diastolic': {
    zh: '收缩压（{systolic}）必须高于舒张压（{diastolic}），请检查读数',
    en: 'Systolic pressure ({systolic}) must be above diastolic ({diastolic}); check the reading',
  },
  'health.spo2_over_100': { zh: '血氧饱和度不可能超过 100%，请检查读数', en: 'Oxygen saturation cannot exceed 100 %; check the reading' },
  'health.implausible_systolic': { zh: '收缩压应在 {min}–{max} mmHg 之间', en: 'Systolic pressure must be between {min} and {max} mmHg' },
  'health.implausible_diastolic': { zh: '舒张压应在 {min}–{max} mmHg 之间', en: 'Diastolic pressure must be between {min} and {max} mmHg' },
  'health.implausible_pulse': { zh: '脉搏应在 {min}–{max} 次/分之间', en: 'Pulse must be between {min} and {max} per minute' },
  'health.implausible_glucose': { zh: '血糖应在 {min}–{max} mmol/L 之间', en: 'Glucose must be between {min} and {max} mmol/L' },
  'health.implausible_hr': { zh: '心率应在 {min}–{max} 次/分之间', en: 'Heart rate must be between {min} and {max} per minute' },
  'health.implausible_spo2': { zh: '血氧饱和度应在 {min}–{max}% 之间', en: 'Oxygen saturation must be between {min} and {max} %' },
  'health.implausible_temp': { zh: '体温应在 {min}–{max} °C 之间', en: 'Temperature must be between {min} and {max} °C' },
  'health.implausible_weight': { zh: '体重应在 {min}–{max} kg 之间', en: 'Weight must be between {min} and {max} kg' },
  'health.kind.bp': { zh: '血压', en: 'blood pressure' },
  'health.kind.glucose': { zh: '血糖', en: 'blood glucose' },
  'health.kind.hr': { zh: '心率', en: 'heart rate' },
  'health.kind.spo2': { zh: '血氧', en: 'SpO2' },
  'health.kind.temp': { zh: '体温', en: 'temperature' },
  'health.kind.trend_bp': { zh: '血压持续偏高', en: 'blood pressure repeatedly high' },
  'health.kind.trend_glucose': { zh: '血糖持续偏高', en: 'glucose repeatedly high' },
  'health.kind.missing': { zh: '长期未测量', en: 'no readings' },
  'health.notify.urgent': { zh: '紧急健康预警：{rule}', en: 'Urgent health alert: {rule}' },
  'health.notify.urgent_body': { zh: '请立即查看并处理（{team}）', en: 'Please review and act now ({team})' },
  'health.notify.escalated': { zh: '健康预警 {minutes} 分钟未确认：{rule}', en: 'Health alert unacknowledged for {minutes} min: {rule}' },
  'health.notify.self_urgent': { zh: '您的{rule}读数异常，家庭医生已收到提醒', en: 'Your {rule} reading is abnormal; your family doctor has been alerted' },
  'health.notify.family_urgent': { zh: '您关注的家人{rule}读数异常', en: 'A family member you follow has an abnormal {rule} reading' },
  'health.notify.advice': { zh: '家庭医生给您留了新的健康建议', en: 'Your family doctor left you new health advice' },
  'health.notify.body': { zh: '请在“健康”页面查看', en: 'See the Health page' },
};
