import { useState } from 'react';
import { Alert, Button, Card, Input, Modal, Segmented, Space, Table, Tag, message } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage, type PathsOf } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { statusColor, useBookings, yuan, type Booking, type ProviderDetail, type Service } from './api';
import { HoursModal } from './ServiceModals';
import { BookingDrawer } from './BookingDrawer';

const filters = ['requested', 'confirmed', 'done', 'all'] as const;
/** The provider's steps of a booking, each a route of its own. */
const stepPaths = {
  confirm: '/api/v1/provider/bookings/{id}/confirm',
  decline: '/api/v1/provider/bookings/{id}/decline',
  done: '/api/v1/provider/bookings/{id}/done',
  cancel: '/api/v1/provider/bookings/{id}/cancel',
} as const satisfies Record<string, PathsOf<'post'>>;
type Step = keyof typeof stepPaths;
const isStep = (a: string): a is Step => a in stepPaths;

function BookingActions({ b, onDone }: { b: Booking; onDone: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (action: Step) => {
    let note = '';
    if (action === 'decline' || action === 'cancel') {
      const ok = await new Promise<boolean>((resolve) => {
        Modal.confirm({
          title: t(`services.ask.${action}`),
          content: <Input.TextArea aria-label={t('services.note')} placeholder={t('services.reasonHint')} onChange={(e) => (note = e.target.value)} />,
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
          okText: t(`services.action.${action}`),
          cancelText: t('common.back'),
        });
      });
      if (!ok) return;
    }
    setBusy(action);
    try {
      await api.post(stepPaths[action], { path: { id: b.id }, body: note.trim() ? { note: note.trim() } : {} });
      message.success(t(`services.acted.${action}`));
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
      onDone();
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space>
      {b.allowedActions.filter(isStep).map((a) => (
        <Button
          key={a}
          size="small"
          type={a === 'confirm' || a === 'done' ? 'primary' : 'default'}
          danger={a === 'decline' || a === 'cancel'}
          loading={busy === a}
          onClick={() => act(a)}
        >
          {t(`services.action.${a}`)}
        </Button>
      ))}
    </Space>
  );
}

/** My provider's services with their hours, which provider staff may change themselves. */
function MyServices({ provider }: { provider: ProviderDetail }) {
  const { t } = useTranslation();
  const [hoursOf, setHoursOf] = useState<Service | null>(null);
  return (
    <Card title={t('services.myServices')} style={{ marginTop: 16 }}>
      <Table
        rowKey="id"
        pagination={false}
        dataSource={provider.services ?? []}
        columns={[
          { title: t('services.serviceName'), dataIndex: 'name' },
          { title: t('services.price'), render: (_, s) => yuan(s.priceFen) },
          { title: t('services.duration'), render: (_, s) => t('services.minutes', { n: s.durationMinutes }) },
          {
            title: t('services.hours'),
            render: (_, s) =>
              s.hours?.length
                ? s.hours.map((h) => `${t(`services.weekday.${h.weekday}`)} ${h.start}–${h.end} ×${h.capacity}`).join('；')
                : t('services.noHours'),
          },
          {
            title: t('common.actions'),
            render: (_, s) => (
              <Button size="small" onClick={() => setHoursOf(s)}>
                {t('services.setHours')}
              </Button>
            ),
          },
        ]}
      />
      <HoursModal providerId={provider.id} service={hoursOf} open={!!hoursOf} onClose={() => setHoursOf(null)} own />
    </Card>
  );
}

/** The provider workspace: my provider's bookings, to confirm, decline, complete or cancel. */
export default function ProviderWorkspace() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState<(typeof filters)[number]>('requested');
  const me = useQuery({ queryKey: ['services', 'provider-me'], queryFn: () => api.get('/api/v1/provider/me'), retry: false });
  const q = useBookings('provider', filter === 'all' ? undefined : filter);
  const open = params.get('booking');
  const refresh = () => void qc.invalidateQueries({ queryKey: ['services'] });
  if (me.error instanceof ApiError && me.error.status === 403) return <Alert type="warning" showIcon message={errorMessage(me.error)} />;
  return (
    <>
      <PageHead title={t('services.workspace', { name: me.data?.name ?? '' })} />
      <Card>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={filters.map((f) => ({ value: f, label: f === 'all' ? t('services.all') : t(`services.status.${f}`) }))}
        />
        <Table
          style={{ marginTop: 12 }}
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('services.number'), render: (_, b) => <a onClick={() => setParams({ booking: b.id })}>{b.number}</a> },
            { title: t('services.service'), dataIndex: 'serviceName' },
            { title: t('services.slot'), render: (_, b) => fmtTime(b.slotStart) },
            { title: t('services.house'), render: (_, b) => `${b.placeLabel} · ${b.residentName}` },
            { title: t('services.statusLabel'), render: (_, b) => <Tag color={statusColor[b.status]}>{t(`services.status.${b.status}`)}</Tag> },
            { title: t('common.actions'), render: (_, b) => <BookingActions b={b} onDone={refresh} /> },
          ]}
        />
      </Card>
      {me.data && <MyServices provider={me.data} />}
      <BookingDrawer id={open} onClose={() => setParams({})} />
    </>
  );
}
