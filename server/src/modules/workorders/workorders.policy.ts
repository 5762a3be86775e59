import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what with work orders. 'scope' = orders under the grant's place; residents act on
// their own orders only ('self': the order's residentId is theirs). Technicians may start …
// resolve only orders assigned to them; the service enforces that (a record rule, not a role rule).
// Actions: read, create (staff, on behalf), request (resident repair request), assign, grab,
// start, pause, resume, resolve, close, reopen, cancel, rate, cost, attach (upload photos).
export const workordersPermissions: PermissionTable = {
  property_manager: [
    ['read', 'WorkOrder'],
    ['create', 'WorkOrder'],
    ['assign', 'WorkOrder'],
    ['grab', 'WorkOrder'],
    ['start', 'WorkOrder'],
    ['pause', 'WorkOrder'],
    ['resume', 'WorkOrder'],
    ['resolve', 'WorkOrder'],
    ['close', 'WorkOrder'],
    ['reopen', 'WorkOrder'],
    ['cancel', 'WorkOrder'],
    ['cost', 'WorkOrder'],
    ['attach', 'WorkOrder'],
    ['read', 'WorkOrderCategory'],
    ['manage', 'WorkOrderCategory'],
  ],
  technician: [
    ['read', 'WorkOrder'],
    ['grab', 'WorkOrder'],
    ['start', 'WorkOrder'],
    ['pause', 'WorkOrder'],
    ['resume', 'WorkOrder'],
    ['resolve', 'WorkOrder'],
    ['cost', 'WorkOrder'],
    ['attach', 'WorkOrder'],
    ['read', 'WorkOrderCategory'],
  ],
  community_staff: [
    ['read', 'WorkOrder'],
    ['create', 'WorkOrder'],
    ['close', 'WorkOrder'],
    ['cancel', 'WorkOrder'],
    ['attach', 'WorkOrder'],
    ['read', 'WorkOrderCategory'],
  ],
  security_guard: [
    ['read', 'WorkOrder'],
    ['read', 'WorkOrderCategory'],
  ],
  resident: [
    ['request', 'WorkOrder', 'self'],
    ['read', 'WorkOrder', 'self'],
    ['rate', 'WorkOrder', 'self'],
    ['close', 'WorkOrder', 'self'],
    ['reopen', 'WorkOrder', 'self'],
    ['cancel', 'WorkOrder', 'self'],
    ['attach', 'WorkOrder', 'self'],
    ['read', 'WorkOrderCategory', 'self'],
  ],
};

/** The work-order catalog: problem titles, statuses (zh-CN, en). */
const problems: Messages = {
  'workorders.community_not_found': { zh: '找不到该社区', en: 'No such community' },
  'workorders.resolve_before_response': { zh: '解决时限不能短于响应时限', en: 'The resolution deadline cannot be shorter than the response deadline' },
  'workorders.not_found': { zh: '找不到该工单', en: 'No such work order' },
  'workorders.photo_not_found': { zh: '找不到该图片', en: 'No such photo' },
  'workorders.illegal_transition': { zh: '工单当前状态（{from}）不能执行“{action}”', en: 'Cannot {action} a work order that is {from}' },
  'workorders.already_taken': { zh: '该工单已被他人接单', en: 'Someone else has already taken this work order' },
  'workorders.version_conflict': { zh: '工单已被他人修改，请刷新后重试', en: 'The work order has changed meanwhile; reload and retry' },
  'workorders.already_rated': { zh: '该工单已评价', en: 'This work order has already been rated' },
  'workorders.not_ratable': { zh: '工单完成后才能评价', en: 'A work order can be rated only once it is resolved' },
  'workorders.resident_cancel_only_new': { zh: '工单已派单，请联系物业取消', en: 'The order has been dispatched; ask the property office to cancel it' },
  'workorders.not_assignee': { zh: '只能处理指派给自己的工单', en: 'You can work only on orders assigned to you' },
  'workorders.not_requester': { zh: '只有报修人可以评价', en: 'Only the resident who asked can rate' },
  'workorders.not_your_house': { zh: '只能为自己居住的房屋报修', en: 'You can report repairs only for a house you live in' },
  'workorders.place_not_in_community': { zh: '该地点不在您的社区内', en: 'This place is not in your community' },
  'workorders.place_unknown': { zh: '找不到该地点', en: 'No such place' },
  'workorders.unknown_category': { zh: '未知的报修类别', en: 'Unknown repair category' },
  'workorders.bad_assignee': { zh: '该人员不能处理此地点的工单', en: 'This person cannot take work orders at this place' },
  'workorders.bad_photo': { zh: '图片无效或已被使用', en: 'The photo is invalid or already attached' },
  'workorders.resident_unknown': { zh: '该居民不在此社区', en: 'No such resident in this community' },
  'workorders.too_many_photos': { zh: '最多 6 张图片', en: 'At most 6 photos' },
  'workorders.status.new': { zh: '待派单', en: 'new' },
  'workorders.status.assigned': { zh: '已派单', en: 'assigned' },
  'workorders.status.in_progress': { zh: '处理中', en: 'in progress' },
  'workorders.status.paused': { zh: '已暂停', en: 'paused' },
  'workorders.status.resolved': { zh: '已完成', en: 'resolved' },
  'workorders.status.closed': { zh: '已关闭', en: 'closed' },
  'workorders.status.cancelled': { zh: '已取消', en: 'cancelled' },
};

/** Notifications and timeline notes. */
const notices: Messages = {
  'workorders.notify.new_title': { zh: '新工单 {number}', en: 'New work order {number}' },
  'workorders.notify.assigned': { zh: '工单 {number} 已指派给您', en: 'Work order {number} is assigned to you' },
  'workorders.notify.rated': { zh: '工单 {number} 获得 {rating} 星评价', en: 'Work order {number} was rated {rating}' },
  'workorders.notify.status': { zh: '您的报修 {number}：{status}', en: 'Your repair request {number}: {status}' },
  'workorders.notify.overdue': { zh: '工单 {number} 已超时', en: 'Work order {number} is overdue' },
  'workorders.notify.overdue_body': { zh: '{title}（{reason}）', en: '{title} ({reason})' },
  'workorders.overdue.respond': { zh: '超过响应时限未接单', en: 'not accepted within the response time' },
  'workorders.overdue.resolve': { zh: '超过解决时限未完成', en: 'not resolved within the resolution time' },
};

export const workordersMessages: Messages = { ...problems, ...notices };
