import { Avatar, Button, Dropdown, Space } from 'antd';
import { DesktopOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../shared/auth';
import type { Me } from '../../shared/api/models';

export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const logout = useLogout();
  const roles = [...new Set(me.grants.map((g) => t(`role.${g.role}`)))].join(' / ');
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', label: <span style={{ color: '#888' }}>{roles || me.username}</span>, disabled: true },
          { type: 'divider' },
          { key: 'sessions', icon: <DesktopOutlined />, label: t('nav.sessions') },
          { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
        ],
        onClick: async ({ key }) => {
          if (key === 'sessions') nav('/sessions');
          if (key === 'logout') {
            await logout();
            nav('/login', { replace: true });
          }
        },
      }}
    >
      <Button type="text" aria-label={t('header.userMenu')}>
        <Space>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
          <span>{me.name}</span>
        </Space>
      </Button>
    </Dropdown>
  );
}
