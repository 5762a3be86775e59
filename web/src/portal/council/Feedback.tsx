import { useState } from 'react';
import { Button, ErrorBlock, Form, List, Rate, Selector, Space, Tag, TextArea, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, downloadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { feedbackCategories } from '../../console/council/api';

export function FeedbackList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'council', 'feedback'], queryFn: () => api.get('/api/v1/council/feedback', { query: { pageSize: 50 } }) });
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Button block color="primary" onClick={() => nav('/portal/council/feedback/new')}>
          {t('councilPortal.newFeedback')}
        </Button>
      </div>
      {q.data && !q.data.items.length && <ErrorBlock status="empty" title={t('councilPortal.noFeedback')} description="" />}
      <List mode="card" header={t('councilPortal.myFeedback')}>
        {(q.data?.items ?? []).map((f) => (
          <List.Item
            key={f.id}
            arrow
            onClick={() => nav(`/portal/council/feedback/${f.id}`)}
            description={fmtTime(f.createdAt)}
            extra={<Tag color="primary">{t(`council.feedbackStatus.${f.status}`)}</Tag>}
          >
            {t(`council.feedbackCategory.${f.category}`)}：{f.text.slice(0, 20)}
          </List.Item>
        ))}
      </List>
    </>
  );
}

export function FeedbackNew() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [photos, setPhotos] = useState<string[]>([]);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    const fd = new FormData();
    fd.append('file', file, file.name || 'photo.jpg');
    try {
      const r = await api.post('/api/v1/council/feedback/photos', { body: fd });
      setPhotos((p) => [...p, r.id]);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };
  const save = useMutation({
    mutationFn: (v: { category: (typeof feedbackCategories)[number][]; text: string }) =>
      api.post('/api/v1/council/feedback', { body: { category: v.category[0], text: v.text, photoIds: photos } }),
    onSuccess: (f) => {
      qc.invalidateQueries({ queryKey: ['portal', 'council'] });
      nav(`/portal/council/feedback/${f.id}`, { replace: true });
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
      <Form.Item name="category" label={t('councilPortal.category')} rules={[{ required: true, message: t('common.required') }]}>
        <Selector columns={2} options={feedbackCategories.map((c) => ({ value: c, label: t(`council.feedbackCategory.${c}`) }))} />
      </Form.Item>
      <Form.Item name="text" label={t('councilPortal.feedbackText')} rules={[{ required: true, message: t('common.required') }]}>
        <TextArea rows={5} maxLength={2000} placeholder={t('councilPortal.feedbackText')} />
      </Form.Item>
      <Form.Item label={t('councilPortal.photos')}>
        <input type="file" accept="image/*" aria-label={t('councilPortal.photos')} onChange={(e) => void upload(e.target.files?.[0])} />
        <Space wrap>
          {photos.map((p) => (
            <img key={p} src={downloadUrl('/api/v1/council/feedback/photos/{fileId}', { path: { fileId: p } })} alt="" style={{ height: 64 }} />
          ))}
        </Space>
      </Form.Item>
    </Form>
  );
}

export function FeedbackDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [rating, setRating] = useState(0);
  const q = useQuery({ queryKey: ['portal', 'council', 'feedback', id], queryFn: () => api.get('/api/v1/council/feedback/{id}', { path: { id } }) });
  const rate = useMutation({
    mutationFn: () => api.post('/api/v1/council/feedback/{id}/rate', { path: { id }, body: { rating } }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('councilPortal.thanks') });
      qc.invalidateQueries({ queryKey: ['portal', 'council'] });
    },
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const f = q.data;
  if (!f) return null;
  return (
    <div style={{ padding: 12 }}>
      <Space wrap>
        <Tag color="primary">{t(`council.feedbackStatus.${f.status}`)}</Tag>
        <span>{t(`council.feedbackCategory.${f.category}`)}</span>
        <span>{fmtTime(f.createdAt)}</span>
      </Space>
      <p style={{ whiteSpace: 'pre-wrap' }}>{f.text}</p>
      <Space wrap>
        {f.photoIds.map((p) => (
          <img key={p} src={downloadUrl('/api/v1/council/feedback/photos/{fileId}', { path: { fileId: p } })} alt="" style={{ height: 80 }} />
        ))}
      </Space>
      {f.answer ? (
        <List header={t('councilPortal.answer')}>
          <List.Item description={f.answeredAt ? fmtTime(f.answeredAt) : ''}>{f.answer}</List.Item>
        </List>
      ) : (
        <p style={{ color: '#888' }}>{t('councilPortal.waiting', { time: fmtTime(f.respondBy) })}</p>
      )}
      {f.rating != null && (
        <p>
          {t('council.feedback.rating')}：<Rate readOnly value={f.rating} />
        </p>
      )}
      {f.allowedActions.includes('rate') && (
        <Space block direction="vertical">
          <Rate value={rating} onChange={setRating} />
          <Button block color="primary" disabled={!rating} loading={rate.isPending} onClick={() => rate.mutate()}>
            {t('councilPortal.rate')}
          </Button>
        </Space>
      )}
    </div>
  );
}
