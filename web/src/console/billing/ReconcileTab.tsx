import { useState } from 'react';
import { Alert, App, Button, Card, Table, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { baseHeaders, errorMessage, uploadUrl, type ApiOk } from '../../shared/api';
import { yuan } from './api';

type Report = ApiOk<'/api/v1/billing/reconciliation', 'post'>;

export function ReconcileTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [report, setReport] = useState<Report | null>(null);
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('billing.reconcile.hint')} />
      <Upload
        accept=".csv,text/csv"
        showUploadList={false}
        name="file"
        action={uploadUrl('/api/v1/billing/reconciliation', { query: { communityId } })}
        headers={baseHeaders('POST')}
        onChange={(info) => {
          if (info.file.status === 'done') setReport(info.file.response as Report);
          else if (info.file.status === 'error') void message.error(errorMessage(info.file.response?.title ?? info.file.error));
        }}
      >
        <Button type="primary">{t('billing.reconcile.upload')}</Button>
      </Upload>
      {report && (
        <div style={{ marginTop: 16 }}>
          <Alert
            type={report.missing.length + report.extra.length + report.mismatched.length ? 'warning' : 'success'}
            showIcon
            message={t('billing.reconcile.summary', {
              rows: report.rows,
              matched: report.matched,
              missing: report.missing.length,
              extra: report.extra.length,
              mismatched: report.mismatched.length,
            })}
          />
          <Card size="small" title={t('billing.reconcile.missing')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="outTradeNo"
              pagination={false}
              dataSource={report.missing}
              columns={[
                { title: t('billing.reconcile.order'), dataIndex: 'outTradeNo' },
                { title: t('billing.payment.ref'), dataIndex: 'tradeNo' },
                { title: t('billing.payment.amount'), render: (_, r) => yuan(r.amountFen) },
              ]}
            />
          </Card>
          <Card size="small" title={t('billing.reconcile.extra')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="outTradeNo"
              pagination={false}
              dataSource={report.extra}
              columns={[
                { title: t('billing.reconcile.order'), dataIndex: 'outTradeNo' },
                { title: t('billing.payment.amount'), render: (_, r) => yuan(r.amountFen) },
              ]}
            />
          </Card>
          <Card size="small" title={t('billing.reconcile.mismatched')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="outTradeNo"
              pagination={false}
              dataSource={report.mismatched}
              columns={[
                { title: t('billing.reconcile.order'), dataIndex: 'outTradeNo' },
                { title: t('billing.reconcile.statement'), render: (_, r) => yuan(r.statementFen) },
                { title: t('billing.reconcile.ours'), render: (_, r) => yuan(r.oursFen) },
              ]}
            />
          </Card>
        </div>
      )}
    </>
  );
}
