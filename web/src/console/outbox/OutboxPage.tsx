import { Alert, Button, Card, Table } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';

/** Text messages the platform would have sent; no SMS provider is configured, so nothing left. */
export default function OutboxPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['sms-outbox'], queryFn: () => api.get('/api/v1/admin/sms-outbox') });
  return (
    <>
      <PageHead
        title={t('nav.outbox')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Alert type="warning" showIcon banner message={t('outbox.banner')} style={{ marginBottom: 16 }} role="alert" />
      <Card>
        <Table
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('outbox.at'), dataIndex: 'createdAt', render: fmtTime, width: 200 },
            { title: t('outbox.to'), dataIndex: 'toPhoneMasked', render: (v) => <span className="masked">{v}</span>, width: 160 },
            { title: t('outbox.text'), dataIndex: 'text' },
          ]}
        />
      </Card>
    </>
  );
}
