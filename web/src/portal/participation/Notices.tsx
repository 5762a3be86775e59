import { useEffect } from 'react';
import { DotLoading, ErrorBlock, List, Tag } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';

export const Loading = () => (
  <div style={{ padding: 24, textAlign: 'center' }}>
    <DotLoading />
  </div>
);

export function NoticeList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'notices'], queryFn: () => api.get('/api/v1/notices', { query: { page: 1, pageSize: 50 } }) });
  if (q.isLoading) return <Loading />;
  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  if (!q.data?.items.length) return <ErrorBlock status="empty" title={t('participationPortal.noNotices')} description="" />;
  return (
    <List mode="card" header={t('participationPortal.notices')}>
      {q.data.items.map((n) => (
        <List.Item
          key={n.id}
          arrow
          onClick={() => nav(`/portal/participation/notices/${n.id}`)}
          description={fmtTime(n.publishedAt)}
          extra={!n.read ? <Tag color="danger">{t('participationPortal.unread')}</Tag> : null}
          prefix={n.pinned ? <Tag color="warning">{t('participationPortal.pinned')}</Tag> : null}
        >
          {n.title}
        </List.Item>
      ))}
    </List>
  );
}

/** A notice; opening it sends the read receipt. */
export function NoticeDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['portal', 'notice', id], queryFn: () => api.get('/api/v1/notices/{id}', { path: { id } }) });
  useEffect(() => {
    if (q.data && !q.data.read)
      void api.post('/api/v1/notices/{id}/read', { path: { id } }).then(() => qc.invalidateQueries({ queryKey: ['portal', 'notices'] }));
  }, [q.data, id, qc]);
  if (q.isLoading) return <Loading />;
  if (q.isError || !q.data) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  const n = q.data;
  return (
    <article style={{ padding: 16 }}>
      <h2 style={{ margin: '0 0 4px' }}>{n.title}</h2>
      <div style={{ color: '#888', marginBottom: 12 }}>{fmtTime(n.publishedAt)}</div>
      {/* the server sanitised this HTML when the notice was saved */}
      <div className="notice-body" dangerouslySetInnerHTML={{ __html: n.bodyHtml }} />
      {n.attachments.length > 0 && (
        <List header={t('participationPortal.attachments')}>
          {n.attachments.map((a) => (
            <List.Item key={a.id}>
              {a.mime.startsWith('image/') ? <img src={a.url} alt={a.name} style={{ maxWidth: '100%' }} /> : <a href={a.url}>{a.name}</a>}
            </List.Item>
          ))}
        </List>
      )}
    </article>
  );
}
