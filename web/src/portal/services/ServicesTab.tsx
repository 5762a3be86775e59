import { Button, Card, DotLoading, ErrorBlock, List, Selector, Tag } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useBookings, yuan } from '../../console/services/api';
import { BookService } from './BookService';
import { BookingDetail } from './BookingDetail';
import { mobileColor, useHouse } from './useHouse';

function Catalog() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { houses, houseId, loading, setHouse } = useHouse();
  const q = useQuery({
    queryKey: ['services', 'catalog', houseId],
    enabled: !!houseId,
    queryFn: () => api.get('/api/v1/service-catalog', { query: { houseId } }),
  });
  if (loading)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  if (!houseId) return <ErrorBlock status="empty" title={t('portal.noHouse')} description={t('portal.noHouseHint')} />;
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Button block size="large" onClick={() => nav('/portal/services/bookings')}>
          {t('svcPortal.myBookings')}
        </Button>
      </div>
      {houses.length > 1 && (
        <div style={{ padding: '12px 12px 0' }}>
          <Selector
            columns={1}
            value={[houseId]}
            onChange={(v) => v[0] && setHouse(v[0])}
            options={houses.map((h) => ({ value: h.houseId, label: h.houseLabel }))}
          />
        </div>
      )}
      {q.isLoading && (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <DotLoading />
        </div>
      )}
      {q.isError && <ErrorBlock status="default" title={errorMessage(q.error)} description="" />}
      {q.data && q.data.items.length === 0 && <ErrorBlock status="empty" title={t('svcPortal.noServices')} description="" />}
      {q.data?.items.map((p) => (
        <div key={p.id} style={{ padding: '12px 12px 0' }}>
          <Card
            title={p.name}
            extra={
              <Tag color="primary" fill="outline">
                {t(`services.cat.${p.category}`)}
              </Tag>
            }
          >
            {p.description && <div className="portal-muted">{p.description}</div>}
            <List mode="card" style={{ margin: '8px 0 0' }}>
              {p.services.map((s) => (
                <List.Item
                  key={s.id}
                  arrow
                  onClick={() => nav(`/portal/services/book/${s.id}?house=${houseId}`)}
                  description={`${t('services.minutes', { n: s.durationMinutes })} · ${t('services.cancelRuleText', { hours: s.freeCancelHours, fee: yuan(s.cancelFeeFen) })}`}
                  extra={<strong>{yuan(s.priceFen)}</strong>}
                >
                  {s.name}
                </List.Item>
              ))}
            </List>
          </Card>
        </div>
      ))}
    </>
  );
}

function MyBookings() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useBookings('bookings');
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Button block color="primary" size="large" onClick={() => nav('/portal/services')}>
          {t('svcPortal.bookNew')}
        </Button>
      </div>
      {q.isLoading && (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <DotLoading />
        </div>
      )}
      {q.isError && <ErrorBlock status="default" title={errorMessage(q.error)} description="" />}
      {q.data && q.data.items.length === 0 && <ErrorBlock status="empty" title={t('svcPortal.noBookings')} description="" />}
      {q.data && q.data.items.length > 0 && (
        <List header={t('svcPortal.myBookings')} mode="card">
          {q.data.items.map((b) => (
            <List.Item
              key={b.id}
              arrow
              onClick={() => nav(`/portal/services/bookings/${b.id}`)}
              description={`${b.providerName ?? ''} · ${fmtTime(b.slotStart)}`}
              extra={<Tag color={mobileColor[b.status] ?? 'default'}>{t(`services.status.${b.status}`)}</Tag>}
            >
              {b.serviceName}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/** 家政: what I can book at my house, booking a slot, my bookings. */
export function ServicesTab() {
  return (
    <Routes>
      <Route index element={<Catalog />} />
      <Route path="book/:serviceId" element={<BookService />} />
      <Route path="bookings" element={<MyBookings />} />
      <Route path="bookings/:id" element={<BookingDetail />} />
    </Routes>
  );
}
