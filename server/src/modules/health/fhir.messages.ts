// The FHIR layer's messages (OperationOutcome diagnostics), zh-CN and en.
import type { Messages } from '../../kernel/http/i18n.js';

export const fhirMessages: Messages = {
  'fhir.wrong_type': { zh: '应为 {expected} 资源，收到的是 {got}', en: 'Expected a {expected} resource, got {got}' },
  'fhir.required': { zh: '缺少必需元素 {element}', en: 'Required element {element} is missing' },
  'fhir.bad_status': { zh: '未知的状态 {status}', en: 'Unknown status {status}' },
  'fhir.not_vital_signs': {
    zh: 'category 须包含生命体征 vital-signs（http://terminology.hl7.org/CodeSystem/observation-category）',
    en: 'category must include vital-signs (http://terminology.hl7.org/CodeSystem/observation-category)',
  },
  'fhir.code_unsupported': {
    zh: 'code 中没有支持的 LOINC 生命体征代码（支持：{codes}）',
    en: 'code has no supported LOINC vital-signs code (supported: {codes})',
  },
  'fhir.subject_ref': { zh: 'subject 须引用 Patient/<患者编号>', en: 'subject must reference Patient/<id>' },
  'fhir.effective': {
    zh: 'effective[x] 须为至少精确到日的时间或带起点的时段',
    en: 'effective[x] must be a dateTime of at least a day, or a Period with a start',
  },
  'fhir.ucum_required': {
    zh: '数量须使用 UCUM 单位（system http://unitsofmeasure.org 及 code）',
    en: 'The quantity must be in UCUM (system http://unitsofmeasure.org with a code)',
  },
  'fhir.unit_unsupported': { zh: '单位 {unit} 不适用于 {code}（可用：{units}）', en: 'Unit {unit} does not fit {code} (use: {units})' },
  'fhir.units_differ': { zh: '收缩压与舒张压的单位须相同', en: 'Systolic and diastolic must be in the same unit' },
  'fhir.value_and_absent': { zh: '不能同时给出数值和 dataAbsentReason', en: 'A value and a dataAbsentReason cannot both be given' },
  'fhir.value_missing': { zh: '既无数值也无 dataAbsentReason', en: 'Neither a value nor a dataAbsentReason is given' },
  'fhir.quantity_required': { zh: '生命体征的数值须为 valueQuantity，收到的是 {element}', en: 'A vital sign is a valueQuantity, got {element}' },
  'fhir.component_missing': { zh: '血压组合缺少分量 {code}', en: 'The blood pressure panel lacks component {code}' },
  'fhir.patient_not_found': { zh: '找不到患者 {id}', en: 'Patient {id} not found' },
  'fhir.not_found': { zh: '找不到 {type}/{id}', en: '{type}/{id} not found' },
  'fhir.forbidden': { zh: '无权为该患者添加数据', en: 'Not allowed to add data for this patient' },
  'fhir.bundle_type': { zh: 'Bundle.type 须为 batch 或 transaction，收到的是 {type}', en: 'Bundle.type must be batch or transaction, got {type}' },
  'fhir.bundle_entry': { zh: '只支持 POST Observation 条目', en: 'Only POST Observation entries are supported' },
  'fhir.transaction_failed': { zh: '事务未执行：{count} 个条目有误', en: 'Transaction not applied: {count} entries failed' },
  'fhir.not_acceptable': { zh: '只能以 application/fhir+json 或 application/json 应答', en: 'Can answer only application/fhir+json or application/json' },
  'fhir.unsupported_media_type': {
    zh: '请求体须为 application/fhir+json 或 application/json',
    en: 'The body must be application/fhir+json or application/json',
  },
  'fhir.bad_json': { zh: '请求体不是合法的 JSON', en: 'The body is not valid JSON' },
  'fhir.bad_request': { zh: '请求有误：{detail}', en: 'Bad request: {detail}' },
  'fhir.bad_param': { zh: '查询参数 {name} 的值无效：{value}', en: 'Search parameter {name} has an invalid value: {value}' },
  'fhir.patient_param': { zh: '查询须指定 patient', en: 'The search needs a patient' },
};
