// The devices module's permissions and messages (declared by app.ts from the module's manifest).
import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { deviceTypeMessages } from './devices.types.js';
import { mqttAuthMessages } from './mqtt.auth-routes.js';
import { ingestMessages } from './ingest.http.js';

// Who may do what with devices. Scope = the places under the role grant. Device types are
// reference data shared by every community (read by anyone who may read devices); who may change
// which type: devices.types.ts.
export const devicesPermissions: PermissionTable = {
  gov_supervisor: [
    ['read', 'Device'],
    ['read', 'DeviceType'],
  ],
  community_staff: [
    ['read', 'Device'],
    ['read', 'DeviceType'],
  ],
  property_manager: [
    ['read', 'Device'],
    ['create', 'Device'],
    ['update', 'Device'],
    ['rotate', 'Device'],
    ['read', 'DeviceType'],
    ['create', 'DeviceType'],
    ['update', 'DeviceType'],
  ],
  technician: [
    ['read', 'Device'],
    ['read', 'DeviceType'],
  ],
  security_guard: [
    ['read', 'Device'],
    ['read', 'DeviceType'],
  ],
};

const deviceMessages: Messages = {
  'devices.not_found': { zh: '找不到该设备', en: 'No such device' },
  'devices.place_not_found': { zh: '找不到该地点', en: 'No such place' },
  'devices.place_kind': { zh: '设备只能安装在社区、小区、楼栋、单元或房屋', en: 'A device is placed in a community, estate, building, unit or house' },
  'devices.type_unknown': { zh: '未知的设备类型：{value}', en: 'Unknown device type: {value}' },
  'devices.type_code_taken': { zh: '设备类型编码已存在', en: 'This device type code already exists' },
  'devices.key_duplicate': { zh: '遥测项重复：{value}', en: 'Duplicate telemetry key: {value}' },
  'devices.range_invalid': { zh: '最小值不能大于最大值', en: 'The minimum cannot exceed the maximum' },
  'devices.range_too_long': { zh: '时间范围过大（最多 400 天）', en: 'The time range is too long (at most 400 days)' },
  'devices.time_invalid': { zh: '时间格式不正确', en: 'Invalid time' },
  'devices.bad_credentials': { zh: '设备标识或密钥错误', en: 'Wrong device id or secret' },
  'devices.name_required': { zh: '请填写设备名称', en: 'Give the device a name' },
};

export const devicesMessages: Messages = { ...deviceMessages, ...deviceTypeMessages, ...mqttAuthMessages, ...ingestMessages };
