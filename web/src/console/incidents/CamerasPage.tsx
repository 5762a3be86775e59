import { useState } from 'react';
import { App, Badge, Button, Card, Form, Input, InputNumber, Modal, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead, SubmitOnEnter } from '../../shared/ui';
import { saveCamera, type Camera } from './api';
import { useListPage } from '../../shared/useListPage';

/** "3 d 4 h" / "12 min": the two largest units of a clock offset. */
/** The camera form: text fields may be emptied (''), which clears the value. */
type CameraForm = { [K in 'location' | 'streamUrl' | 'mac' | 'ip' | 'timeZone']?: string } & { channel?: number | '' };

function offsetText(t: (k: string, o?: Record<string, unknown>) => string, seconds: number): string {
  let s = Math.abs(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n && parts.length < 2) parts.push(t(`incidents.clock.${unit}`, { n }));
  }
  return parts.join(' ') || t('incidents.clock.s', { n: 0 });
}

function ClockTag({ c }: { c: Camera }) {
  const { t } = useTranslation();
  if (!c.clockSkewed || c.clockSkewSeconds == null) return null;
  const offset = offsetText(t, c.clockSkewSeconds);
  return (
    <Tooltip title={t('incidents.clock.tip', { at: fmtTime(c.clockCheckedAt), offset })}>
      <Tag color="warning">{t(c.clockSkewSeconds > 0 ? 'incidents.clock.ahead' : 'incidents.clock.behind', { offset })}</Tag>
    </Tooltip>
  );
}

export default function CamerasPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Camera | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const {
    filters,
    setFilters,
    list: q,
    tableProps,
  } = useListPage({
    filters: { health: 'text' },
    queryKey: ['cameras'],
    pageSize: 50,
    fetch: (query) => api.get('/api/v1/cameras', { query }),
    refetchInterval: 30_000,
  });
  const health = filters.health ?? 'all';

  const edit = (c: Camera) => {
    form.setFieldsValue({ location: c.location, streamUrl: c.streamUrl, mac: c.mac, ip: c.ip, channel: c.channel, timeZone: c.timeZone });
    setEditing(c);
  };
  const save = async (v: CameraForm) => {
    setBusy(true);
    try {
      // an emptied field clears the value
      const blank = <T,>(x: T | '' | undefined): T | null => (x === '' || x === undefined ? null : x);
      const body = {
        location: blank(v.location),
        streamUrl: blank(v.streamUrl),
        mac: blank(v.mac),
        ip: blank(v.ip),
        channel: blank(v.channel),
        timeZone: blank(v.timeZone),
      };
      await saveCamera(editing!.id, body);
      message.success(t('common.saved'));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['cameras'] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHead title={t('incidents.cameras')} extra={<Link to="/incidents">{t('incidents.title')}</Link>} />
      <Card>
        <Segmented
          style={{ marginBottom: 16 }}
          value={health}
          onChange={(v) => setFilters({ health: v === 'all' ? undefined : String(v) })}
          options={[
            { value: 'all', label: t('incidents.view.all') },
            {
              value: 'online',
              label: (
                <Space>
                  {t('incidents.health.online')}
                  <Badge count={q.data?.totals.online ?? 0} color="green" showZero />
                </Space>
              ),
            },
            {
              value: 'offline',
              label: (
                <Space>
                  {t('incidents.health.offline')}
                  <Badge count={q.data?.totals.offline ?? 0} showZero />
                </Space>
              ),
            },
          ]}
        />
        <Table<Camera>
          {...tableProps}
          pagination={{ ...tableProps.pagination, hideOnSinglePage: true }}
          columns={[
            { title: t('incidents.camera'), dataIndex: 'name' },
            { title: t('incidents.col.place'), key: 'loc', render: (_, c) => c.location ?? c.placeName },
            {
              title: t('incidents.healthLabel'),
              dataIndex: 'health',
              render: (h, c) => (
                <Space size={4} wrap>
                  <Badge status={h === 'online' ? 'success' : 'default'} text={t(`incidents.health.${h}`)} />
                  <ClockTag c={c} />
                </Space>
              ),
            },
            { title: t('incidents.lastSeen'), dataIndex: 'lastSeenAt', render: (v) => fmtTime(v) || '—' },
            {
              title: t('incidents.stream'),
              dataIndex: 'streamUrl',
              render: (u) =>
                u ? (
                  <Typography.Text code copyable={{ text: u }}>
                    {u}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              key: 'act',
              render: (_, c) =>
                c.canManage ? (
                  <Button size="small" onClick={() => edit(c)}>
                    {t('common.edit')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!editing}
        title={editing?.name}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="location" label={t('incidents.location')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="streamUrl" label={t('incidents.stream')} extra={t('incidents.streamHint')}>
            <Input maxLength={500} placeholder="rtsp://user:pass@192.168.1.64:554/Streaming/Channels/101" />
          </Form.Item>
          <Space>
            <Form.Item name="mac" label="MAC">
              <Input maxLength={20} placeholder="44:19:b6:00:00:01" />
            </Form.Item>
            <Form.Item name="ip" label="IP">
              <Input maxLength={45} />
            </Form.Item>
            <Form.Item name="channel" label={t('incidents.channel')}>
              <InputNumber min={1} max={512} />
            </Form.Item>
          </Space>
          <Form.Item name="timeZone" label={t('incidents.timeZone')} extra={t('incidents.timeZoneHint')}>
            <Input maxLength={64} placeholder="Asia/Shanghai" />
          </Form.Item>
          <SubmitOnEnter />
        </Form>
      </Modal>
    </>
  );
}
