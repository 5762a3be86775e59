import { Card, Col, Descriptions, Rate, Result, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { fen, useWorkOrder } from './api';
import { PhotoStrip } from './PhotoPicker';
import { WoActions } from './WoActions';
import { WoTimeline } from './WoTimeline';
import { PriorityTag, WoStatusTag } from './WorkOrderTable';

export default function WorkOrderPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const q = useWorkOrder(id, 30_000);
  if (q.isError) {
    const nf = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result status={nf ? '404' : 'error'} title={nf ? t('error.notFound') : errorMessage(q.error)} extra={<Link to="/workorders">{t('common.back')}</Link>} />
    );
  }
  const w = q.data;
  if (!w) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  return (
    <>
      <PageHead
        title={
          <Space>
            {w.number}
            <WoStatusTag status={w.status} />
            {w.overdue && <Tag color="red">{t('wo.overdue')}</Tag>}
          </Space>
        }
        extra={<Link to="/workorders">{t('common.back')}</Link>}
      />
      <Card style={{ marginBottom: 16 }} title={w.title} extra={<WoActions wo={w} />}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('wo.category')}>{w.categoryName}</Descriptions.Item>
          <Descriptions.Item label={t('wo.priority')}>
            <PriorityTag priority={w.priority} />
          </Descriptions.Item>
          <Descriptions.Item label={t('wo.source')}>
            {t(`woSource.${w.source}`, { defaultValue: w.source })}
            {w.alarmId && <Typography.Text type="secondary"> · {w.alarmId}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('wo.place')}>{w.placeLabel}</Descriptions.Item>
          <Descriptions.Item label={t('wo.resident')}>{w.residentName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('wo.assignee')}>{w.assigneeName ?? t('wo.unassigned')}</Descriptions.Item>
          <Descriptions.Item label={t('wo.preferredTime')}>{fmtTime(w.preferredTime) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('wo.respondBy')}>
            {fmtTime(w.respondBy)}
            {w.respondedAt && ` (${t('wo.respondedAt', { at: fmtTime(w.respondedAt) })})`}
          </Descriptions.Item>
          <Descriptions.Item label={t('wo.resolveBy')}>
            {fmtTime(w.resolveBy)}
            {w.resolvedAt && ` (${t('wo.resolvedAt', { at: fmtTime(w.resolvedAt) })})`}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>{fmtTime(w.createdAt)}</Descriptions.Item>
          {w.escalatedAt && <Descriptions.Item label={t('wo.escalatedAt')}>{fmtTime(w.escalatedAt)}</Descriptions.Item>}
          {w.rating !== null && (
            <Descriptions.Item label={t('wo.rating')}>
              <Rate disabled value={w.rating} /> {w.ratingComment}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{w.description}</Typography.Paragraph>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('wo.timeline')} style={{ marginBottom: 16 }}>
            <WoTimeline wo={w} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('photos.label')} style={{ marginBottom: 16 }}>
            {w.photos.length ? <PhotoStrip urls={w.photos.map((p) => p.url)} /> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
          </Card>
          <Card title={t('wo.costs')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={w.costs}
              columns={[
                { title: t('wo.costItem'), dataIndex: 'description' },
                { title: t('wo.costAmount'), dataIndex: 'amountFen', align: 'right', render: (v) => `¥${fen(v)}` },
                { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v) => fmtTime(v) },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>{t('wo.costTotal')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    ¥{fen(w.costTotalFen ?? 0)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} />
                </Table.Summary.Row>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
