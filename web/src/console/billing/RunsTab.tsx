import { useState } from 'react';
import { Button, Input, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useBillingAction, yuan, type Run } from './api';

const lastMonth = () => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return d.toISOString().slice(0, 7);
};

export function RunsTab({ communityId, onShowBills }: { communityId: string; onShowBills: (runId: string) => void }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(lastMonth());
  const q = useQuery({ queryKey: ['billing', 'runs', communityId], queryFn: () => api.get('/api/v1/billing/runs', { query: { communityId } }) });
  const preview = useBillingAction(() => api.post('/api/v1/billing/runs', { body: { communityId, period } }));
  const step = useBillingAction((a: { id: string; step: 'approve' | 'publish' }) =>
    a.step === 'approve'
      ? api.post('/api/v1/billing/runs/{id}/approve', { path: { id: a.id } })
      : api.post('/api/v1/billing/runs/{id}/publish', { path: { id: a.id } }),
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Input value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 110 }} aria-label={t('billing.run.period')} />
        <Button type="primary" loading={preview.isPending} onClick={() => preview.mutate(undefined)} disabled={!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)}>
          {t('billing.run.preview')}
        </Button>
        <span className="muted">{t('billing.run.hint')}</span>
      </Space>
      <Table<Run>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={false}
        columns={[
          { title: t('billing.run.period'), dataIndex: 'period' },
          {
            title: t('billing.run.status'),
            render: (_, r) => (
              <Tag color={r.status === 'published' ? 'green' : r.status === 'approved' ? 'blue' : 'default'}>{t(`billing.runStatus.${r.status}`)}</Tag>
            ),
          },
          { title: t('billing.run.bills'), render: (_, r) => <a onClick={() => onShowBills(r.id)}>{r.billCount}</a> },
          { title: t('billing.run.total'), render: (_, r) => yuan(r.totalFen) },
          {
            title: t('billing.run.skipped'),
            render: (_, r) =>
              r.skipped.length ? (
                <Tooltip title={[...new Set(r.skipped.map((s) => t(`billing.skip.${s.reason}`, { defaultValue: s.reason })))].join('、')}>
                  {r.skipped.length}
                </Tooltip>
              ) : (
                0
              ),
          },
          { title: t('billing.run.publishedAt'), render: (_, r) => fmtTime(r.publishedAt) },
          {
            title: '',
            render: (_, r) => (
              <Space>
                {r.status === 'preview' && (
                  <Button size="small" onClick={() => preview.mutate(undefined)} disabled={r.period !== period}>
                    {t('billing.run.recompute')}
                  </Button>
                )}
                {r.status === 'preview' && (
                  <Button size="small" onClick={() => step.mutate({ id: r.id, step: 'approve' })}>
                    {t('billing.run.approve')}
                  </Button>
                )}
                {r.status === 'approved' && (
                  <Popconfirm title={t('billing.run.publishConfirm', { count: r.billCount })} onConfirm={() => step.mutate({ id: r.id, step: 'publish' })}>
                    <Button size="small" type="primary">
                      {t('billing.run.publish')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
