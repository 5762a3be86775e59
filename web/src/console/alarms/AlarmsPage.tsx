import { useState } from 'react';
import { Badge, Card, Form, Select, Space, Statistic, Row, Col } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { useCurrentPlace } from '../../shared/places';
import { PageHead } from '../../shared/ui';
import { useAlarmStream, type AlarmList } from './api';
import { AlarmTable } from './AlarmTable';

const severities = ['critical', 'major', 'minor', 'warning'] as const;

/** 告警实时 — active and acknowledged alarms, live over SSE and polled every 10 s. */
export default function AlarmsPage() {
  const { t } = useTranslation();
  const placeId = useCurrentPlace();
  const [status, setStatus] = useState<string>('open');
  const [severity, setSeverity] = useState<string | undefined>();
  useAlarmStream();

  const query = { placeId: placeId ?? undefined, status, severity };
  const q = useQuery({
    queryKey: ['alarms', 'feed', query],
    queryFn: () => api.get('/api/v1/alarms', { query: { ...query, page: 1, pageSize: 200 } }),
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
  const items = q.data?.items ?? [];
  const count = (s: string) =>
    q.data?.totals?.bySeverity?.[s as keyof NonNullable<AlarmList['totals']>['bySeverity']] ??
    items.filter((a) => a.severity === s && a.status !== 'cleared').length;

  return (
    <>
      <PageHead
        title={
          <Space>
            {t('nav.alarms')}
            <Badge status="processing" text={t('alarms.live')} />
          </Space>
        }
      />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {severities.map((s) => (
          <Col key={s} xs={12} md={6}>
            <Card size="small" className={`alarm-stat alarm-${s}`}>
              <Statistic title={t(`severity.${s}`)} value={count(s)} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('alarms.status')} htmlFor="alarm-status">
            <Select
              id="alarm-status"
              value={status}
              onChange={setStatus}
              style={{ width: 180 }}
              options={[
                { value: 'open', label: t('alarms.open') },
                { value: 'active', label: t('alarmStatus.active') },
                { value: 'acknowledged', label: t('alarmStatus.acknowledged') },
                { value: 'cleared', label: t('alarmStatus.cleared') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('alarms.severity')} htmlFor="alarm-severity">
            <Select
              id="alarm-severity"
              allowClear
              value={severity}
              onChange={setSeverity}
              style={{ width: 140 }}
              options={severities.map((s) => ({ value: s, label: t(`severity.${s}`) }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {q.isError && (
          <div role="alert" style={{ color: '#cf1322', marginBottom: 8 }}>
            {errorMessage(q.error)}
          </div>
        )}
        <section aria-label={t('alarms.feed')} aria-live="polite">
          <AlarmTable items={items} loading={q.isLoading} />
        </section>
      </Card>
    </>
  );
}
