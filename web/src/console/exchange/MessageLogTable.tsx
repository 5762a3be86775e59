import { useState } from 'react';
import { Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { fmtTime } from '../../shared/format';

/** The exchange message log (an officer sees their organisation's requests). */
export function MessageLogTable({ agreementId }: { agreementId?: string }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const q = useQuery({
    queryKey: ['exchange', 'messages', agreementId, paging],
    queryFn: () => api.get('/api/v1/exchange/messages', { query: { ...paging, ...(agreementId ? { agreementId } : {}) } }),
    placeholderData: keepPreviousData,
  });
  return (
    <Table
      size="small"
      rowKey="seq"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={{
        current: paging.page,
        pageSize: paging.pageSize,
        total: q.data?.total ?? 0,
        onChange: (page, pageSize) => setPaging({ page, pageSize }),
      }}
      columns={[
        { title: '#', dataIndex: 'seq', width: 70 },
        { title: t('exchangeOut.log.at'), dataIndex: 'at', render: fmtTime, width: 180 },
        { title: t('exchangeOut.log.client'), render: (_, m) => (m.orgName ? `${m.orgName} · ${m.clientName ?? ''}` : t('exchangeOut.log.unknownCaller')) },
        { title: t('exchangeOut.log.agreement'), dataIndex: 'agreementTitle', render: (v) => v ?? '—' },
        { title: t('exchangeOut.log.operation'), dataIndex: 'operation', render: (v) => t(`exchangeOut.op.${v}`, { defaultValue: v }) },
        {
          title: t('exchangeOut.log.outcome'),
          render: (_, m) => (
            <Tag color={m.status < 400 ? 'green' : 'red'}>{m.status < 400 ? t('exchangeOut.log.ok') : t(m.outcome, { defaultValue: m.outcome })}</Tag>
          ),
        },
        { title: t('exchangeOut.log.records'), dataIndex: 'records', width: 80 },
        { title: t('exchangeOut.log.duration'), dataIndex: 'durationMs', width: 90, render: (v) => `${v} ms` },
        {
          title: t('exchangeOut.log.hash'),
          dataIndex: 'hash',
          render: (v: string, m) => (
            <Typography.Text code title={`${t('exchangeOut.log.requestHash')}: ${m.requestHash}`}>
              {v.slice(0, 12)}…
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
