import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import type { WorkOrderDetail } from './api';
import { PhotoStrip } from './PhotoPicker';
import { downloadUrl } from '../../shared/api';

const color: Record<string, string> = { resolve: 'green', close: 'gray', cancel: 'red', reopen: 'orange', escalate: 'red', pause: 'orange' };

/** Every transition with actor, time, note and the photos added with it (antd; the portal has its own Steps). */
export function WoTimeline({ wo }: { wo: WorkOrderDetail }) {
  const { t } = useTranslation();
  const photoUrl = (id: string) => wo.photos.find((p) => p.id === id)?.url ?? downloadUrl('/api/v1/work-orders/photos/{fileId}', { path: { fileId: id } });
  return (
    <Timeline
      items={wo.timeline.map((e) => ({
        color: color[e.action] ?? 'blue',
        children: (
          <div>
            <Typography.Text strong>{t(`woEvent.${e.action}`, { defaultValue: e.action })}</Typography.Text>
            {e.fromStatus !== e.toStatus && <span style={{ color: '#888' }}> → {t(`woStatus.${e.toStatus}`, { defaultValue: e.toStatus })}</span>}
            <div style={{ color: '#888', fontSize: 12 }}>
              {e.actorName ?? t('wo.system')} · {fmtTime(e.at)}
            </div>
            {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
            {e.photoIds?.length > 0 && (
              <div style={{ marginTop: 6 }}>
                <PhotoStrip urls={e.photoIds.map(photoUrl)} />
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}
