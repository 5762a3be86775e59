import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import type { CheckpointRow } from '../../shared/api/models';

/** Signed checkpoints of the audit log (government supervisor, platform admin). */
export default function CheckpointsCard() {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const list = useQuery({
    queryKey: ['audit', 'checkpoints', paging],
    queryFn: () => api.get('/api/v1/audit/checkpoints', { query: paging }),
    placeholderData: keepPreviousData,
  });
  const d = list.data;
  const last = d?.page === 1 ? d.items[0] : undefined;
  const unanchored = d && last ? Math.max(0, d.head - last.seq) : 0;

  return (
    <Card
      title={t('audit.checkpoints.title')}
      style={{ marginTop: 16 }}
      extra={
        <Button icon={<DownloadOutlined />} href={downloadUrl('/api/v1/audit/checkpoints/export')} download>
          {t('audit.checkpoints.export')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('audit.checkpoints.intro')}</Typography.Paragraph>
      {list.isError && (
        <div role="alert" style={{ color: '#cf1322' }}>
          {errorMessage(list.error)}
        </div>
      )}
      {d && (
        <Space wrap style={{ marginBottom: 12 }}>
          {d.keys.map((k) => (
            <Tag key={k.keyId} color={k.active ? 'green' : undefined}>
              {t('audit.checkpoints.key')} {k.keyId} · {k.active ? t('audit.checkpoints.keyActive') : t('audit.checkpoints.keyRetired')}
            </Tag>
          ))}
        </Space>
      )}
      {unanchored > 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('audit.checkpoints.unanchored', { count: unanchored })} />}
      <Table<CheckpointRow>
        rowKey="seq"
        size="small"
        loading={list.isFetching}
        dataSource={d?.items ?? []}
        scroll={{ x: 800 }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: d?.total ?? 0,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('audit.checkpoints.seq'), dataIndex: 'seq', width: 120 },
          {
            title: t('audit.checkpoints.headHash'),
            dataIndex: 'headHash',
            render: (v: string) => (
              <Typography.Text code copyable={{ text: v }}>
                {v.slice(0, 16)}…
              </Typography.Text>
            ),
          },
          { title: t('audit.at'), dataIndex: 'at', render: fmtTime, width: 180 },
          { title: t('audit.checkpoints.keyId'), dataIndex: 'keyId', width: 180, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        ]}
      />
    </Card>
  );
}
