// A compact card of open incidents with a "close" action, for the guard page (/guard) and any
// dashboard: default export, no props.
import { Card, Empty, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { ApiError } from '../../shared/api';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { IncidentActions } from './IncidentActions';
import { KindTag, IncidentStatusTag } from './IncidentsPage';
import { useIncidents, useIncidentStream } from './api';

export default function IncidentsCard() {
  const { t } = useTranslation();
  useIncidentStream();
  const q = useIncidents({ open: true, pageSize: 10 });
  const items = q.data?.items ?? [];
  // someone who may not read incidents sees no card rather than an error
  if (q.error instanceof ApiError && q.error.status === 403) return null;
  return (
    <Card
      size="small"
      title={t('incidents.openTitle', { count: q.data?.total ?? 0 })}
      extra={<Link to="/incidents">{t('incidents.all')}</Link>}
      loading={q.isLoading}
      role="region"
      aria-label={t('incidents.openRegion')}
    >
      {items.length ? (
        <List
          size="small"
          dataSource={items}
          renderItem={(i) => (
            <List.Item actions={[<IncidentActions key="a" incident={i} size="small" only={['investigate', 'resolve', 'false_alarm']} />]}>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Link to={`/incidents/${i.id}`}>{i.title}</Link>
                    <KindTag kind={i.kind} />
                    <IncidentStatusTag status={i.status} />
                  </Space>
                }
                description={
                  <Typography.Text type="secondary">
                    {i.cameraLocation ?? i.placeLabel} · {fmtTime(i.lastEventAt)} · {t('incidents.eventsCount', { count: i.eventCount })}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty description={t('incidents.noneOpen')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
    </Card>
  );
}
