import { Button, DotLoading, ErrorBlock, List, Tag } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { NewRepair } from './NewRepair';
import { RepairDetail } from './RepairDetail';
import { tagColor } from './tagColor';

function MyRepairs() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({
    queryKey: ['work-orders', 'mine-portal'],
    queryFn: () => api.get('/api/v1/work-orders', { query: { page: 1, pageSize: 50 } }),
    refetchInterval: 30_000,
  });
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Button block color="primary" size="large" onClick={() => nav('/portal/repairs/new')}>
          {t('repairs.new')}
        </Button>
      </div>
      {q.isLoading && (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <DotLoading />
        </div>
      )}
      {q.isError && <ErrorBlock status="default" title={errorMessage(q.error)} description="" />}
      {q.data && q.data.items.length === 0 && <ErrorBlock status="empty" title={t('repairs.none')} description={t('repairs.noneHint')} />}
      {q.data && q.data.items.length > 0 && (
        <List header={t('repairs.mine')} mode="card">
          {q.data.items.map((w) => (
            <List.Item
              key={w.id}
              onClick={() => nav(`/portal/repairs/${w.id}`)}
              description={`${w.categoryName ?? ''} · ${fmtTime(w.createdAt)}`}
              extra={<Tag color={tagColor[w.status] ?? 'default'}>{t(`woStatus.${w.status}`)}</Tag>}
              arrow
            >
              {w.title || w.description.slice(0, 30)}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/** 报修: my requests, a new request, one request's progress. */
export function RepairsTab() {
  return (
    <Routes>
      <Route index element={<MyRepairs />} />
      <Route path="new" element={<NewRepair />} />
      <Route path=":id" element={<RepairDetail />} />
    </Routes>
  );
}
