import { useState } from 'react';
import { Button, Card, Dialog, DotLoading, ErrorBlock, Form, Rate, Space, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, downloadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useWorkOrder, woAction, type WoAction, type WoActionBody } from '../../console/workorders/api';
import { PhotoStrip } from '../../console/workorders/PhotoPicker';
import { tagColor } from './tagColor';

/** One repair request: progress timeline, photos, and confirm / rate / reopen / cancel. */
export function RepairDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const q = useWorkOrder(id, 20_000);
  const [rateForm] = Form.useForm<{ rating: number; comment?: string }>();
  const [reopenForm] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const w = q.data;

  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  if (!w)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  const may = (a: string) => w.allowedActions?.includes(a);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['work-orders'] });

  const act = async (a: WoAction, body: WoActionBody = {}, form?: typeof reopenForm) => {
    setBusy(a);
    try {
      await woAction(w.id, a, { ...body, version: w.version });
      Toast.show({ icon: 'success', content: t(`repairs.${a}Done`) });
      setReopening(false);
      refresh();
    } catch (e) {
      if (!form || !applyFieldErrors(form, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
      refresh();
    } finally {
      setBusy(null);
    }
  };
  const confirmDone = async () => {
    if (await Dialog.confirm({ content: t('repairs.confirmAsk'), confirmText: t('repairs.confirm'), cancelText: t('common.cancel') })) void act('close');
  };
  const cancel = async () => {
    if (await Dialog.confirm({ content: t('repairs.cancelAsk'), confirmText: t('repairs.cancel'), cancelText: t('common.back') }))
      void act('cancel', { note: t('repairs.cancelNote') });
  };
  const rate = async (v: { rating: number; comment?: string }) => {
    setBusy('rate');
    try {
      await api.post('/api/v1/work-orders/{id}/rate', { path: { id: w.id }, body: { rating: v.rating, comment: v.comment?.trim() || undefined } });
      Toast.show({ icon: 'success', content: t('repairs.rateDone') });
      refresh();
    } catch (e) {
      if (!applyFieldErrors(rateForm, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  const photoUrl = (pid: string) => w.photos.find((p) => p.id === pid)?.url ?? downloadUrl('/api/v1/work-orders/photos/{fileId}', { path: { fileId: pid } });

  return (
    <div style={{ paddingBottom: 16 }}>
      <div style={{ padding: '12px 12px 0' }}>
        <Card title={w.title || w.number} extra={<Tag color={tagColor[w.status] ?? 'default'}>{t(`woStatus.${w.status}`)}</Tag>}>
          <div className="portal-muted">
            {w.number} · {w.categoryName}
          </div>
          <p style={{ whiteSpace: 'pre-wrap' }}>{w.description}</p>
          <div className="portal-muted">
            {t('repairs.where')}: {w.placeLabel}
          </div>
          {w.preferredTime && (
            <div className="portal-muted">
              {t('repairs.preferredTime')}: {fmtTime(w.preferredTime) || w.preferredTime}
            </div>
          )}
          {w.assigneeName && (
            <div className="portal-muted">
              {t('repairs.technician')}: {w.assigneeName}
            </div>
          )}
          {w.photos.length > 0 && (
            <div style={{ marginTop: 8 }}>
              <PhotoStrip urls={w.photos.map((p) => p.url)} />
            </div>
          )}
        </Card>
      </div>

      {(may('close') || may('reopen') || may('cancel')) && (
        <div style={{ padding: '12px 12px 0' }}>
          <Space direction="vertical" block>
            {may('close') && (
              <Button block color="primary" size="large" loading={busy === 'close'} onClick={confirmDone}>
                {t('repairs.confirm')}
              </Button>
            )}
            {may('reopen') && (
              <Button
                block
                size="large"
                onClick={() => {
                  reopenForm.resetFields();
                  setReopening(true);
                }}
              >
                {t('repairs.reopen')}
              </Button>
            )}
            {may('cancel') && (
              <Button block color="danger" fill="outline" size="large" loading={busy === 'cancel'} onClick={cancel}>
                {t('repairs.cancel')}
              </Button>
            )}
          </Space>
        </div>
      )}

      {reopening && (
        <Form
          form={reopenForm}
          layout="vertical"
          mode="card"
          onFinish={(v) => act('reopen', { note: v.note.trim() }, reopenForm)}
          footer={
            <Button block type="submit" color="warning" size="large" loading={busy === 'reopen'}>
              {t('repairs.reopen')}
            </Button>
          }
        >
          <Form.Item name="note" label={t('repairs.reopenWhy')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 1000 }]}>
            <TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </Form>
      )}

      {may('rate') && (
        <Form
          form={rateForm}
          layout="vertical"
          mode="card"
          initialValues={{ rating: 5 }}
          onFinish={rate}
          footer={
            <Button block type="submit" color="primary" size="large" loading={busy === 'rate'}>
              {t('repairs.rateSubmit')}
            </Button>
          }
        >
          <Form.Header>{t('repairs.rateTitle')}</Form.Header>
          <Form.Item name="rating" label={t('repairs.rating')} rules={[{ required: true, type: 'number', min: 1, message: t('repairs.ratingRequired') }]}>
            <Rate allowClear={false} />
          </Form.Item>
          <Form.Item name="comment" label={t('repairs.comment')} rules={[{ max: 500 }]}>
            <TextArea autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('repairs.commentHint')} />
          </Form.Item>
        </Form>
      )}
      {w.rating !== null && (
        <div style={{ padding: '12px 12px 0' }}>
          <Card title={t('repairs.myRating')}>
            <Rate readOnly value={w.rating} />
            {w.ratingComment && <p>{w.ratingComment}</p>}
          </Card>
        </div>
      )}

      <div className="portal-section-title">{t('repairs.progress')}</div>
      <div style={{ padding: '0 12px', background: '#fff', margin: '0 12px', borderRadius: 8 }}>
        <Steps direction="vertical" current={w.timeline.length - 1}>
          {w.timeline.map((e) => (
            <Steps.Step
              key={e.id}
              status="finish"
              title={t(`repairs.event.${e.action}`, { defaultValue: t(`woEvent.${e.action}`, { defaultValue: e.action }) })}
              description={
                <div>
                  <div>
                    {fmtTime(e.at)}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                  </div>
                  {e.note && <div style={{ whiteSpace: 'pre-wrap', color: '#333' }}>{e.note}</div>}
                  {e.photoIds?.length > 0 && (
                    <div style={{ marginTop: 4 }}>
                      <PhotoStrip urls={e.photoIds.map(photoUrl)} />
                    </div>
                  )}
                </div>
              }
            />
          ))}
        </Steps>
      </div>
      <div style={{ padding: '12px' }}>
        <Button block size="large" onClick={() => nav('/portal/repairs')}>
          {t('repairs.backToList')}
        </Button>
      </div>
    </div>
  );
}
