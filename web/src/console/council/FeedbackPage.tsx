import { useState } from 'react';
import { App, Button, Drawer, Input, Select, Space, Table, Tabs, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, downloadUrl } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import type { FeedbackRow } from './api';

const statusColor: Record<string, string> = { submitted: 'blue', answered: 'green', work_order: 'cyan', proposal: 'purple' };

function Triage({ f, onClose }: { f: FeedbackRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [woCategory, setWoCategory] = useState<string>('other');
  const cats = useQuery({
    queryKey: ['wo-categories'],
    queryFn: () => api.get('/api/v1/work-order-categories'),
    enabled: !!f,
  });
  const act = useMutation({
    mutationFn: (kind: 'answer' | 'work-order' | 'proposal') =>
      kind === 'answer'
        ? api.post('/api/v1/council/feedback/{id}/answer', { path: { id: f!.id }, body: { answer } })
        : kind === 'work-order'
          ? api.post('/api/v1/council/feedback/{id}/work-order', { path: { id: f!.id }, body: { category: woCategory, ...(answer ? { answer } : {}) } })
          : api.post('/api/v1/council/feedback/{id}/proposal', { path: { id: f!.id }, body: answer ? { answer } : {} }),
    onSuccess: () => {
      message.success(t('common.saved'));
      setAnswer('');
      qc.invalidateQueries({ queryKey: ['council', 'feedback'] });
      onClose();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Drawer open={!!f} onClose={onClose} width={560} title={f && t(`council.feedbackCategory.${f.category}`)}>
      {f && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>
            {f.residentName} · {fmtTime(f.createdAt)} {f.overdue && <Tag color="red">{t('council.feedback.overdue')}</Tag>}
          </div>
          <div style={{ whiteSpace: 'pre-wrap' }}>{f.text}</div>
          <Space wrap>
            {f.photoIds.map((p) => (
              <img
                key={p}
                src={downloadUrl('/api/v1/council/feedback/photos/{fileId}', { path: { fileId: p } })}
                alt=""
                style={{ height: 96, borderRadius: 4 }}
              />
            ))}
          </Space>
          {f.answer && (
            <div>
              <strong>{t('council.feedback.answer')}：</strong>
              {f.answer}
            </div>
          )}
          {f.rating != null && (
            <div>
              {t('council.feedback.rating')}：{'★'.repeat(f.rating)} {f.ratingComment}
            </div>
          )}
          {f.allowedActions.includes('answer') && (
            <>
              <Input.TextArea
                rows={3}
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
                placeholder={t('council.feedback.answerHint')}
                aria-label={t('council.feedback.answer')}
              />
              <Space wrap>
                <Button type="primary" disabled={!answer.trim()} onClick={() => act.mutate('answer')}>
                  {t('council.feedback.doAnswer')}
                </Button>
                <Select
                  style={{ width: 140 }}
                  value={woCategory}
                  onChange={setWoCategory}
                  options={(cats.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
                />
                <Button onClick={() => act.mutate('work-order')}>{t('council.feedback.toWorkOrder')}</Button>
                <Button onClick={() => act.mutate('proposal')}>{t('council.feedback.toProposal')}</Button>
              </Space>
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function Stats() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['council', 'feedback', 'stats'],
    queryFn: () => api.get('/api/v1/council/feedback-stats'),
  });
  return (
    <Table
      rowKey={(r) => r.month + r.category}
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t('council.stats.month'), dataIndex: 'month' },
        { title: t('council.stats.category'), dataIndex: 'category', render: (c) => t(`council.feedbackCategory.${c}`) },
        { title: t('council.stats.total'), dataIndex: 'total' },
        { title: t('council.stats.handled'), dataIndex: 'handled' },
        { title: t('council.stats.accepted'), dataIndex: 'accepted' },
        { title: t('council.stats.overdue'), dataIndex: 'overdue' },
        { title: t('council.stats.rating'), dataIndex: 'averageRatingTenths', render: (v) => (v == null ? '—' : (v / 10).toFixed(1)) },
      ]}
    />
  );
}

export default function FeedbackPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<FeedbackRow | null>(null);
  // no status in the URL: the feedback still to answer; 'all' clears the filter
  const { filters, setFilters, tableProps } = useListPage({
    filters: { status: 'text' },
    queryKey: ['council', 'feedback'],
    fetch: ({ status, ...q }) => api.get('/api/v1/council/feedback', { query: { ...q, status: status === 'all' ? undefined : (status ?? 'submitted') } }),
  });
  const status = filters.status === 'all' ? undefined : (filters.status ?? 'submitted');
  return (
    <>
      <PageHead title={t('council.nav.feedback')} />
      <Tabs
        items={[
          {
            key: 'list',
            label: t('council.feedback.triage'),
            children: (
              <>
                <Select
                  allowClear
                  style={{ width: 200, marginBottom: 12 }}
                  value={status}
                  onChange={(v) => setFilters({ status: v ?? 'all' })}
                  placeholder={t('council.col.status')}
                  options={Object.keys(statusColor).map((s) => ({ value: s, label: t(`council.feedbackStatus.${s}`) }))}
                />
                <Table<FeedbackRow>
                  {...tableProps}
                  onRow={(f) => ({ onClick: () => setOpen(f), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('council.stats.category'), dataIndex: 'category', render: (c) => t(`council.feedbackCategory.${c}`) },
                    { title: t('council.feedback.text'), dataIndex: 'text', ellipsis: true },
                    { title: t('council.feedback.resident'), dataIndex: 'residentName' },
                    {
                      title: t('council.col.status'),
                      dataIndex: 'status',
                      render: (s, f) => (
                        <Space>
                          <Tag color={statusColor[s]}>{t(`council.feedbackStatus.${s}`)}</Tag>
                          {f.overdue && <Tag color="red">{t('council.feedback.overdue')}</Tag>}
                        </Space>
                      ),
                    },
                    { title: t('council.feedback.respondBy'), dataIndex: 'respondBy', render: fmtTime },
                  ]}
                />
              </>
            ),
          },
          { key: 'stats', label: t('council.stats.heading'), children: <Stats /> },
        ]}
      />
      <Triage f={open} onClose={() => setOpen(null)} />
    </>
  );
}
