import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Result, Row, Spin, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { AlarmTable } from '../alarms/AlarmTable';
import { useAlarmStream } from '../alarms/api';
import { WorkOrderTable } from '../workorders/WorkOrderTable';
import { keyText, placeText } from './api';
import { StatusBadge } from './DevicesPage';
import { SecretModal } from './DeviceFormModal';
import { TelemetryChart } from './TelemetryChart';

const fmtTs = (ts: number | string) => fmtTime(typeof ts === 'number' ? new Date(ts).toISOString() : ts);

export default function DevicePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe().data!;
  const { message, modal } = App.useApp();
  const [key, setKey] = useState<string | undefined>();
  const [secret, setSecret] = useState<string | null>(null);
  useAlarmStream();

  const q = useQuery({
    queryKey: ['devices', 'one', id],
    queryFn: () => api.get('/api/v1/devices/{id}', { path: { id } }),
    refetchInterval: 10_000,
  });
  const alarms = useQuery({
    queryKey: ['alarms', 'device', id],
    queryFn: () => api.get('/api/v1/alarms', { query: { deviceId: id, page: 1, pageSize: 100 } }),
    enabled: can(me, 'read', 'Alarm'),
    refetchInterval: 10_000,
  });
  const d = q.data;
  // Work orders have no device filter: take the orders raised by this device's alarms.
  const alarmIds = new Set((alarms.data?.items ?? []).map((a) => a.id));
  const orders = useQuery({
    queryKey: ['work-orders', 'device', id, d?.placeId],
    queryFn: () => api.get('/api/v1/work-orders', { query: { placeId: d!.placeId, source: 'alarm', page: 1, pageSize: 100 } }),
    enabled: !!d && can(me, 'read', 'WorkOrder'),
  });
  const rejects = useQuery({
    queryKey: ['devices', 'rejects', id],
    queryFn: () => api.get('/api/v1/devices/{id}/rejects', { path: { id } }),
    enabled: !!d && (d.rejectedCount ?? 0) > 0,
  });

  if (q.isError) {
    const nf = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result status={nf ? '404' : 'error'} title={nf ? t('error.notFound') : errorMessage(q.error)} extra={<Link to="/devices">{t('common.back')}</Link>} />
    );
  }
  if (!d) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const keys = d.type?.telemetry ?? [];
  const chosen = key ?? d.latest[0]?.key ?? keys[0]?.key;

  const rotate = () =>
    modal.confirm({
      title: t('devices.rotateConfirm'),
      content: t('devices.rotateHint'),
      okText: t('devices.rotate'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await api.post('/api/v1/devices/{id}/rotate-secret', { path: { id: d.id } });
          setSecret(r.secret);
          void q.refetch();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  return (
    <>
      <PageHead
        title={
          <Space>
            {d.name}
            <StatusBadge status={d.status} />
          </Space>
        }
        extra={
          <Space>
            <Link to="/devices">{t('common.back')}</Link>
            {can(me, 'rotate', 'Device') && (
              <Button icon={<KeyOutlined />} onClick={rotate}>
                {t('devices.rotate')}
              </Button>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('devices.deviceId')}>
            <Typography.Text copyable>{d.id}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('devices.type')}>{d.typeName ?? d.typeCode}</Descriptions.Item>
          <Descriptions.Item label={t('devices.place')}>{placeText(d)}</Descriptions.Item>
          <Descriptions.Item label={t('devices.lastSeen')}>{fmtTime(d.lastSeenAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.secretRotatedAt')}>{fmtTime(d.secretRotatedAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.rejected')}>
            <Typography.Text type={d.rejectedCount ? 'danger' : undefined}>{d.rejectedCount ?? 0}</Typography.Text>
            {d.lastError && (
              <span style={{ color: '#888' }}>
                {' '}
                · {d.lastError} · {fmtTime(d.lastErrorAt)}
              </span>
            )}
            {d.throttledUntil && (
              <Tag color="orange" style={{ marginLeft: 8 }}>
                {t('devices.throttledUntil', { at: fmtTime(d.throttledUntil) })}
              </Tag>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('devices.latest')} style={{ marginBottom: 16 }}>
        {d.latest.length === 0 ? (
          <Empty description={t('devices.noData')} />
        ) : (
          <Row gutter={[16, 16]}>
            {d.latest.map((l) => (
              <Col key={l.key} xs={12} md={8} xl={6}>
                <Card size="small" hoverable onClick={() => setKey(l.key)} style={l.outOfRange ? { borderColor: '#ff4d4f' } : undefined}>
                  <Statistic
                    title={keyText(l)}
                    value={l.value ?? '—'}
                    suffix={l.unit ?? undefined}
                    valueStyle={l.outOfRange ? { color: '#cf1322' } : undefined}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtTs(l.ts)}
                  </Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
        )}
      </Card>

      <Card
        title={t('devices.charts')}
        style={{ marginBottom: 16 }}
        extra={
          <Form layout="inline">
            <Form.Item label={t('devices.chartKey')} htmlFor="chart-key" style={{ margin: 0 }}>
              <Select
                id="chart-key"
                style={{ width: 200 }}
                value={chosen}
                onChange={setKey}
                options={keys.map((k) => ({ value: k.key, label: `${keyText(k)}${k.unit ? ` (${k.unit})` : ''}` }))}
              />
            </Form.Item>
          </Form>
        }
      >
        {chosen ? (
          <Tabs
            items={[
              { key: '24h', label: t('devices.last24h'), children: <TelemetryChart deviceId={d.id} telemetryKey={chosen} days={1} /> },
              { key: '30d', label: t('devices.last30d'), children: <TelemetryChart deviceId={d.id} telemetryKey={chosen} days={30} /> },
            ]}
          />
        ) : (
          <Empty description={t('devices.noData')} />
        )}
      </Card>

      {rejects.data && rejects.data.byReason.length > 0 && (
        <Card title={t('devices.rejects')} style={{ marginBottom: 16 }}>
          <Table
            rowKey="reason"
            size="small"
            pagination={false}
            dataSource={rejects.data.byReason}
            columns={[
              { title: t('devices.reason'), dataIndex: 'reason', render: (v) => t(`rejectReason.${v}`, { defaultValue: v }) },
              { title: t('devices.count'), dataIndex: 'count', align: 'right' },
              { title: t('devices.lastAt'), dataIndex: 'lastAt', render: (v) => fmtTime(v) },
              { title: t('devices.lastDetail'), dataIndex: 'lastDetail', ellipsis: true },
            ]}
          />
        </Card>
      )}

      {can(me, 'read', 'Alarm') && (
        <Card title={t('devices.alarmHistory')} style={{ marginBottom: 16 }}>
          <AlarmTable items={alarms.data?.items ?? []} loading={alarms.isLoading} showDevice={false} />
        </Card>
      )}
      {can(me, 'read', 'WorkOrder') && (
        <Card title={t('devices.workOrders')}>
          <WorkOrderTable items={(orders.data?.items ?? []).filter((w) => w.alarmId && alarmIds.has(w.alarmId))} loading={orders.isLoading} />
        </Card>
      )}
      <SecretModal deviceId={d.id} secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
