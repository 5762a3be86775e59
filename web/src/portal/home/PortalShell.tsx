import { NavBar } from 'antd-mobile';
import { HomeOutlined, ToolOutlined, UserOutlined } from '@ant-design/icons';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PortalFrame } from '../PortalProviders';
import { HomeTab } from './HomeTab';
import { MeTab } from '../me/MeTab';
import { RepairsTab } from '../repairs/RepairsTab';
import { ServicesTab } from '../services/ServicesTab';
import { ShopOutlined } from '@ant-design/icons';
import { TeamOutlined } from '@ant-design/icons';
import { ParticipationTab } from '../participation/ParticipationTab';
import { KeyOutlined } from '@ant-design/icons';
import AccessTab from '../access/AccessTab';
import BillsTab from '../bills/BillsTab';
import { AccountBookOutlined } from '@ant-design/icons';
import { SolutionOutlined } from '@ant-design/icons';
import { HeartOutlined } from '@ant-design/icons';
import HealthTab from '../health/HealthTab';
import { CouncilTab } from '../council/CouncilTab';

/** Resident portal: 首页, 报修 and 我的 behind a bottom TabBar. */
export default function PortalShell() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const loc = useLocation();
  const active = loc.pathname.startsWith('/portal/health')
    ? '/portal/health'
    : loc.pathname.startsWith('/portal/me')
      ? '/portal/me'
      : loc.pathname.startsWith('/portal/council')
        ? '/portal/council'
        : loc.pathname.startsWith('/portal/bills')
          ? '/portal/bills'
          : loc.pathname.startsWith('/portal/access')
            ? '/portal/access'
            : loc.pathname.startsWith('/portal/repairs')
              ? '/portal/repairs'
              : loc.pathname.startsWith('/portal/services')
                ? '/portal/services'
                : loc.pathname.startsWith('/portal/participation')
                  ? '/portal/participation'
                  : '/portal';
  const titles: Record<string, string> = {
    '/portal': t('portal.title'),
    '/portal/access': t('accessPortal.tab'),
    '/portal/repairs': t('portal.tabRepairs'),
    '/portal/services': t('svcPortal.tab'),
    '/portal/participation': t('participationPortal.title'),
    '/portal/me': t('portal.tabMe'),
  };
  titles['/portal/bills'] = t('billsPortal.tab');
  titles['/portal/council'] = t('councilPortal.title');
  titles['/portal/health'] = t('healthPortal.title');
  const tabs = [
    { key: '/portal', title: t('portal.tabHome'), icon: <HomeOutlined /> },
    { key: '/portal/access', title: t('accessPortal.tab'), icon: <KeyOutlined /> },
    { key: '/portal/repairs', title: t('portal.tabRepairs'), icon: <ToolOutlined /> },
    { key: '/portal/services', title: t('svcPortal.tab'), icon: <ShopOutlined /> },
    { key: '/portal/bills', title: t('billsPortal.tab'), icon: <AccountBookOutlined /> },
    { key: '/portal/participation', title: t('participationPortal.tab'), icon: <TeamOutlined /> },
    { key: '/portal/council', title: t('councilPortal.tab'), icon: <SolutionOutlined /> },
    { key: '/portal/health', title: t('healthPortal.tab'), icon: <HeartOutlined /> },
    { key: '/portal/me', title: t('portal.tabMe'), icon: <UserOutlined /> },
  ];
  return (
    <PortalFrame>
      <NavBar back={null}>{titles[active]}</NavBar>
      <main className="portal-body">
        <Routes>
          <Route index element={<HomeTab />} />
          <Route path="me" element={<MeTab />} />
          <Route path="access/*" element={<AccessTab />} />
          <Route path="repairs/*" element={<RepairsTab />} />
          <Route path="services/*" element={<ServicesTab />} />
          <Route path="bills/*" element={<BillsTab />} />
          <Route path="participation/*" element={<ParticipationTab />} />
          <Route path="council/*" element={<CouncilTab />} />
          <Route path="health/*" element={<HealthTab />} />
          <Route path="*" element={<HomeTab />} />
        </Routes>
      </main>
      <nav className="portal-tabbar" aria-label={t('nav.main')}>
        {/* A tab bar of real buttons (antd-mobile's TabBar items are not focusable). */}
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            className={`portal-tab${active === tab.key ? ' portal-tab-active' : ''}`}
            aria-current={active === tab.key ? 'page' : undefined}
            onClick={() => nav(tab.key)}
          >
            <span className="portal-tab-icon" aria-hidden>
              {tab.icon}
            </span>
            <span>{tab.title}</span>
          </button>
        ))}
      </nav>
    </PortalFrame>
  );
}
