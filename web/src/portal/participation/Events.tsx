import { Button, ErrorBlock, List, Tag, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { Loading } from './Notices';

const statusColor: Record<string, string> = { registered: 'success', waitlisted: 'warning', cancelled: 'default' };

export function EventList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'events'], queryFn: () => api.get('/api/v1/events') });
  if (q.isLoading) return <Loading />;
  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  if (!q.data?.items.length) return <ErrorBlock status="empty" title={t('participationPortal.noEvents')} description="" />;
  return (
    <List mode="card" header={t('participationPortal.events')}>
      {q.data.items.map((e) => (
        <List.Item
          key={e.id}
          arrow
          onClick={() => nav(`/portal/participation/events/${e.id}`)}
          description={`${fmtTime(e.startsAt)} · ${e.location}`}
          extra={e.myStatus && e.myStatus !== 'cancelled' ? <Tag color={statusColor[e.myStatus]}>{t(`participationPortal.reg.${e.myStatus}`)}</Tag> : null}
        >
          {e.title}
        </List.Item>
      ))}
    </List>
  );
}

function Ticket({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['portal', 'ticket', id], queryFn: () => api.get('/api/v1/events/{id}/ticket', { path: { id } }) });
  if (!q.data) return null;
  return (
    <div style={{ textAlign: 'center', padding: 16 }}>
      {q.data.checkedIn ? <Tag color="success">{t('participationPortal.checkedIn')}</Tag> : <p>{t('participationPortal.showAtDoor')}</p>}
      <QRCodeSVG value={q.data.token} size={220} level="M" includeMargin />
    </div>
  );
}

export function EventDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['portal', 'event', id], queryFn: () => api.get('/api/v1/events/{id}', { path: { id } }) });
  const act = async (what: 'register' | 'unregister') => {
    try {
      const r =
        what === 'register'
          ? await api.post('/api/v1/events/{id}/register', { path: { id } })
          : await api.post('/api/v1/events/{id}/unregister', { path: { id } });
      Toast.show({ icon: 'success', content: t(`participationPortal.reg.${r.status}`) });
      await qc.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };
  if (q.isLoading) return <Loading />;
  if (q.isError || !q.data) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  const e = q.data;
  const active = e.myStatus === 'registered' || e.myStatus === 'waitlisted';
  return (
    <div style={{ padding: 12 }}>
      <h2 style={{ margin: 4 }}>{e.title}</h2>
      <List mode="card">
        <List.Item extra={`${fmtTime(e.startsAt)} – ${fmtTime(e.endsAt)}`}>{t('participationPortal.time')}</List.Item>
        <List.Item extra={e.location}>{t('participationPortal.place')}</List.Item>
        <List.Item extra={e.organiser.name}>{t('participationPortal.organiser')}</List.Item>
        <List.Item extra={`${e.registered}/${e.capacity}${e.waitlisted ? ` · ${t('participationPortal.waiting', { count: e.waitlisted })}` : ''}`}>
          {t('participationPortal.seats')}
        </List.Item>
        {e.description && <List.Item>{e.description}</List.Item>}
      </List>
      {e.myStatus && e.myStatus !== 'cancelled' && (
        <div style={{ padding: '0 12px' }}>
          <Tag color={statusColor[e.myStatus]}>{t(`participationPortal.reg.${e.myStatus}`)}</Tag>
        </div>
      )}
      {e.myStatus === 'registered' && <Ticket id={e.id} />}
      <div style={{ padding: 12 }}>
        {e.status === 'open' && !active && (
          <Button block color="primary" size="large" onClick={() => act('register')}>
            {e.registered < e.capacity ? t('participationPortal.register') : t('participationPortal.joinWaitlist')}
          </Button>
        )}
        {active && (
          <Button block size="large" onClick={() => act('unregister')}>
            {t('participationPortal.cancel')}
          </Button>
        )}
      </div>
    </div>
  );
}
