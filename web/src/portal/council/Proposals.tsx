import { useState } from 'react';
import { Button, ErrorBlock, Form, Input, List, Space, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, downloadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';

export function ProposalList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'council', 'proposals'], queryFn: () => api.get('/api/v1/council/proposals', { query: { pageSize: 50 } }) });
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Button block color="primary" onClick={() => nav('/portal/council/proposals/new')}>
          {t('councilPortal.newProposal')}
        </Button>
      </div>
      {q.data && !q.data.items.length && <ErrorBlock status="empty" title={t('councilPortal.noProposals')} description="" />}
      <List mode="card" header={t('councilPortal.proposals')}>
        {(q.data?.items ?? []).map((p) => (
          <List.Item
            key={p.id}
            arrow
            onClick={() => nav(`/portal/council/proposals/${p.id}`)}
            description={`${p.authorName} · ${t('councilPortal.cosignCount', { n: p.cosigns, of: p.cosignThreshold })}`}
            extra={<Tag color="primary">{t(`council.proposalStatus.${p.status}`)}</Tag>}
          >
            {p.title}
          </List.Item>
        ))}
      </List>
    </>
  );
}

export function ProposalNew() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [files, setFiles] = useState<{ id: string; name: string }[]>([]);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    const fd = new FormData();
    fd.append('file', file, file.name || 'attachment');
    try {
      const r = await api.post('/api/v1/council/proposals/attachments', { body: fd });
      setFiles((f) => [...f, r]);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };
  const save = useMutation({
    mutationFn: (v: { title: string; body: string }) => api.post('/api/v1/council/proposals', { body: { ...v, attachmentIds: files.map((f) => f.id) } }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['portal', 'council'] });
      nav(`/portal/council/proposals/${p.id}`, { replace: true });
    },
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  return (
    <Form
      layout="vertical"
      onFinish={(v) => save.mutate(v)}
      footer={
        <Button block type="submit" color="primary" loading={save.isPending}>
          {t('councilPortal.submit')}
        </Button>
      }
    >
      <Form.Item name="title" label={t('councilPortal.proposalTitle')} rules={[{ required: true, message: t('common.required') }]}>
        <Input maxLength={120} placeholder={t('councilPortal.proposalTitle')} />
      </Form.Item>
      <Form.Item name="body" label={t('councilPortal.proposalBody')} rules={[{ required: true, message: t('common.required') }]}>
        <TextArea rows={6} maxLength={5000} placeholder={t('councilPortal.proposalBody')} />
      </Form.Item>
      <Form.Item label={t('councilPortal.attachments')} help={t('councilPortal.attachmentsHint')}>
        <input type="file" accept="image/*,application/pdf" aria-label={t('councilPortal.attachments')} onChange={(e) => void upload(e.target.files?.[0])} />
        {files.map((f) => (
          <div key={f.id}>{f.name}</div>
        ))}
      </Form.Item>
    </Form>
  );
}

export function ProposalDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const q = useQuery({ queryKey: ['portal', 'council', 'proposal', id], queryFn: () => api.get('/api/v1/council/proposals/{id}', { path: { id } }) });
  const refresh = () => qc.invalidateQueries({ queryKey: ['portal', 'council'] });
  const fail = (e: unknown) => Toast.show({ icon: 'fail', content: errorMessage(e) });
  const cosign = useMutation({
    mutationFn: () => api.post('/api/v1/council/proposals/{id}/cosign', { path: { id } }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('councilPortal.cosigned') });
      refresh();
    },
    onError: fail,
  });
  const follow = useMutation({
    mutationFn: (on: boolean) => api.post('/api/v1/council/proposals/{id}/follow', { path: { id }, body: { follow: on } }),
    onSuccess: refresh,
    onError: fail,
  });
  const post = useMutation({
    mutationFn: () => api.post('/api/v1/council/proposals/{id}/comments', { path: { id }, body: { body: comment } }),
    onSuccess: () => {
      setComment('');
      refresh();
    },
    onError: fail,
  });
  const report = useMutation({
    mutationFn: (c: string) => api.post('/api/v1/council/comments/{id}/report', { path: { id: c } }),
    onSuccess: () => {
      Toast.show({ content: t('councilPortal.reported') });
      refresh();
    },
    onError: fail,
  });
  const p = q.data;
  if (!p) return null;
  return (
    <div style={{ padding: 12 }}>
      <h2 style={{ margin: '4px 0' }}>{p.title}</h2>
      <Space wrap>
        <Tag color="primary">{t(`council.proposalStatus.${p.status}`)}</Tag>
        <span>{p.authorName}</span>
        <span>{t('councilPortal.cosignCount', { n: p.cosigns, of: p.cosignThreshold })}</span>
      </Space>
      <p style={{ whiteSpace: 'pre-wrap' }}>{p.body}</p>
      {p.attachmentIds.map((f, i) => (
        <div key={f}>
          <a href={downloadUrl('/api/v1/council/proposals/attachments/{fileId}', { path: { fileId: f } })}>{t('council.proposals.attachment', { n: i + 1 })}</a>
        </div>
      ))}
      <Space block direction="vertical">
        {p.status === 'collecting' &&
          !p.mine &&
          (p.cosigned ? (
            <Tag color="success">{t('councilPortal.cosigned')}</Tag>
          ) : (
            <Button block color="primary" loading={cosign.isPending} onClick={() => cosign.mutate()}>
              {t('councilPortal.cosign')}
            </Button>
          ))}
        <Button block onClick={() => follow.mutate(!p.following)}>
          {p.following ? t('councilPortal.unfollow') : t('councilPortal.follow')}
        </Button>
      </Space>
      <h3>{t('councilPortal.progress')}</h3>
      <Steps direction="vertical" current={(p.timeline?.length ?? 1) - 1}>
        {(p.timeline ?? []).map((u, i) => (
          <Steps.Step key={i} title={t(`council.proposalStatus.${u.status}`)} description={`${fmtTime(u.at)}${u.note ? ` · ${u.note}` : ''}`} />
        ))}
      </Steps>
      <List header={t('council.proposals.comments')}>
        {(p.comments ?? []).map((c) => (
          <List.Item key={c.id} description={fmtTime(c.createdAt)} extra={!c.hidden && <a onClick={() => report.mutate(c.id)}>{t('councilPortal.report')}</a>}>
            {c.hidden ? (
              <span style={{ color: '#999' }}>{t('councilPortal.hiddenComment')}</span>
            ) : (
              <>
                <strong>{c.authorName}</strong>：{c.body}
              </>
            )}
          </List.Item>
        ))}
      </List>
      <TextArea value={comment} onChange={setComment} rows={2} maxLength={1000} placeholder={t('councilPortal.commentHint')} />
      <Button block disabled={!comment.trim()} loading={post.isPending} onClick={() => post.mutate()}>
        {t('councilPortal.postComment')}
      </Button>
    </div>
  );
}
