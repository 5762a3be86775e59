import { useState } from 'react';
import { App, Button, Drawer, Form, Input, List, Select, Space, Table, Tabs, Tag, Timeline } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody, downloadUrl } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { answerStatuses, proposalColor, type Comment, type PendingComment, type ProposalRow } from './api';

function ProposalDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const q = useQuery({ queryKey: ['council', 'proposal', id], queryFn: () => api.get('/api/v1/council/proposals/{id}', { path: { id } }), enabled: !!id });
  const refresh = () => qc.invalidateQueries({ queryKey: ['council'] });
  const answer = useMutation({
    mutationFn: (v: ApiBody<'/api/v1/council/proposals/{id}/status'>) => api.post('/api/v1/council/proposals/{id}/status', { path: { id }, body: v }),
    onSuccess: () => {
      message.success(t('common.saved'));
      form.resetFields();
      refresh();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  const review = useMutation({
    mutationFn: ({ c, decision }: { c: string; decision: 'keep' | 'remove' }) =>
      api.post('/api/v1/council/comments/{id}/review', { path: { id: c }, body: { decision } }),
    onSuccess: refresh,
    onError: (e) => message.error(errorMessage(e)),
  });
  const p = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={680} title={p?.title}>
      {p && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Space wrap>
            <Tag color={proposalColor[p.status]}>{t(`council.proposalStatus.${p.status}`)}</Tag>
            <span>
              {t('council.proposals.author')}：{p.authorName}
            </span>
            <span>
              {t('council.proposals.cosigns')}：{p.cosigns} / {p.cosignThreshold}
            </span>
          </Space>
          <div style={{ whiteSpace: 'pre-wrap' }}>{p.body}</div>
          {p.attachmentIds.map((f, i) => (
            <a key={f} href={downloadUrl('/api/v1/council/proposals/attachments/{fileId}', { path: { fileId: f } })} target="_blank" rel="noreferrer">
              {t('council.proposals.attachment', { n: i + 1 })}
            </a>
          ))}
          <Timeline
            items={(p.timeline ?? []).map((u) => ({
              children: (
                <>
                  <Tag color={proposalColor[u.status]}>{t(`council.proposalStatus.${u.status}`)}</Tag> {fmtTime(u.at)} · {u.actorName}
                  {u.note && <div>{u.note}</div>}
                </>
              ),
            }))}
          />
          <Form form={form} layout="vertical" name="answer" onFinish={(v) => answer.mutate(v)}>
            <Form.Item name="status" label={t('council.proposals.answerStatus')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={answerStatuses.map((s) => ({ value: s, label: t(`council.proposalStatus.${s}`) }))} />
            </Form.Item>
            <Form.Item name="note" label={t('council.proposals.answerNote')} rules={[{ required: true, message: t('common.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={answer.isPending}>
              {t('council.proposals.answer')}
            </Button>
          </Form>
          <List<Comment>
            header={t('council.proposals.comments')}
            dataSource={p.comments ?? []}
            renderItem={(c) => (
              <List.Item
                actions={
                  c.review === 'pending'
                    ? [
                        <a key="k" onClick={() => review.mutate({ c: c.id, decision: 'keep' })}>
                          {t('council.moderation.keep')}
                        </a>,
                        <a key="r" onClick={() => review.mutate({ c: c.id, decision: 'remove' })}>
                          {t('council.moderation.remove')}
                        </a>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      {c.authorName}
                      {c.hidden && <Tag color="orange">{t('council.moderation.hidden')}</Tag>}
                      {!!c.reports && <Tag>{t('council.moderation.reports', { n: c.reports })}</Tag>}
                    </Space>
                  }
                  description={c.body}
                />
              </List.Item>
            )}
          />
        </Space>
      )}
    </Drawer>
  );
}

function Moderation({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['council', 'pending'], queryFn: () => api.get('/api/v1/council/comments/pending') });
  const review = useMutation({
    mutationFn: ({ c, decision }: { c: string; decision: 'keep' | 'remove' }) =>
      api.post('/api/v1/council/comments/{id}/review', { path: { id: c }, body: { decision } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['council'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Table<PendingComment>
      rowKey="id"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t('council.moderation.proposal'), dataIndex: 'proposalTitle', render: (v, c) => <a onClick={() => onOpen(c.proposalId!)}>{v}</a> },
        { title: t('council.moderation.author'), dataIndex: 'authorName' },
        { title: t('council.moderation.body'), dataIndex: 'body' },
        { title: t('council.moderation.reportsCol'), dataIndex: 'reports' },
        {
          title: '',
          render: (_, c) => (
            <Space>
              <Button size="small" onClick={() => review.mutate({ c: c.id, decision: 'keep' })}>
                {t('council.moderation.keep')}
              </Button>
              <Button size="small" danger onClick={() => review.mutate({ c: c.id, decision: 'remove' })}>
                {t('council.moderation.remove')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

export default function ProposalsPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const { filters, setFilters, tableProps } = useListPage({
    filters: { status: 'text' },
    queryKey: ['council', 'proposals'],
    fetch: (q) => api.get('/api/v1/council/proposals', { query: q }),
  });
  return (
    <>
      <PageHead title={t('council.nav.proposals')} />
      <Tabs
        items={[
          {
            key: 'list',
            label: t('council.proposals.all'),
            children: (
              <>
                <Select
                  allowClear
                  placeholder={t('council.col.status')}
                  style={{ width: 200, marginBottom: 12 }}
                  value={filters.status}
                  onChange={(v) => setFilters({ status: v })}
                  options={Object.keys(proposalColor).map((s) => ({ value: s, label: t(`council.proposalStatus.${s}`) }))}
                />
                <Table<ProposalRow>
                  {...tableProps}
                  onRow={(p) => ({ onClick: () => setOpen(p.id), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('council.proposals.title'), dataIndex: 'title' },
                    { title: t('council.proposals.author'), dataIndex: 'authorName' },
                    { title: t('council.proposals.cosigns'), render: (_, p) => `${p.cosigns} / ${p.cosignThreshold}` },
                    {
                      title: t('council.col.status'),
                      dataIndex: 'status',
                      render: (s) => <Tag color={proposalColor[s]}>{t(`council.proposalStatus.${s}`)}</Tag>,
                    },
                    { title: t('council.col.created'), dataIndex: 'createdAt', render: fmtTime },
                  ]}
                />
              </>
            ),
          },
          { key: 'moderation', label: t('council.moderation.heading'), children: <Moderation onOpen={setOpen} /> },
        ]}
      />
      <ProposalDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
