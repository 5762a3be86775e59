import { Drawer, Tag, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { statusColor, useBooking, yuan, type BookingSide } from './api';

/** One booking with its timeline (the provider's route, or staff's with `side="bookings"`). */
export function BookingDrawer({ id, onClose, side = 'provider' }: { id: string | null; onClose: () => void; side?: BookingSide }) {
  const { t } = useTranslation();
  const q = useBooking(side, id ?? undefined);
  const b = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={460} title={b ? `${b.number} · ${b.serviceName}` : ''}>
      {b && (
        <>
          <p>
            <Tag color={statusColor[b.status]}>{t(`services.status.${b.status}`)}</Tag>
          </p>
          <p>
            {t('services.slot')}：{fmtTime(b.slotStart)} – {fmtTime(b.slotEnd)}
          </p>
          <p>
            {t('services.house')}：{b.placeLabel} · {b.residentName}
          </p>
          <p>
            {t('services.price')}：{yuan(b.priceFen)}
          </p>
          {b.note && (
            <p>
              {t('services.note')}：{b.note}
            </p>
          )}
          {b.rating && (
            <p>
              {t('services.rating')}：{'★'.repeat(b.rating)} {b.ratingComment}
            </p>
          )}
          <Timeline
            items={(b.timeline ?? []).map((e) => ({
              children: (
                <>
                  {fmtTime(e.at)} · {e.actorName} · {t(`services.event.${e.action}`, { defaultValue: e.action })}
                  {e.note ? `：${e.note}` : ''}
                </>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
