import { Alert, Button, Card, Col, Result, Row, Space, Statistic } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../../shared/api/models';
import { downloadUrl } from '../../shared/api';

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
