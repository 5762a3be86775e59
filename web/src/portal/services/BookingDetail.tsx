import { useState } from 'react';
import { Button, Card, Dialog, DotLoading, ErrorBlock, Form, Rate, Space, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useBooking, yuan, type Booking } from '../../console/services/api';
import { mobileColor } from './useHouse';

/** Where a bill is paid: billing's portal page. */
export const billLink = (billId: string) => `/portal/bills?bill=${encodeURIComponent(billId)}`;

/** The fee a cancellation now would cost (the server decides; this is what the dialog says). */
function feeNow(b: Booking): number {
  const hoursLeft = (new Date(b.slotStart).getTime() - Date.now()) / 3_600_000;
  return hoursLeft >= b.freeCancelHours ? 0 : b.cancelFeeFen;
}

/** One booking: details, progress, and cancel / pay / rate. */
export function BookingDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const q = useBooking('bookings', id);
  const [rateForm] = Form.useForm<{ rating: number; comment?: string }>();
  const [busy, setBusy] = useState<string | null>(null);
  const b = q.data;
  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  if (!b)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  const may = (a: string) => b.allowedActions.includes(a);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['services'] });

  const cancel = async () => {
    const fee = feeNow(b);
    const ok = await Dialog.confirm({
      content: fee ? t('svcPortal.cancelWithFee', { fee: yuan(fee), hours: b.freeCancelHours }) : t('svcPortal.cancelFree'),
      confirmText: t('svcPortal.cancel'),
      cancelText: t('common.back'),
    });
    if (!ok) return;
    setBusy('cancel');
    try {
      await api.post('/api/v1/service-bookings/{id}/cancel', { path: { id: b.id }, body: {} });
      Toast.show({ icon: 'success', content: t('svcPortal.cancelled') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  };
  const pay = async () => {
    setBusy('pay');
    try {
      const r = await api.post('/api/v1/service-bookings/{id}/pay', { path: { id: b.id } });
      if (r.billId) nav(billLink(r.billId));
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  const rate = async (v: { rating: number; comment?: string }) => {
    setBusy('rate');
    try {
      await api.post('/api/v1/service-bookings/{id}/rate', { path: { id: b.id }, body: { rating: v.rating, comment: v.comment?.trim() || undefined } });
      Toast.show({ icon: 'success', content: t('svcPortal.rated') });
      refresh();
    } catch (e) {
      if (!applyFieldErrors(rateForm, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div style={{ paddingBottom: 16 }}>
      <div style={{ padding: '12px 12px 0' }}>
        <Card title={b.serviceName} extra={<Tag color={mobileColor[b.status] ?? 'default'}>{t(`services.status.${b.status}`)}</Tag>}>
          <div className="portal-muted">
            {b.number} · {b.providerName}
          </div>
          <p>
            {t('services.slot')}：{fmtTime(b.slotStart)} – {fmtTime(b.slotEnd)}
          </p>
          <div className="portal-muted">
            {t('services.house')}：{b.placeLabel}
          </div>
          <div className="portal-muted">
            {t('services.price')}：{yuan(b.priceFen)}
          </div>
          <div className="portal-muted">{t('services.cancelRuleText', { hours: b.freeCancelHours, fee: yuan(b.cancelFeeFen) })}</div>
          {b.chargedFen != null && (
            <div className="portal-muted">
              {t('svcPortal.charged')}：{yuan(b.chargedFen)}
              {b.paidAt ? ` · ${t('svcPortal.paidAt', { at: fmtTime(b.paidAt) })}` : ''}
            </div>
          )}
          {b.note && (
            <p>
              {t('svcPortal.note')}：{b.note}
            </p>
          )}
        </Card>
      </div>

      {(may('cancel') || may('pay')) && (
        <div style={{ padding: '12px 12px 0' }}>
          <Space direction="vertical" block>
            {may('pay') && (
              <Button block color="primary" size="large" loading={busy === 'pay'} onClick={pay}>
                {t('svcPortal.pay', { amount: yuan(b.chargedFen ?? b.priceFen) })}
              </Button>
            )}
            {may('cancel') && (
              <Button block color="danger" fill="outline" size="large" loading={busy === 'cancel'} onClick={cancel}>
                {t('svcPortal.cancel')}
              </Button>
            )}
          </Space>
        </div>
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
              {t('svcPortal.rateSubmit')}
            </Button>
          }
        >
          <Form.Header>{t('svcPortal.rateTitle')}</Form.Header>
          <Form.Item name="rating" label={t('services.rating')} rules={[{ required: true, type: 'number', min: 1, message: t('svcPortal.ratingRequired') }]}>
            <Rate allowClear={false} />
          </Form.Item>
          <Form.Item name="comment" label={t('svcPortal.comment')} rules={[{ max: 500 }]}>
            <TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
          </Form.Item>
        </Form>
      )}
      {b.rating != null && (
        <div style={{ padding: '12px 12px 0' }}>
          <Card title={t('svcPortal.myRating')}>
            <Rate readOnly value={b.rating} />
            {b.ratingComment && <p>{b.ratingComment}</p>}
          </Card>
        </div>
      )}

      <div className="portal-section-title">{t('svcPortal.progress')}</div>
      <div style={{ padding: '0 12px', background: '#fff', margin: '0 12px', borderRadius: 8 }}>
        <Steps direction="vertical" current={(b.timeline?.length ?? 1) - 1}>
          {(b.timeline ?? []).map((e) => (
            <Steps.Step
              key={e.id}
              status="finish"
              title={t(`services.event.${e.action}`, { defaultValue: e.action })}
              description={
                <div>
                  <div>
                    {fmtTime(e.at)}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                  </div>
                  {e.note && <div style={{ whiteSpace: 'pre-wrap', color: '#333' }}>{e.note}</div>}
                </div>
              }
            />
          ))}
        </Steps>
      </div>
      <div style={{ padding: 12 }}>
        <Button block size="large" onClick={() => nav('/portal/services/bookings')}>
          {t('svcPortal.backToList')}
        </Button>
      </div>
    </div>
  );
}
