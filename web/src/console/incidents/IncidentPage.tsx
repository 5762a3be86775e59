import { Card, Col, Descriptions, Empty, Image, Result, Row, Space, Spin, Table, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { IncidentActions } from './IncidentActions';
import { IncidentStatusTag, KindTag } from './IncidentsPage';
import { useIncident, useIncidentStream, type CameraEvent } from './api';

const dot: Record<string, string> = { open: 'red', investigate: 'orange', resolve: 'green', false_alarm: 'gray', note: 'blue', work_order: 'purple' };

export default function IncidentPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  useIncidentStream();
  const q = useIncident(id);
  if (q.isError) {
    const nf = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result status={nf ? '404' : 'error'} title={nf ? t('error.notFound') : errorMessage(q.error)} extra={<Link to="/incidents">{t('common.back')}</Link>} />
    );
  }
  const inc = q.data;
  if (!inc) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  return (
    <>
      <PageHead
        title={
          <Space>
            {inc.title}
            <IncidentStatusTag status={inc.status} />
          </Space>
        }
        extra={<Link to="/incidents">{t('common.back')}</Link>}
      />
      <Card style={{ marginBottom: 16 }} extra={<IncidentActions incident={inc} />}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('incidents.col.kind')}>
            <KindTag kind={inc.kind} />
          </Descriptions.Item>
          <Descriptions.Item label={t('incidents.camera')}>{inc.cameraName}</Descriptions.Item>
          <Descriptions.Item label={t('incidents.col.place')}>{inc.cameraLocation ?? inc.placeLabel}</Descriptions.Item>
          <Descriptions.Item label={t('incidents.firstEvent')}>{fmtTime(inc.firstEventAt)}</Descriptions.Item>
          <Descriptions.Item label={t('incidents.col.lastEvent')}>{fmtTime(inc.lastEventAt)}</Descriptions.Item>
          <Descriptions.Item label={t('incidents.col.events')}>{inc.eventCount}</Descriptions.Item>
          <Descriptions.Item label={t('incidents.workOrder')}>
            {inc.workOrderId ? <Link to={`/workorders/${inc.workOrderId}`}>{t('incidents.openWorkOrder')}</Link> : t('common.none')}
          </Descriptions.Item>
          {inc.closedAt && <Descriptions.Item label={t('incidents.closedAt')}>{fmtTime(inc.closedAt)}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t('incidents.timeline')} style={{ marginBottom: 16 }}>
            <Timeline
              items={inc.timeline.map((e) => ({
                color: dot[e.action] ?? 'blue',
                children: (
                  <div data-testid="incident-timeline-entry">
                    <Typography.Text strong>{t(`incidents.event.${e.action}`, { defaultValue: e.action })}</Typography.Text>
                    {e.fromStatus !== e.toStatus && e.toStatus && <span style={{ color: '#888' }}> → {t(`incidents.status.${e.toStatus}`)}</span>}
                    <div style={{ color: '#888', fontSize: 12 }}>
                      {e.actorName ?? t('incidents.system')} · {fmtTime(e.at)}
                    </div>
                    {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('incidents.linkedEvents')} style={{ marginBottom: 16 }}>
            {inc.events.length ? (
              <Table<CameraEvent>
                rowKey="id"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={inc.events}
                columns={[
                  {
                    title: t('incidents.eventAt'),
                    dataIndex: 'at',
                    // a camera whose clock was off: its own time under the one Linli stored
                    render: (v, e) =>
                      e.claimedAt && e.claimedAt !== v ? (
                        <>
                          {fmtTime(v)}
                          <br />
                          <Typography.Text type="secondary">{t('incidents.cameraTime', { at: fmtTime(e.claimedAt) })}</Typography.Text>
                        </>
                      ) : (
                        fmtTime(v)
                      ),
                  },
                  { title: t('incidents.col.kind'), dataIndex: 'kind', render: (k) => <KindTag kind={k} /> },
                  { title: t('incidents.source'), dataIndex: 'source', render: (s) => t(`incidents.sources.${s}`) },
                  {
                    title: t('incidents.detail'),
                    key: 'detail',
                    render: (_, e) => (
                      <Typography.Text type="secondary">
                        {Object.entries(e.detail)
                          .filter(([, v]) => v !== null && v !== '')
                          .map(([k, v]) => `${k}: ${String(v)}`)
                          .join('；')}
                      </Typography.Text>
                    ),
                  },
                  {
                    title: t('incidents.picture'),
                    dataIndex: 'pictureUrl',
                    render: (u) => (u ? <Image width={64} src={u} alt={t('incidents.picture')} /> : null),
                  },
                ]}
              />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
