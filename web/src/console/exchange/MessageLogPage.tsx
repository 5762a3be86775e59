import { Alert, Button, Card, Space } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { MessageLogTable } from './MessageLogTable';

/** 交换日志: the message log with its verification status (hash chain, signed checkpoints). */
export default function MessageLogPage() {
  const { t } = useTranslation();
  const v = useQuery({ queryKey: ['exchange', 'verification'], queryFn: () => api.get('/api/v1/exchange/messages/verification') });
  const r = v.data;
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeOut.nav.messages')}</h1>
      </div>
      <Card style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {v.isError && <Alert type="error" showIcon message={errorMessage(v.error)} />}
          {r && (
            <Alert
              type={r.ok ? 'success' : 'error'}
              showIcon
              icon={<SafetyCertificateOutlined />}
              message={
                r.ok
                  ? t('exchangeOut.verify.ok', { entries: r.entries, checkpoints: r.checkpoints })
                  : t('exchangeOut.verify.broken', { count: r.problems.length })
              }
              description={
                <>
                  {t('exchangeOut.verify.checkedAt', { at: fmtTime(r.checkedAt) })}
                  {r.unanchored > 0 && <> · {t('exchangeOut.verify.unanchored', { count: r.unanchored })}</>}
                  {!r.ok && (
                    <ul>
                      {r.problems.slice(0, 20).map((p, i) => (
                        <li key={i}>{p.message}</li>
                      ))}
                    </ul>
                  )}
                </>
              }
            />
          )}
          <Button onClick={() => v.refetch()} loading={v.isFetching}>
            {t('exchangeOut.verify.again')}
          </Button>
        </Space>
      </Card>
      <Card>
        <MessageLogTable />
      </Card>
    </>
  );
}
