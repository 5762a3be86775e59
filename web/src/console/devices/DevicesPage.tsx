import { useState } from 'react';
import { Badge, Button, Card, Form, Input, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { AppstoreOutlined, PlusOutlined, SearchOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { useCurrentPlace } from '../../shared/places';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import { placeText, statusColor, typeLabel, useDeviceTypes, type Device } from './api';
import { DeviceFormModal } from './DeviceFormModal';
import { DeviceMap } from './DeviceMap';

interface Filters {
  q?: string;
  typeCode?: string;
  status?: string;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={(statusColor[status] ?? 'default') as any} text={t(`deviceStatus.${status}`, { defaultValue: status })} />;
}

export default function DevicesPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const nav = useNavigate();
  const placeId = useCurrentPlace();
  const types = useDeviceTypes();
  const [sp, setSp] = useSearchParams();
  const view = sp.get('view') === 'map' ? 'map' : 'list';
  const [form] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);

  const {
    query: filterQuery,
    setFilters: search,
    list,
    tableProps,
  } = useListPage({
    filters: { q: 'text', typeCode: 'text', status: 'text' },
    queryKey: ['devices', 'list'],
    fetch: (q) => api.get('/api/v1/devices', { query: q }),
    extra: { placeId: placeId ?? undefined },
    form,
    refetchInterval: 10_000, // live status
    enabled: view === 'list',
  });
  const query = { ...filterQuery, placeId: placeId ?? undefined };
  const typeOptions = (types.data ?? []).map((x) => ({ value: x.code, label: typeLabel(types.data, x.code) }));

  return (
    <>
      <PageHead
        title={t('nav.devices')}
        extra={
          <Space>
            <Segmented
              aria-label={t('devices.view')}
              value={view}
              options={[
                { value: 'list', label: t('devices.viewList'), icon: <UnorderedListOutlined /> },
                { value: 'map', label: t('devices.viewMap'), icon: <AppstoreOutlined /> },
              ]}
              onChange={(v) =>
                setSp(
                  (prev) => {
                    const next = new URLSearchParams(prev);
                    if (v === 'map') next.set('view', 'map');
                    else next.delete('view');
                    return next;
                  },
                  { replace: true },
                )
              }
            />
            {can(me, 'create', 'Device') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('devices.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
          <Form.Item name="q" label={t('devices.name')}>
            <Input allowClear placeholder={t('devices.nameOrId')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="typeCode" label={t('devices.type')}>
            <Select allowClear options={typeOptions} style={{ width: 160 }} loading={types.isLoading} />
          </Form.Item>
          <Form.Item name="status" label={t('devices.status')}>
            <Select allowClear style={{ width: 120 }} options={['online', 'offline'].map((s) => ({ value: s, label: t(`deviceStatus.${s}`) }))} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                htmlType="button"
                onClick={() => {
                  form.resetFields();
                  search({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {view === 'map' ? (
        <DeviceMap filters={query} />
      ) : (
        <Card>
          {list.isError && (
            <div role="alert" style={{ color: '#cf1322', marginBottom: 8 }}>
              {errorMessage(list.error)}
            </div>
          )}
          {list.data?.totals && (
            <Space style={{ marginBottom: 12 }}>
              <Tag>{t('devices.totalN', { count: list.data.totals.total })}</Tag>
              <Tag color="success">{t('devices.onlineN', { count: list.data.totals.online })}</Tag>
              <Tag color="error">{t('devices.offlineN', { count: list.data.totals.offline })}</Tag>
            </Space>
          )}
          <Table<Device>
            {...tableProps}
            loading={list.isLoading}
            scroll={{ x: 1100 }}
            onRow={(r) => ({ onDoubleClick: () => nav(`/devices/${r.id}`) })}
            columns={[
              { title: t('devices.name'), dataIndex: 'name', fixed: 'left', render: (v, r) => <Link to={`/devices/${r.id}`}>{v}</Link> },
              { title: t('devices.type'), dataIndex: 'typeCode', render: (v, r) => r.typeName ?? typeLabel(types.data, v) },
              { title: t('devices.place'), key: 'place', render: (_, r) => placeText(r) },
              { title: t('devices.status'), dataIndex: 'status', render: (v) => <StatusBadge status={v} /> },
              // no "latest values" column: a row of the list answer carries none (the device page shows them)
              { title: t('devices.lastSeen'), dataIndex: 'lastSeenAt', render: (v) => fmtTime(v) },
              {
                title: t('devices.rejected'),
                dataIndex: 'rejectedCount',
                align: 'right',
                render: (v, r) =>
                  v ? (
                    <Tooltip title={r.lastError ? `${r.lastError} · ${fmtTime(r.lastErrorAt)}` : undefined}>
                      <Typography.Text type="danger">{v}</Typography.Text>
                    </Tooltip>
                  ) : (
                    (v ?? 0)
                  ),
              },
              { title: t('devices.lastError'), dataIndex: 'lastError', ellipsis: true, render: (v) => v ?? '' },
            ]}
          />
        </Card>
      )}
      <DeviceFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(d) => {
          setCreating(false);
          nav(`/devices/${d.id}`);
        }}
      />
    </>
  );
}
