import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { SubmitOnEnter } from '../../shared/ui';
import { postOnce, useBillingAction, yuan, type Payment } from './api';

export function PaymentsTab({ communityId, canRefund }: { communityId: string; canRefund: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['billing', 'payments', communityId, status, page],
    queryFn: () => api.get<{ items: Payment[]; total: number }>('/api/v1/billing/payments', { communityId, status, page, pageSize: 20 }),
    refetchInterval: 15_000,
  });
  const refund = useBillingAction(
    (v: { amount: number; reason: string }, key: string) =>
      postOnce(`/api/v1/billing/payments/${refunding!.id}/refund`, { amountFen: Math.round(v.amount * 100), reason: v.reason }, key),
    () => setRefunding(null),
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          placeholder={t('billing.payment.status')}
          style={{ width: 140 }}
          options={['pending', 'paid', 'closed', 'refunded'].map((s) => ({ value: s, label: t(`billing.paymentStatus.${s}`) }))}
        />
      </Space>
      <Table<Payment>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={{ current: page, pageSize: 20, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
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
          { title: t('billing.payment.receiptNo'), render: (_, p) => (p.receiptNo ? <a href={`/api/v1/payments/${p.id}/receipt.pdf`}>{p.receiptNo}</a> : '—') },
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
