import { useMemo, useState } from 'react';
import { Button, Card, DotLoading, ErrorBlock, Form, Selector, Space, TextArea, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, applyFieldErrors, errorMessage } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import { bookSlot, yuan, type Slot } from '../../console/services/api';
import { useHouse } from './useHouse';

const TZ = 'Asia/Shanghai';
const dayOf = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TZ, month: 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(iso));
const timeOf = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

/** Book a service: pick a day, then a free slot, add a note, send (with an idempotency key). */
export function BookService() {
  const { serviceId } = useParams();
  const { t, i18n } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { houseId } = useHouse();
  const [form] = Form.useForm<{ slot?: string[]; note?: string }>();
  const [day, setDay] = useState<string>();
  const [busy, setBusy] = useState(false);
  // one key per booking intent on this page: a retried tap replays instead of booking twice
  const intent = useIntentKey();
  const catalog = useQuery({
    queryKey: ['services', 'catalog', houseId],
    enabled: !!houseId,
    queryFn: () => api.get('/api/v1/service-catalog', { query: { houseId } }),
  });
  const slots = useQuery({
    queryKey: ['services', 'slots', serviceId, houseId],
    enabled: !!houseId && !!serviceId,
    queryFn: () => api.get('/api/v1/service-catalog/{id}/slots', { path: { id: serviceId }, query: { houseId, days: 14 } }),
  });
  const provider = catalog.data?.items.find((p) => p.services.some((s) => s.id === serviceId));
  const service = provider?.services.find((s) => s.id === serviceId);
  const days = useMemo(() => {
    const m = new Map<string, Slot[]>();
    for (const s of slots.data?.items ?? []) {
      const d = dayOf(s.start, i18n.language);
      m.set(d, [...(m.get(d) ?? []), s]);
    }
    return m;
  }, [slots.data, i18n.language]);
  const currentDay = day ?? [...days.entries()].find(([, list]) => list.some((s) => s.remaining > 0))?.[0];

  if (slots.isError) return <ErrorBlock status="default" title={errorMessage(slots.error)} description="" />;
  if (!service || !slots.data)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );

  const submit = async (v: { slot?: string[]; note?: string }) => {
    if (!v.slot?.[0] || !houseId) return;
    setBusy(true);
    try {
      const b = await bookSlot({ serviceId: service.id, houseId, slotStart: v.slot[0], note: v.note?.trim() || undefined }, intent.key());
      intent.renew();
      Toast.show({ icon: 'success', content: t('svcPortal.booked') });
      void qc.invalidateQueries({ queryKey: ['services'] });
      nav(`/portal/services/bookings/${b.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'services.slot_full') void slots.refetch();
      if (!applyFieldErrors(form, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ paddingBottom: 16 }}>
      <div style={{ padding: '12px 12px 0' }}>
        <Card title={service.name} extra={<strong>{yuan(service.priceFen)}</strong>}>
          <div className="portal-muted">{provider?.name}</div>
          {service.description && <p>{service.description}</p>}
          <div className="portal-muted">{t('services.minutes', { n: service.durationMinutes })}</div>
          <div className="portal-muted">{t('services.cancelRuleText', { hours: service.freeCancelHours, fee: yuan(service.cancelFeeFen) })}</div>
        </Card>
      </div>
      {days.size === 0 ? (
        <ErrorBlock status="empty" title={t('svcPortal.noSlots')} description="" />
      ) : (
        <Form
          form={form}
          layout="vertical"
          mode="card"
          onFinish={submit}
          footer={
            <Space direction="vertical" block>
              <Button block type="submit" color="primary" size="large" loading={busy}>
                {t('svcPortal.submit')}
              </Button>
              <Button block size="large" onClick={() => nav(-1)}>
                {t('common.cancel')}
              </Button>
            </Space>
          }
        >
          <Form.Item label={t('svcPortal.day')}>
            <Selector
              columns={3}
              value={currentDay ? [currentDay] : []}
              onChange={(v) => {
                if (v[0]) {
                  setDay(v[0]);
                  form.setFieldValue('slot', []);
                }
              }}
              options={[...days.keys()].map((d) => ({ value: d, label: d }))}
            />
          </Form.Item>
          <Form.Item name="slot" label={t('svcPortal.time')} rules={[{ required: true, type: 'array', min: 1, message: t('svcPortal.pickSlot') }]}>
            <Selector
              columns={2}
              options={(days.get(currentDay ?? '') ?? []).map((s) => ({
                value: s.start,
                disabled: s.remaining === 0,
                label: `${timeOf(s.start)}–${timeOf(s.end)}`,
                description: s.remaining === 0 ? t('svcPortal.full') : t('svcPortal.left', { n: s.remaining }),
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('svcPortal.note')} rules={[{ max: 500 }]}>
            <TextArea placeholder={t('svcPortal.noteHint')} autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
          </Form.Item>
        </Form>
      )}
    </div>
  );
}
