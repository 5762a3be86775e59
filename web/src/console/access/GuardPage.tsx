import { lazy, Suspense, useState, type ReactElement } from 'react';
import { Card, Col, Row, Select, Table } from 'antd';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { PageHead } from '../../shared/ui';
import { logColumns } from './LogTab';
import { VisitorsTab } from './VisitorsTab';
import { useLog, usePoints, type LogEntry } from './api';

// the incidents module's card (written by the incidents feature): default export, no props
const cards = import.meta.glob<{ default: () => ReactElement | null }>('../incidents/IncidentsCard.tsx');
const IncidentsCard = cards['../incidents/IncidentsCard.tsx'] ? lazy(cards['../incidents/IncidentsCard.tsx']) : null;

/** 安保值班: live door events, today's visitors, a door's last 50 events, open incidents. */
export default function GuardPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const points = usePoints();
  const [door, setDoor] = useState<string | null>(null);
  // live: the log's first page, polled every 3 s (door events are not user notifications)
  const live = useLog({ page: 1, pageSize: 15 }, 3000);
  const last50 = useQuery({
    queryKey: ['access', 'door-events', door],
    queryFn: () => api.get('/api/v1/access/points/{id}/events', { path: { id: door } }),
    enabled: !!door,
    refetchInterval: 5000,
  });
  const cols = logColumns(t);
  return (
    <>
      <PageHead title={t('doors.guard.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('doors.guard.live')} role="region" aria-label={t('doors.guard.live')}>
            <Table<LogEntry> rowKey="id" size="small" pagination={false} loading={live.isLoading} dataSource={live.data?.items} columns={cols} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {IncidentsCard ? (
            <Suspense fallback={null}>
              <IncidentsCard />
            </Suspense>
          ) : (
            <Card size="small">
              <Link to="/incidents">{t('doors.guard.incidents')}</Link>
            </Card>
          )}
        </Col>
        <Col span={24}>
          <Card size="small" title={t('doors.guard.visitors')} role="region" aria-label={t('doors.guard.visitors')}>
            <VisitorsTab today canIssue={can(me, 'create', 'VisitorPass')} />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            size="small"
            title={t('doors.guard.door')}
            extra={
              <Select
                style={{ width: 220 }}
                placeholder={t('doors.door')}
                options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
                onChange={setDoor}
                aria-label={t('doors.door')}
              />
            }
          >
            {door && <Table<LogEntry> rowKey="id" size="small" pagination={false} loading={last50.isLoading} dataSource={last50.data?.items} columns={cols} />}
          </Card>
        </Col>
      </Row>
    </>
  );
}
