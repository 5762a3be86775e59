import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what with cameras and security incidents ('scope' = under the grant's place).
// Camera: read (list, health, stream address with user:pass masked), update (location, stream,
// MAC/IP/channel; sees the stream address unmasked). Incident: read, investigate, resolve,
// false_alarm, note, work_order (raise a work order for the incident). IncidentRule: read, update.
const handle: [string, string][] = [
  ['read', 'Incident'],
  ['investigate', 'Incident'],
  ['resolve', 'Incident'],
  ['false_alarm', 'Incident'],
  ['note', 'Incident'],
  ['work_order', 'Incident'],
  ['read', 'Camera'],
  ['read', 'IncidentRule'],
];
export const incidentsPermissions: PermissionTable = {
  security_guard: handle,
  property_manager: [...handle, ['update', 'Camera'], ['update', 'IncidentRule']],
  community_staff: [
    ['read', 'Incident'],
    ['read', 'Camera'],
    ['read', 'IncidentRule'],
  ],
  gov_supervisor: [
    ['read', 'Incident'],
    ['read', 'Camera'],
  ],
  technician: [['read', 'Camera']],
};

/** The incidents catalog: problem titles, statuses, event kinds, notifications (zh-CN, en). */
export const incidentsMessages: Messages = {
  'incidents.not_found': { zh: '找不到该安防事件', en: 'No such incident' },
  'incidents.camera_not_found': { zh: '找不到该摄像头', en: 'No such camera' },
  'incidents.not_a_camera': { zh: '该设备不是摄像头', en: 'This device is not a camera' },
  'incidents.unknown_camera': { zh: '无法识别发送事件的摄像头', en: 'The camera that sent this event is unknown' },
  'incidents.bad_event': { zh: '摄像头事件格式不正确', en: 'Malformed camera event' },
  'incidents.bad_xml': { zh: 'XML 格式不正确', en: 'Malformed XML' },
  'incidents.bad_kind': { zh: '未知的事件类型', en: 'Unknown event kind' },
  'incidents.bad_time': { zh: '事件时间无效或超出范围', en: 'The event time is invalid or out of range' },
  'incidents.bad_time_zone': { zh: '时区无效（应为 IANA 时区，如 Asia/Shanghai）', en: 'Unknown time zone (use an IANA zone such as Asia/Shanghai)' },
  'incidents.camera_mismatch': { zh: '事件中的摄像头与设备凭证不符', en: 'The event names another camera than the credential' },
  'incidents.bad_mac': { zh: 'MAC 地址格式不正确', en: 'Invalid MAC address' },
  'incidents.bad_ip': { zh: 'IP 地址格式不正确', en: 'Invalid IP address' },
  'incidents.bad_stream_url': {
    zh: '视频流地址必须是 rtsp、rtmp、http(s) 或 webrtc 地址',
    en: 'The stream address must be an rtsp, rtmp, http(s) or webrtc URL',
  },
  'incidents.mac_taken': { zh: '该 MAC 地址和通道已属于另一台摄像头', en: 'Another camera already has this MAC address and channel' },
  'incidents.illegal_transition': { zh: '安防事件当前状态（{from}）不能执行“{action}”', en: 'Cannot {action} an incident that is {from}' },
  'incidents.version_conflict': { zh: '安防事件已被他人处理，请刷新后重试', en: 'The incident has changed meanwhile; reload and retry' },
  'incidents.note_required': { zh: '请填写处理说明', en: 'Write a note' },
  'incidents.work_order_exists': { zh: '该事件已有工单', en: 'This incident already has a work order' },
  'incidents.status.new': { zh: '新事件', en: 'new' },
  'incidents.status.investigating': { zh: '处理中', en: 'investigating' },
  'incidents.status.resolved': { zh: '已解决', en: 'resolved' },
  'incidents.status.false_alarm': { zh: '误报', en: 'false alarm' },
  'incidents.kind.motion': { zh: '移动侦测', en: 'Motion' },
  'incidents.kind.intrusion': { zh: '区域入侵', en: 'Intrusion' },
  'incidents.kind.loitering': { zh: '徘徊', en: 'Loitering' },
  'incidents.kind.smoke_fire': { zh: '烟火', en: 'Smoke / fire' },
  'incidents.kind.tailgating': { zh: '尾随', en: 'Tailgating' },
  'incidents.notify.new': { zh: '新安防事件：{title}', en: 'New incident: {title}' },
};
