import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, downloadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { SubmitOnEnter } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import { useBillingAction, yuan, type Payment } from './api';

export function PaymentsTab({ communityId, canRefund }: { communityId: string; canRefund: boolean }) {
  const { t } = useTranslation();
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const [form] = Form.useForm();
  const { filters, setFilters, tableProps } = useListPage({
    filters: { status: 'text' },
    queryKey: ['billing', 'payments'],
    extra: { communityId },
    fetch: (q) => api.get('/api/v1/billing/payments', { query: q }),
    refetchInterval: 15_000,
  });
  const refund = useBillingAction(
    (v: { amount: number; reason: string }, key: string) =>
      api.post('/api/v1/billing/payments/{id}/refund', {
        path: { id: refunding!.id },
        body: { amountFen: Math.round(v.amount * 100), reason: v.reason },
        idempotencyKey: key,
      }),
    () => setRefunding(null),
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          value={filters.status}
          onChange={(v) => setFilters({ status: v })}
          placeholder={t('billing.payment.status')}
          style={{ width: 140 }}
          options={['pending', 'paid', 'closed', 'refunded'].map((s) => ({ value: s, label: t(`billing.paymentStatus.${s}`) }))}
        />
      </Space>
      <Table<Payment>
        {...tableProps}
        size="small"
        columns={[
          { title: t('billing.payment.createdAt'), render: (_, p) => fmtTime(p.createdAt) },
          { title: t('billing.payment.channel'), render: (_, p) => t(`billing.channel.${p.channel}`) },
          { title: t('billing.payment.amount'), render: (_, p) => yuan(p.amountFen) },
          {
            title: t('billing.payment.status'),
            render: (_, p) => (
              <Tag color={p.status === 'paid' ? 'green' : p.status === 'pending' ? 'blue' : 'default'}>{t(`billing.paymentStatus.${p.status}`)}</Tag>
            ),
          },
          {
            title: t('billing.payment.receiptNo'),
            render: (_, p) => (p.receiptNo ? <a href={downloadUrl('/api/v1/payments/{id}/receipt.pdf', { path: { id: p.id } })}>{p.receiptNo}</a> : '—'),
          },
          { title: t('billing.payment.ref'), render: (_, p) => p.tradeNo ?? p.offlineRef ?? p.outTradeNo },
          { title: t('billing.payment.refunded'), render: (_, p) => (p.refundedFen ? yuan(p.refundedFen) : '—') },
          { title: t('billing.payment.paidAt'), render: (_, p) => fmtTime(p.paidAt) },
          {
            title: '',
            render: (_, p) =>
              canRefund &&
              p.status === 'paid' && (
                <Button
                  size="small"
                  onClick={() => {
                    form.resetFields();
                    setRefunding(p);
                  }}
                >
                  {t('billing.payment.refund')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!refunding}
        title={t('billing.payment.refund')}
        onCancel={() => setRefunding(null)}
        confirmLoading={refund.isPending}
        onOk={() => form.validateFields().then((v) => refund.mutateAsync(v).catch((e) => applyFieldErrors(form, e)))}
      >
        <Form form={form} layout="vertical" onFinish={(v) => refund.mutate(v)}>
          <SubmitOnEnter />
          <Form.Item
            name="amount"
            label={t('billing.payment.refundAmount', { max: refunding ? yuan(refunding.amountFen - refunding.refundedFen) : '' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0.01} step={0.01} precision={2} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="reason" label={t('billing.bill.reason')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
