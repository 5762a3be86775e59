import { Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { detailText, fmtTime } from '../../shared/format';
import type { AccessEntry } from '../../shared/api/models';

/** 谁查看过: who looked at or revealed this resident's data. */
export function AccessLogTable({ residentId }: { residentId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['residents', 'access', residentId],
    queryFn: () => api.get('/api/v1/residents/{id}/access-log', { path: { id: residentId } }),
  });
  return (
    <Table<AccessEntry>
      size="small"
      rowKey={(r, i) => `${r.at}-${i}`}
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('access.at'), dataIndex: 'at', render: fmtTime, width: 200 },
        { title: t('access.actor'), dataIndex: 'actorName' },
        { title: t('access.action'), dataIndex: 'action', render: (v) => t(`auditAction.${v}`, { defaultValue: v }) },
        { title: t('access.detail'), dataIndex: 'detail', render: detailText },
      ]}
    />
  );
}
