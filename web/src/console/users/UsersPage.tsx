import { useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Space, Table, Tag } from 'antd';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import type { Grant, UserRow } from '../../shared/api/models';
import { AddGrantModal, CreateUserModal } from './UserModals';

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe().data!;
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserRow | null>(null);
  const manage = can(me, 'manage', 'User');
  const { filters, setFilters, tableProps } = useListPage({
    filters: { q: 'text' },
    queryKey: ['users'],
    fetch: (q) => api.get('/api/v1/users', { query: q }),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });

  const removeGrant = async (u: UserRow, g: Grant) => {
    try {
      await api.del('/api/v1/users/{id}/grants/{grantId}', { path: { id: u.id, grantId: g.id } });
      message.success(t('users.grantRemoved'));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHead
        title={t('nav.users')}
        extra={
          manage && (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>
              {t('users.create')}
            </Button>
          )
        }
      />
      <Card>
        <Input.Search
          aria-label={t('users.search')}
          placeholder={t('users.search')}
          allowClear
          enterButton={t('common.search')}
          style={{ maxWidth: 360, marginBottom: 16 }}
          key={filters.q ?? ''}
          defaultValue={filters.q}
          onSearch={(v) => setFilters({ q: v })}
        />
        <Table<UserRow>
          {...tableProps}
          columns={[
            { title: t('auth.username'), dataIndex: 'username' },
            { title: t('users.displayName'), dataIndex: 'displayName' },
            { title: t('users.kind'), dataIndex: 'kind', render: (v) => t(`users.kind_${v}`, { defaultValue: v }) },
            {
              title: t('users.status'),
              dataIndex: 'disabled',
              render: (v) => (v ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.enabled')}</Tag>),
            },
            {
              title: t('users.grants'),
              dataIndex: 'grants',
              render: (gs: Grant[], u) => (
                <Space size={[4, 4]} wrap>
                  {gs.map((g) =>
                    manage ? (
                      <Popconfirm
                        key={g.id}
                        title={t('users.removeGrantConfirm')}
                        onConfirm={() => removeGrant(u, g)}
                        okText={t('common.remove')}
                        cancelText={t('common.cancel')}
                      >
                        <Tag
                          color="blue"
                          closable
                          onClose={(e) => e.preventDefault()}
                          style={{ cursor: 'pointer' }}
                          closeIcon={<span aria-label={t('users.removeGrant')}>×</span>}
                        >
                          {t(`role.${g.role}`)} · {g.placeName ?? t('dashboard.wholePlatform')}
                        </Tag>
                      </Popconfirm>
                    ) : (
                      <Tag key={g.id} color="blue">
                        {t(`role.${g.role}`)} · {g.placeName ?? t('dashboard.wholePlatform')}
                      </Tag>
                    ),
                  )}
                  {manage && (
                    <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setGranting(u)}>
                      {t('users.addGrant')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          refresh();
        }}
      />
      <AddGrantModal
        user={granting}
        onClose={() => setGranting(null)}
        onDone={() => {
          setGranting(null);
          refresh();
        }}
      />
    </>
  );
}
