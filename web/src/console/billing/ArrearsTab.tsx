import { Button, Card, Col, Row, Space, Statistic, Table } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl } from '../../shared/api';
import { yuan, type ArrearsAnswer } from './api';

const BUCKETS = ['0-30', '31-90', '91-180', '180+'] as const;

export function ArrearsTab({ communityId, canExport }: { communityId: string; canExport: boolean }) {
  const { t } = useTranslation();
  const a = useQuery({
    queryKey: ['billing', 'arrears', communityId],
    queryFn: () => api.get('/api/v1/billing/arrears', { query: { communityId } }),
    refetchInterval: 15_000,
  });
  const c = useQuery({ queryKey: ['billing', 'collection', communityId], queryFn: () => api.get('/api/v1/billing/collection', { query: { communityId } }) });
  const bar = (rows: { label: string; ratePercent: number }[]) => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    grid: { left: 48, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ type: 'bar', name: t('billing.arrears.rate'), data: rows.map((r) => r.ratePercent), label: { show: true, position: 'top', formatter: '{c}%' } }],
  });
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={4}>
          <Statistic title={t('billing.arrears.total')} value={yuan(a.data?.totals.totalFen ?? 0)} />
        </Col>
        {BUCKETS.map((b) => (
          <Col span={4} key={b}>
            <Statistic title={t(`billing.bucket.${b}`)} value={yuan(a.data?.totals[b] ?? 0)} />
          </Col>
        ))}
        <Col span={4}>
          {canExport && <Button href={downloadUrl('/api/v1/billing/arrears/export.xlsx', { query: { communityId } })}>{t('billing.arrears.export')}</Button>}
        </Col>
      </Row>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={12}>
          <Card size="small" title={t('billing.arrears.byEstate')}>
            {c.data && <ReactECharts style={{ height: 240 }} option={bar(c.data.byEstate.map((r) => ({ label: r.estateName, ratePercent: r.ratePercent })))} />}
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('billing.arrears.byMonth')}>
            {c.data && <ReactECharts style={{ height: 240 }} option={bar(c.data.byMonth.map((r) => ({ label: r.month, ratePercent: r.ratePercent })))} />}
          </Card>
        </Col>
      </Row>
      <Space style={{ marginBottom: 8 }}>
        <span className="muted">{t('billing.arrears.asOf', { date: a.data?.today ?? '' })}</span>
      </Space>
      <Table
        rowKey="houseId"
        size="small"
        loading={a.isLoading}
        dataSource={a.data?.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('billing.bill.house'), dataIndex: 'houseName' },
          { title: t('billing.arrears.bills'), dataIndex: 'bills' },
          { title: t('billing.arrears.owed'), render: (_, r) => yuan(r.totalFen), sorter: (x, y) => x.totalFen - y.totalFen },
          ...BUCKETS.map((b) => ({
            title: t(`billing.bucket.${b}`),
            render: (_: unknown, r: ArrearsAnswer['items'][number]) => (r.buckets[b] ? yuan(r.buckets[b]) : '—'),
          })),
          { title: t('billing.arrears.oldest'), dataIndex: 'oldestDueDate' },
        ]}
      />
    </>
  );
}
