import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  ControlOutlined,
  HddOutlined,
  MessageOutlined,
  MobileOutlined,
  TeamOutlined,
  ToolOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { SafetyOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { CalendarOutlined, FormOutlined, NotificationOutlined, TrophyOutlined } from '@ant-design/icons';
import { can, isPlatformAdmin } from '../shared/auth';
import { isTechnician } from '../console/workorders/roles';
import { isServiceProvider } from '../console/services/roles';
import { CoffeeOutlined, ShopOutlined } from '@ant-design/icons';
import { EyeOutlined, KeyOutlined } from '@ant-design/icons';
import { AccountBookOutlined } from '@ant-design/icons';
import type { Me } from '../shared/api/models';
import { BankOutlined, BulbOutlined, CommentOutlined, ScheduleOutlined } from '@ant-design/icons';
import { HeartOutlined } from '@ant-design/icons';
import { DatabaseOutlined, DiffOutlined, LineChartOutlined } from '@ant-design/icons';
import { ApiOutlined, AuditOutlined as ApprovalOutlined, FileProtectOutlined, SwapOutlined } from '@ant-design/icons';

export interface NavItem {
  path: string;
  labelKey: string;
  icon: ReactNode;
  visible: (me: Me) => boolean;
}

/** The console's navigation, each entry shown only when the user's permissions allow it. */
export const navItems: NavItem[] = [
  { path: '/', labelKey: 'nav.dashboard', icon: <DashboardOutlined />, visible: () => true },
  { path: '/places', labelKey: 'nav.places', icon: <ApartmentOutlined />, visible: (me) => can(me, 'read', 'Place') },
  { path: '/devices', labelKey: 'nav.devices', icon: <HddOutlined />, visible: (me) => can(me, 'read', 'Device') },
  { path: '/alarms', labelKey: 'nav.alarms', icon: <AlertOutlined />, visible: (me) => can(me, 'read', 'Alarm') },
  { path: '/health', labelKey: 'nav.health', icon: <HeartOutlined />, visible: (me) => can(me, 'read', 'HealthPatient') },
  { path: '/alarm-rules', labelKey: 'nav.alarmRules', icon: <ControlOutlined />, visible: (me) => can(me, 'read', 'AlarmRule') },
  { path: '/workorders', labelKey: 'nav.workorders', icon: <ToolOutlined />, visible: (me) => can(me, 'read', 'WorkOrder') },
  { path: '/billing', labelKey: 'billing.nav', icon: <AccountBookOutlined />, visible: (me) => can(me, 'read', 'Bill') || can(me, 'read', 'Arrears') },
  { path: '/services', labelKey: 'services.nav', icon: <ShopOutlined />, visible: (me) => can(me, 'read', 'ServiceProvider') },
  { path: '/provider', labelKey: 'services.navWorkspace', icon: <CoffeeOutlined />, visible: (me) => isServiceProvider(me) },
  { path: '/incidents', labelKey: 'incidents.nav.incidents', icon: <SafetyOutlined />, visible: (me) => can(me, 'read', 'Incident') },
  { path: '/cameras', labelKey: 'incidents.nav.cameras', icon: <VideoCameraOutlined />, visible: (me) => can(me, 'read', 'Camera') },
  { path: '/access', labelKey: 'doors.nav.access', icon: <KeyOutlined />, visible: (me) => can(me, 'read', 'AccessPoint') },
  { path: '/guard', labelKey: 'doors.nav.guard', icon: <EyeOutlined />, visible: (me) => can(me, 'read', 'AccessLog') && can(me, 'create', 'VisitorPass') },
  { path: '/tech', labelKey: 'nav.tech', icon: <MobileOutlined />, visible: (me) => isTechnician(me) },
  { path: '/residents', labelKey: 'nav.residents', icon: <TeamOutlined />, visible: (me) => can(me, 'read', 'Resident') },
  {
    path: '/imports',
    labelKey: 'nav.imports',
    icon: <CloudUploadOutlined />,
    visible: (me) => can(me, 'import', 'Resident'),
  },
  {
    path: '/users',
    labelKey: 'nav.users',
    icon: <UserSwitchOutlined />,
    visible: (me) => can(me, 'manage', 'User') || can(me, 'read', 'User'),
  },
  { path: '/participation/notices', labelKey: 'participation.nav.notices', icon: <NotificationOutlined />, visible: (me) => can(me, 'create', 'Notice') },
  { path: '/participation/surveys', labelKey: 'participation.nav.surveys', icon: <FormOutlined />, visible: (me) => can(me, 'create', 'Survey') },
  { path: '/participation/events', labelKey: 'participation.nav.events', icon: <CalendarOutlined />, visible: (me) => can(me, 'create', 'Event') },
  { path: '/participation/points', labelKey: 'participation.nav.points', icon: <TrophyOutlined />, visible: (me) => can(me, 'adjust', 'Points') },
  {
    path: '/council/votes',
    labelKey: 'council.nav.votes',
    icon: <BankOutlined />,
    visible: (me) => can(me, 'create', 'CouncilVote') || can(me, 'read', 'CouncilVote'),
  },
  { path: '/council/proposals', labelKey: 'council.nav.proposals', icon: <BulbOutlined />, visible: (me) => can(me, 'read', 'Proposal') },
  { path: '/council/meetings', labelKey: 'council.nav.meetings', icon: <ScheduleOutlined />, visible: (me) => can(me, 'read', 'CouncilMeeting') },
  { path: '/council/feedback', labelKey: 'council.nav.feedback', icon: <CommentOutlined />, visible: (me) => can(me, 'read', 'Feedback') },
  { path: '/exchange/sources', labelKey: 'exchangeIn.nav.sources', icon: <DatabaseOutlined />, visible: (me) => can(me, 'read', 'ExchangeSource') },
  { path: '/exchange/reviews', labelKey: 'exchangeIn.nav.reviews', icon: <DiffOutlined />, visible: (me) => can(me, 'read', 'MatchReview') },
  { path: '/exchange/quality', labelKey: 'exchangeIn.nav.quality', icon: <LineChartOutlined />, visible: (me) => can(me, 'read', 'ExchangeSource') },
  { path: '/exchange/agreements', labelKey: 'exchangeOut.nav.agreements', icon: <FileProtectOutlined />, visible: (me) => can(me, 'draft', 'Agreement') },
  { path: '/exchange/approvals', labelKey: 'exchangeOut.nav.approvals', icon: <ApprovalOutlined />, visible: (me) => can(me, 'approve', 'Agreement') },
  { path: '/exchange/messages', labelKey: 'exchangeOut.nav.messages', icon: <SwapOutlined />, visible: (me) => can(me, 'read', 'ExchangeLog') },
  { path: '/exchange/clients', labelKey: 'exchangeOut.nav.clients', icon: <ApiOutlined />, visible: (me) => can(me, 'read', 'ExchangeClient') },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, visible: (me) => can(me, 'read', 'AuditLog') },
  { path: '/outbox', labelKey: 'nav.outbox', icon: <MessageOutlined />, visible: (me) => isPlatformAdmin(me) },
];

/** The menu key that matches the current location (longest prefix wins). */
export function selectedKey(pathname: string): string {
  let best = '/';
  for (const item of navItems) {
    if (item.path !== '/' && (pathname === item.path || pathname.startsWith(item.path + '/')) && item.path.length > best.length) {
      best = item.path;
    }
  }
  if (pathname.startsWith('/houses/')) return '/places';
  return best;
}
