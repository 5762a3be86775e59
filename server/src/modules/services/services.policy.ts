import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what in the household-services marketplace.
//   ServiceProvider: providers, their services, hours and members; community staff and property
//     managers register and manage them in their scope; supervisors read.
//   ServiceBooking: staff and supervisors read bookings in scope; residents book, read, cancel and
//     rate their own ('self').
//   ServiceCatalog: what a resident can book at their house.
//   ProviderBooking: the provider workspace. The role alone is not enough: the service also
//     requires the user to be a member of the booking's provider (svc_provider_members), so
//     provider staff see only their own provider's bookings; anything else is 404.
//   ProviderService: provider staff set the weekly hours of their own provider's services.
export const servicesPermissions: PermissionTable = {
  community_staff: [
    ['read', 'ServiceProvider'],
    ['create', 'ServiceProvider'],
    ['update', 'ServiceProvider'],
    ['read', 'ServiceBooking'],
  ],
  property_manager: [
    ['read', 'ServiceProvider'],
    ['create', 'ServiceProvider'],
    ['update', 'ServiceProvider'],
    ['read', 'ServiceBooking'],
  ],
  gov_supervisor: [
    ['read', 'ServiceProvider'],
    ['read', 'ServiceBooking'],
  ],
  service_provider: [
    ['read', 'ProviderBooking'],
    ['confirm', 'ProviderBooking'],
    ['decline', 'ProviderBooking'],
    ['done', 'ProviderBooking'],
    ['cancel', 'ProviderBooking'],
    ['hours', 'ProviderService'],
  ],
  resident: [
    ['read', 'ServiceCatalog', 'self'],
    ['book', 'ServiceBooking', 'self'],
    ['read', 'ServiceBooking', 'self'],
    ['cancel', 'ServiceBooking', 'self'],
    ['rate', 'ServiceBooking', 'self'],
    ['pay', 'ServiceBooking', 'self'],
  ],
};

/** The services catalog: problem titles and notifications (zh-CN, en). */
export const servicesMessages: Messages = {
  'services.provider_not_found': { zh: '找不到该服务商', en: 'No such service provider' },
  'services.service_not_found': { zh: '找不到该服务', en: 'No such service' },
  'services.booking_not_found': { zh: '找不到该预约', en: 'No such booking' },
  'services.bad_community': { zh: '找不到该社区', en: 'No such community' },
  'services.bad_area': { zh: '服务区域必须是本社区内的社区或小区', en: 'A service area must be the community or an estate of it' },
  'services.bad_hours': { zh: '营业时间无效（结束须晚于开始，且同一天不能重叠）', en: 'Invalid hours (end after start, no overlaps on a day)' },
  'services.not_member_candidate': { zh: '该账号没有本社区的服务商角色', en: 'This account has no service-provider role in this community' },
  'services.already_member': { zh: '该账号已属于某个服务商', en: 'This account already works for a provider' },
  'services.not_provider_member': { zh: '您的账号尚未关联服务商', en: 'Your account is not linked to a service provider' },
  'services.not_your_house': { zh: '只能为自己居住的房屋预约', en: 'You can book only for a house you live in' },
  'services.not_served': { zh: '该服务不覆盖您的房屋', en: 'This service is not offered at your house' },
  'services.service_inactive': { zh: '该服务已停止预约', en: 'This service is not bookable now' },
  'services.bad_slot': { zh: '该时段不可预约', en: 'This time slot is not offered' },
  'services.slot_full': { zh: '该时段已约满，请选择其他时段', en: 'This time slot is fully booked; pick another' },
  'services.illegal_transition': { zh: '预约当前状态（{from}）不能执行“{action}”', en: 'Cannot {action} a booking that is {from}' },
  'services.version_conflict': { zh: '预约已被他人修改，请刷新后重试', en: 'The booking has changed meanwhile; reload and retry' },
  'services.already_rated': { zh: '该预约已评价', en: 'This booking has already been rated' },
  'services.not_ratable': { zh: '付款后才能评价', en: 'A booking can be rated once it is paid' },
  'services.not_payable': { zh: '服务完成后才能付款', en: 'A booking can be paid once the service is done' },
  'services.billing_unavailable': { zh: '缴费功能暂不可用', en: 'Payment is not available yet' },
  'services.status.requested': { zh: '待确认', en: 'requested' },
  'services.status.confirmed': { zh: '已确认', en: 'confirmed' },
  'services.status.declined': { zh: '已拒绝', en: 'declined' },
  'services.status.done': { zh: '已完成待付款', en: 'done' },
  'services.status.paid': { zh: '已付款', en: 'paid' },
  'services.status.rated': { zh: '已评价', en: 'rated' },
  'services.status.cancelled': { zh: '已取消', en: 'cancelled' },
  'services.notify.requested': { zh: '新预约 {number}：{service}', en: 'New booking {number}: {service}' },
  'services.notify.status': { zh: '您的预约 {number}（{service}）：{status}', en: 'Your booking {number} ({service}): {status}' },
  'services.notify.cancelled': { zh: '预约 {number}（{service}）已被居民取消', en: 'Booking {number} ({service}) was cancelled by the resident' },
  'services.notify.rated': { zh: '预约 {number} 获得 {rating} 星评价', en: 'Booking {number} was rated {rating}' },
  'services.notify.paid': { zh: '预约 {number} 已付款', en: 'Booking {number} is paid' },
};
