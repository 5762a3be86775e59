import { App, Button, Card, Popconfirm, Table, Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { useLogout } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import type { SessionRow } from '../../shared/api/models';

export default function SessionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const nav = useNavigate();
  const logout = useLogout();
  const q = useQuery({ queryKey: ['sessions'], queryFn: () => api.get('/api/v1/auth/sessions') });

  const end = async (s: SessionRow) => {
    try {
      await api.del('/api/v1/auth/sessions/{id}', { path: { id: s.id } });
      if (s.current) {
        await logout();
        nav('/login', { replace: true });
        return;
      }
      message.success(t('sessions.ended'));
      void qc.invalidateQueries({ queryKey: ['sessions'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHead title={t('nav.sessions')} />
      <Card>
        <Table<SessionRow>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          pagination={false}
          columns={[
            {
              title: t('sessions.device'),
              dataIndex: 'userAgent',
              ellipsis: true,
              render: (v, s) => (
                <>
                  {v || '—'} {s.current && <Tag color="green">{t('sessions.current')}</Tag>}
                </>
              ),
            },
            { title: 'IP', dataIndex: 'ip' },
            { title: t('sessions.createdAt'), dataIndex: 'createdAt', render: fmtTime },
            { title: t('sessions.lastSeenAt'), dataIndex: 'lastSeenAt', render: fmtTime },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_, s) => (
                <Popconfirm
                  title={s.current ? t('sessions.endCurrentConfirm') : t('sessions.endConfirm')}
                  onConfirm={() => end(s)}
                  okText={t('sessions.end')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger>
                    {t('sessions.end')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
