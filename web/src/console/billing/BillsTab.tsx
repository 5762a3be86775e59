import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors } from '../../shared/api';
import { SubmitOnEnter } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import { useBillingAction, yuan, type Bill } from './api';

/** Bills of the community; status and the run shown live in the URL (`?tab=bills&runId=…&status=…`). */
export function BillsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<Bill[]>([]);
  const [adjusting, setAdjusting] = useState<Bill | null>(null);
  const [paying, setPaying] = useState(false);
  const [adjForm] = Form.useForm();
  const [payForm] = Form.useForm();
  // no status in the URL: the open bills (all of a run's bills when one is shown); 'all' clears the filter
  const { filters, setFilters, tableProps } = useListPage({
    filters: { status: 'text', runId: 'text' },
    queryKey: ['billing', 'bills'],
    extra: { communityId },
    fetch: ({ status, ...q }) =>
      api.get('/api/v1/billing/bills', { query: { ...q, status: status === 'all' ? undefined : (status ?? (q.runId ? undefined : 'open')) } }),
  });
  const runId = filters.runId;
  const status = filters.status === 'all' ? undefined : (filters.status ?? (runId ? undefined : 'open'));
  const adjust = useBillingAction(
    (v: { kind: 'credit' | 'debit'; amount: number; reason: string }, key: string) =>
      api.post('/api/v1/billing/bills/{id}/adjustments', {
        path: { id: adjusting!.id },
        body: { kind: v.kind, amountFen: Math.round(v.amount * 100), reason: v.reason },
        idempotencyKey: key,
      }),
    () => setAdjusting(null),
  );
  const offline = useBillingAction(
    (v: { channel: 'cash' | 'transfer'; offlineRef: string }, key: string) =>
      api.post('/api/v1/billing/payments/offline', {
        body: {
          billIds: selected.map((b) => b.id),
          channel: v.channel,
          amountFen: selected.reduce((s, b) => s + b.outstandingFen, 0),
          offlineRef: v.offlineRef,
        },
        idempotencyKey: key,
      }),
    () => {
      setPaying(false);
      setSelected([]);
    },
  );
  const sum = selected.reduce((s, b) => s + b.outstandingFen, 0);
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        {runId && (
          <Tag closable onClose={() => setFilters({ status: filters.status })}>
            {t('billing.bill.ofRun')}
          </Tag>
        )}
        <Select
          allowClear
          value={status}
          onChange={(v) => setFilters({ runId, status: v ?? 'all' })}
          placeholder={t('billing.bill.status')}
          style={{ width: 130 }}
          options={['draft', 'open', 'paid'].map((s) => ({ value: s, label: t(`billing.billStatus.${s}`) }))}
        />
        <Button
          disabled={!selected.length || selected.some((b) => b.status !== 'open') || new Set(selected.map((b) => b.houseId)).size !== 1}
          onClick={() => setPaying(true)}
        >
          {t('billing.bill.recordOffline')}
          {selected.length ? ` (${yuan(sum)})` : ''}
        </Button>
      </Space>
      <Table<Bill>
        {...tableProps}
        size="small"
        rowSelection={{
          selectedRowKeys: selected.map((b) => b.id),
          onChange: (_, rows) => setSelected(rows),
          getCheckboxProps: (b) => ({ disabled: b.status !== 'open' }),
        }}
        columns={[
          { title: t('billing.bill.number'), dataIndex: 'number' },
          { title: t('billing.bill.house'), render: (_, b) => b.houseName ?? '—' },
          { title: t('billing.bill.subject'), dataIndex: 'subject' },
          {
            title: t('billing.bill.amount'),
            render: (_, b) =>
              b.discountFen ? (
                <span>
                  {yuan(b.amountFen)} <Tag>{t('billing.bill.discount', { amount: yuan(b.discountFen) })}</Tag>
                </span>
              ) : (
                yuan(b.amountFen)
              ),
          },
          { title: t('billing.bill.lateFee'), render: (_, b) => (b.lateFeeFen ? yuan(b.lateFeeFen) : '—') },
          { title: t('billing.bill.adjust'), render: (_, b) => (b.adjustFen ? yuan(b.adjustFen) : '—') },
          { title: t('billing.bill.outstanding'), render: (_, b) => yuan(b.outstandingFen) },
          { title: t('billing.bill.due'), dataIndex: 'dueDate' },
          {
            title: t('billing.bill.status'),
            render: (_, b) => (
              <Tag color={b.status === 'paid' ? 'green' : b.status === 'open' ? 'orange' : 'default'}>{t(`billing.billStatus.${b.status}`)}</Tag>
            ),
          },
          {
            title: '',
            render: (_, b) =>
              b.status !== 'draft' && (
                <Button
                  size="small"
                  onClick={() => {
                    adjForm.resetFields();
                    setAdjusting(b);
                  }}
                >
                  {t('billing.bill.note')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!adjusting}
        title={t('billing.bill.noteTitle', { number: adjusting?.number })}
        onCancel={() => setAdjusting(null)}
        confirmLoading={adjust.isPending}
        onOk={() => adjForm.validateFields().then((v) => adjust.mutateAsync(v).catch((e) => applyFieldErrors(adjForm, e)))}
      >
        <Form form={adjForm} layout="vertical" initialValues={{ kind: 'credit' }} onFinish={(v) => adjust.mutate(v)}>
          <SubmitOnEnter />
          <Form.Item name="kind">
            <Radio.Group
              options={[
                { value: 'credit', label: t('billing.bill.credit') },
                { value: 'debit', label: t('billing.bill.debit') },
              ]}
            />
          </Form.Item>
          <Form.Item name="amount" label={t('billing.bill.amountYuan')} rules={[{ required: true }]}>
            <InputNumber min={0.01} step={0.01} precision={2} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="reason" label={t('billing.bill.reason')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={paying}
        title={t('billing.bill.recordOffline')}
        onCancel={() => setPaying(false)}
        confirmLoading={offline.isPending}
        onOk={() => payForm.validateFields().then((v) => offline.mutateAsync(v).catch((e) => applyFieldErrors(payForm, e)))}
      >
        <p>{t('billing.bill.offlineSum', { count: selected.length, amount: yuan(sum) })}</p>
        <Form form={payForm} layout="vertical" initialValues={{ channel: 'cash' }} onFinish={(v) => offline.mutate(v)}>
          <SubmitOnEnter />
          <Form.Item name="channel">
            <Radio.Group
              options={[
                { value: 'cash', label: t('billing.channel.cash') },
                { value: 'transfer', label: t('billing.channel.transfer') },
              ]}
            />
          </Form.Item>
          <Form.Item name="offlineRef" label={t('billing.bill.offlineRef')} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
