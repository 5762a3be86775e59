import { Alert, Button, Card, Col, Result, Row, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../../shared/api/models';
import { downloadUrl } from '../../shared/api';

type Kind = 'estate' | 'building' | 'unit' | 'house';
/** The places a run created (a dry run: would create). In the server's ImportView; the generated types get them when the lead regenerates. */
type WithPlaces = ImportJob;
const LISTED = 1000; // NEW_PLACES_LISTED on the server

function NewPlaces({ job }: { job: WithPlaces }) {
  const { t } = useTranslation();
  const counts = job.newPlaceCounts ?? { estate: 0, building: 0, unit: 0, house: 0 };
  const total = counts.estate + counts.building + counts.unit + counts.house;
  const list = job.newPlaces ?? [];
  return (
    <div style={{ marginTop: 24 }} data-testid="new-places">
      <Typography.Title level={5}>
        {job.dryRun ? t('imports.newPlacesDry') : t('imports.newPlacesReal')} ({total})
      </Typography.Title>
      {total === 0 ? (
        <Typography.Paragraph type="secondary">{t('imports.newPlacesNone')}</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph>
            {t('imports.newPlaceCounts', counts)}
            {total > list.length ? ` (${t('imports.newPlacesShown', { shown: Math.min(list.length, LISTED) })})` : ''}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(r) => `${r.kind}:${r.path}`}
            dataSource={list}
            pagination={list.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            columns={[
              { title: t('imports.placeKind'), dataIndex: 'kind', width: 100, render: (k: Kind) => t(`placeKind.${k}`) },
              { title: t('imports.placePath'), dataIndex: 'path' },
            ]}
          />
        </>
      )}
    </div>
  );
}

export function ResultStep({ job, onRunForReal, onRestart }: { job: ImportJob; onRunForReal: () => void; onRestart: () => void }) {
  const { t } = useTranslation();
  if (job.status === 'failed') {
    return <Result status="error" title={t('imports.failed')} subTitle={job.error ?? ''} extra={<Button onClick={onRestart}>{t('imports.restart')}</Button>} />;
  }
  const reportUrl = job.reportUrl || downloadUrl('/api/v1/imports/{id}/report.xlsx', { path: { id: job.id } });
  return (
    <>
      <Alert
        type={job.dryRun ? 'info' : job.rejected > 0 ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 16 }}
        message={job.dryRun ? t('imports.dryRunDone') : t('imports.done')}
      />
      <Row gutter={16}>
        <Col xs={8}>
          <Card>
            <Statistic title={job.dryRun ? t('imports.wouldImport') : t('imports.imported')} value={job.imported} valueStyle={{ color: '#389e0d' }} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card>
            <Statistic title={t('imports.unchanged')} value={job.unchanged} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card>
            <Statistic title={t('imports.rejected')} value={job.rejected} valueStyle={{ color: job.rejected ? '#cf1322' : undefined }} />
          </Card>
        </Col>
      </Row>
      {job.rejected > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('imports.rowNumbering')}
        </Typography.Paragraph>
      )}
      <NewPlaces job={job} />
      <Space style={{ marginTop: 24 }} wrap>
        {job.rejected > 0 && (
          <a href={reportUrl} download>
            <DownloadOutlined /> {t('imports.downloadReport')}
          </a>
        )}
        {job.dryRun && (
          <Button type="primary" onClick={onRunForReal}>
            {t('imports.continueImport')}
          </Button>
        )}
        <Button onClick={onRestart}>{t('imports.another')}</Button>
      </Space>
    </>
  );
}
