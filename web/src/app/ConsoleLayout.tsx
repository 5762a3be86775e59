import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Layout, Menu, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../shared/auth';
import { navItems, selectedKey } from './menu';
import { PlaceSwitcher } from './header/PlaceSwitcher';
import { LangSwitch } from './header/LangSwitch';
import { NotificationBell } from './header/NotificationBell';
import { UserMenu } from './header/UserMenu';

const { Sider, Header, Content } = Layout;

export function ConsoleLayout() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const nav = useNavigate();
  const loc = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const items = navItems.filter((i) => i.visible(me)).map((i) => ({ key: i.path, icon: i.icon, label: t(i.labelKey) }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} breakpoint="lg">
        <div className="console-logo">
          <span className="console-logo-mark" aria-hidden>
            邻
          </span>
          {!collapsed && <span>{t('app.name')}</span>}
        </div>
        <nav aria-label={t('nav.main')}>
          <Menu theme="dark" mode="inline" selectedKeys={[selectedKey(loc.pathname)]} items={items} onClick={(e) => nav(e.key)} />
        </nav>
      </Sider>
      <Layout>
        <Header className="console-header">
          <PlaceSwitcher />
          <div style={{ flex: 1 }} />
          <Space size="middle" align="center">
            <LangSwitch />
            <NotificationBell />
            <UserMenu me={me} />
          </Space>
        </Header>
        <Content className="console-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
