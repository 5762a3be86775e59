import { useState } from 'react';
import { Card, Drawer, Table, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { fmtTime } from '../../shared/format';

/** 导入记录: the imports of a source, and for each its rejected rows with their reasons (masked). */
export function ImportsPanel({ sourceId }: { sourceId: string }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['exchange', 'imports', sourceId, paging],
    queryFn: () => api.get('/api/v1/exchange/imports', { query: { sourceId, ...paging } }),
    placeholderData: keepPreviousData,
  });
  const rejected = useQuery({
    queryKey: ['exchange', 'imports', open, 'rejected'],
    enabled: !!open,
    queryFn: () => api.get('/api/v1/exchange/imports/{id}/rejected', { path: { id: open! } }),
  });
  return (
    <Card title={t('exchangeIn.nav.imports')} style={{ marginTop: 16 }}>
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('exchangeIn.imports.at'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
          {
            title: t('exchangeIn.imports.via'),
            dataIndex: 'via',
            render: (v: string, r: { id: string; fileName: string | null }) => `${t(`exchangeIn.via.${v}`)} ${r.fileName ?? ''}`,
          },
          { title: t('exchangeIn.imports.profile'), dataIndex: 'profileVersion', render: (v: number) => `v${v}` },
          { title: t('exchangeIn.imports.total'), dataIndex: 'total' },
          { title: t('exchangeIn.status.linked'), dataIndex: 'linked', render: (v: number) => <Tag color="green">{v}</Tag> },
          { title: t('exchangeIn.status.review'), dataIndex: 'review', render: (v: number) => <Tag color="orange">{v}</Tag> },
          { title: t('exchangeIn.status.new'), dataIndex: 'newCount', render: (v: number) => <Tag color="blue">{v}</Tag> },
          {
            title: t('exchangeIn.status.rejected'),
            dataIndex: 'rejected',
            render: (v: number, r: { id: string; fileName: string | null }) => (v ? <a onClick={() => setOpen(r.id)}>{v}</a> : 0),
          },
        ]}
      />
      <Drawer open={!!open} width={720} title={t('exchangeIn.imports.rejectedRows')} onClose={() => setOpen(null)}>
        <Table
          rowKey="row"
          size="small"
          loading={rejected.isLoading}
          dataSource={rejected.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('exchangeIn.imports.row'), dataIndex: 'row', width: 70 },
            {
              title: t('exchangeIn.imports.reasons'),
              dataIndex: 'errors',
              render: (errors: { field: string; message?: string; code: string }[]) =>
                errors.map((e, i) => <div key={i}>{`${e.field}: ${e.message ?? e.code}`}</div>),
            },
            {
              title: t('exchangeIn.imports.cells'),
              dataIndex: 'cells',
              render: (cells: Record<string, string>) =>
                Object.entries(cells)
                  .filter(([, v]) => v)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(' · '),
            },
          ]}
        />
      </Drawer>
    </Card>
  );
}
