import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, type ApiBody } from '../../shared/api';
import { SubmitOnEnter } from '../../shared/ui';
import { priceYuan, useBillingAction, type FeeItem } from './api';

type NewFeeItem = ApiBody<'/api/v1/billing/fee-items'>;
const kinds: NewFeeItem['kind'][] = ['property', 'water', 'electricity', 'parking', 'one_off', 'deposit'];

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: NewFeeItem['kind'];
  price: number;
  rounding: NewFeeItem['rounding'];
  roundingUnit: NewFeeItem['roundingUnit'];
  dueDays: number;
  lateGraceDays: number;
  lateRatePermille: number;
  lateCapPercent: number;
  lowIncomeOff?: number;
}

export function FeeItemsTab({ communityId }: { communityId: string }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const q = useQuery({
    queryKey: ['billing', 'fee-items', communityId],
    queryFn: () => api.get('/api/v1/billing/fee-items', { query: { communityId } }),
  });
  const create = useBillingAction(
    (v: FormValues) =>
      api.post('/api/v1/billing/fee-items', {
        body: {
          communityId,
          code: v.code,
          nameZh: v.nameZh,
          nameEn: v.nameEn,
          kind: v.kind,
          unitPrice: Math.round(v.price * 10000),
          rounding: v.rounding,
          roundingUnit: v.roundingUnit,
          dueDays: v.dueDays,
          lateGraceDays: v.lateGraceDays,
          lateRateBp: Math.round(v.lateRatePermille * 10),
          lateCapBp: Math.round(v.lateCapPercent * 100),
          discounts: v.lowIncomeOff ? [{ tag: 'low_income', percentOff: v.lowIncomeOff }] : [],
        },
      }),
    () => {
      setOpen(false);
      form.resetFields();
    },
  );
  const en = i18n.language === 'en';
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setOpen(true)}>
          {t('billing.fee.new')}
        </Button>
      </Space>
      <Table<FeeItem>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        pagination={false}
        columns={[
          { title: t('billing.fee.code'), dataIndex: 'code' },
          { title: t('billing.fee.name'), render: (_, f) => (en ? f.nameEn : f.nameZh) },
          { title: t('billing.fee.kind'), render: (_, f) => t(`billing.kind.${f.kind}`) },
          {
            title: t('billing.fee.price'),
            render: (_, f) =>
              f.tiers.length ? f.tiers.map((x) => `${x.upTo === null ? '∞' : x.upTo / 100}:${priceYuan(x.unitPrice)}`).join(' / ') : priceYuan(f.unitPrice),
          },
          { title: t('billing.fee.rounding'), render: (_, f) => `${t(`billing.rounding.${f.rounding}`)} · ${t(`billing.unit.${f.roundingUnit}`)}` },
          {
            title: t('billing.fee.late'),
            render: (_, f) => (f.lateRateBp ? t('billing.fee.lateText', { grace: f.lateGraceDays, rate: f.lateRateBp / 10, cap: f.lateCapBp / 100 }) : '—'),
          },
          {
            title: t('billing.fee.discounts'),
            render: (_, f) =>
              f.discounts.map((d) => (
                <Tag key={d.tag}>
                  {t(`billing.tag.${d.tag}`, { defaultValue: d.tag })} −{d.percentOff}%
                </Tag>
              )),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('billing.fee.new')}
        onCancel={() => setOpen(false)}
        okText={t('common.save')}
        confirmLoading={create.isPending}
        onOk={() => form.validateFields().then((v) => create.mutateAsync(v).catch((e) => applyFieldErrors(form, e)))}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            kind: 'property',
            rounding: 'half_up',
            roundingUnit: 'fen',
            dueDays: 15,
            lateGraceDays: 15,
            lateRatePermille: 0.3,
            lateCapPercent: 10,
          }}
          onFinish={(v) => create.mutate(v)}
        >
          <SubmitOnEnter />
          <Space wrap>
            <Form.Item
              name="code"
              label={t('billing.fee.code')}
              rules={[{ required: true, pattern: /^[a-z0-9_-]{1,40}$/, message: t('billing.fee.codeHint') }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="kind" label={t('billing.fee.kind')}>
              <Select style={{ width: 140 }} options={kinds.map((k) => ({ value: k, label: t(`billing.kind.${k}`) }))} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="nameZh" label={t('billing.fee.nameZh')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="nameEn" label={t('billing.fee.nameEn')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Space>
          <Form.Item name="price" label={t('billing.fee.priceYuan')} rules={[{ required: true }]}>
            <InputNumber min={0} step={0.01} precision={4} style={{ width: 200 }} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="rounding" label={t('billing.fee.rounding')}>
              <Select style={{ width: 140 }} options={['half_up', 'down', 'up'].map((r) => ({ value: r, label: t(`billing.rounding.${r}`) }))} />
            </Form.Item>
            <Form.Item name="roundingUnit" label={t('billing.fee.roundingUnit')}>
              <Select style={{ width: 100 }} options={['fen', 'jiao'].map((r) => ({ value: r, label: t(`billing.unit.${r}`) }))} />
            </Form.Item>
            <Form.Item name="dueDays" label={t('billing.fee.dueDays')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="lateGraceDays" label={t('billing.fee.grace')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
            <Form.Item name="lateRatePermille" label={t('billing.fee.ratePermille')}>
              <InputNumber min={0} max={10} step={0.1} />
            </Form.Item>
            <Form.Item name="lateCapPercent" label={t('billing.fee.capPercent')}>
              <InputNumber min={0} max={100} />
            </Form.Item>
          </Space>
          <Form.Item name="lowIncomeOff" label={t('billing.fee.lowIncomeOff')}>
            <InputNumber min={0} max={100} addonAfter="%" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
