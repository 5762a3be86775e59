import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Select, Space, Table, Tag, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, baseHeaders, errorMessage, uploadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useBillingAction, type Reading } from './api';

export function ReadingsTab({ communityId }: { communityId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [status, setStatus] = useState<string | undefined>('flagged');
  const [form] = Form.useForm();
  const items = useQuery({
    queryKey: ['billing', 'fee-items', communityId],
    queryFn: () => api.get('/api/v1/billing/fee-items', { query: { communityId } }),
  });
  const meters = (items.data?.items ?? []).filter((f) => f.kind === 'water' || f.kind === 'electricity');
  const q = useQuery({
    queryKey: ['billing', 'readings', communityId, status],
    queryFn: () => api.get('/api/v1/billing/readings', { query: { communityId, status } }),
  });
  const review = useBillingAction((a: { id: string; accept: boolean }) =>
    api.post('/api/v1/billing/readings/{id}/review', { path: { id: a.id }, body: { accept: a.accept } }),
  );
  const add = useBillingAction(
    (v: { houseId: string; feeItemId: string; period: string; reading: number }) => api.post('/api/v1/billing/readings', { body: v }),
    (r) => {
      form.resetFields(['reading']);
      void message.info(r.status === 'flagged' ? t(`billing.flag.${r.flag}`) : t('common.saved'));
    },
  );
  const [meterPeriod, setMeterPeriod] = useState('');
  const fromMeters = useBillingAction(
    (period: string) =>
      api.post('/api/v1/billing/readings/from-telemetry', {
        body: {
          communityId,
          period,
        },
      }),
    (r) => {
      void message.success(t('billing.reading.fromMetersDone', r));
    },
  );
  const itemName = (id: string) => meters.find((f) => f.id === id)?.[i18n.language === 'en' ? 'nameEn' : 'nameZh'] ?? id;
  return (
    <>
      <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={(v) => add.mutateAsync(v).catch((e) => applyFieldErrors(form, e))}>
        <Form.Item name="houseId" rules={[{ required: true }]}>
          <Input placeholder={t('billing.reading.houseId')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="feeItemId" rules={[{ required: true }]}>
          <Select placeholder={t('billing.reading.item')} style={{ width: 120 }} options={meters.map((f) => ({ value: f.id, label: itemName(f.id) }))} />
        </Form.Item>
        <Form.Item name="period" rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'YYYY-MM' }]}>
          <Input placeholder="YYYY-MM" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="reading" rules={[{ required: true }]}>
          <InputNumber min={0} placeholder={t('billing.reading.value')} />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending}>
          {t('billing.reading.add')}
        </Button>
        <Upload
          accept=".xlsx"
          showUploadList={false}
          name="file"
          action={uploadUrl('/api/v1/billing/readings/import', { query: { communityId } })}
          headers={baseHeaders('POST')}
          onChange={(info) => {
            if (info.file.status === 'done') {
              const r = info.file.response as { ok: number; flagged: number; rejected: { row: number; message: string }[] };
              void message.success(t('billing.reading.imported', { ok: r.ok, flagged: r.flagged, rejected: r.rejected.length }));
              void qc.invalidateQueries({ queryKey: ['billing'] });
            } else if (info.file.status === 'error') void message.error(errorMessage(info.file.response?.title ?? info.file.error));
          }}
        >
          <Button>{t('billing.reading.import')}</Button>
        </Upload>
      </Form>
      <Space style={{ marginBottom: 12 }}>
        <Input
          placeholder="YYYY-MM"
          aria-label={t('billing.reading.fromMetersPeriod')}
          value={meterPeriod}
          onChange={(e) => setMeterPeriod(e.target.value.trim())}
          style={{ width: 100 }}
        />
        <Button disabled={!/^\d{4}-(0[1-9]|1[0-2])$/.test(meterPeriod)} loading={fromMeters.isPending} onClick={() => fromMeters.mutate(meterPeriod)}>
          {t('billing.reading.fromMeters')}
        </Button>
      </Space>
      <Space style={{ marginBottom: 8 }}>
        <Select
          allowClear
          value={status}
          onChange={setStatus}
          placeholder={t('billing.reading.status')}
          style={{ width: 160 }}
          options={['ok', 'flagged', 'accepted', 'rejected'].map((s) => ({ value: s, label: t(`billing.readingStatus.${s}`) }))}
        />
      </Space>
      <Table<Reading>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('billing.reading.period'), dataIndex: 'period' },
          { title: t('billing.reading.houseId'), dataIndex: 'houseId' },
          { title: t('billing.reading.item'), render: (_, r) => itemName(r.feeItemId) },
          { title: t('billing.reading.value'), dataIndex: 'reading' },
          { title: t('billing.reading.previous'), render: (_, r) => r.previous ?? '—' },
          { title: t('billing.reading.use'), render: (_, r) => r.use ?? '—' },
          {
            title: t('billing.reading.status'),
            render: (_, r) => (
              <Tag color={r.status === 'flagged' ? 'orange' : r.status === 'rejected' ? 'red' : 'green'}>
                {t(`billing.readingStatus.${r.status}`)}
                {r.flag ? ` · ${t(`billing.flag.${r.flag}`)}` : ''}
              </Tag>
            ),
          },
          { title: t('billing.reading.at'), render: (_, r) => fmtTime(r.createdAt) },
          {
            title: '',
            render: (_, r) =>
              r.status === 'flagged' && (
                <Space>
                  <Button size="small" onClick={() => review.mutate({ id: r.id, accept: true })}>
                    {t('billing.reading.accept')}
                  </Button>
                  <Button size="small" danger onClick={() => review.mutate({ id: r.id, accept: false })}>
                    {t('billing.reading.reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
    </>
  );
}
