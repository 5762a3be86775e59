import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiOk, type ItemOf } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { SettingsTab } from './SettingsTab';
import { label, useCommunity, type Honour, type Redemption, type Reward, type Rule } from './api';

type Balance = ItemOf<ApiOk<'/api/v1/points/balances'>>;

function useSave<T>(fn: (v: T) => Promise<unknown>, keys: string[], form?: ReturnType<typeof Form.useForm>[0], done?: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      message.success(t('common.saved'));
      for (const k of keys) qc.invalidateQueries({ queryKey: [k] });
      form?.resetFields();
      done?.();
    },
    onError: (e) => {
      if (!form || !applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
}

function Rules({ communityId }: { communityId: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({ queryKey: ['points-rules', communityId], queryFn: () => api.get('/api/v1/points/rules', { query: { communityId } }) });
  const save = useSave(
    (r: Rule) =>
      api.put('/api/v1/points/rules', {
        body: { communityId, component: r.component, action: r.action, points: r.points, dailyCap: r.dailyCap, enabled: r.enabled },
      }),
    ['points-rules'],
  );
  return (
    <Table<Rule>
      rowKey={(r) => `${r.component}/${r.action}`}
      size="small"
      pagination={false}
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      columns={[
        {
          title: t('participation.points.action'),
          key: 'a',
          render: (_, r) => (
            <Space>
              {label(r.labels, i18n.language)}
              {r.custom && <Tag>{t('participation.points.custom')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('participation.points.points'),
          key: 'p',
          render: (_, r) => <InputNumber min={0} defaultValue={r.points} onBlur={(e) => save.mutate({ ...r, points: Number(e.target.value) })} />,
        },
        {
          title: t('participation.points.dailyCap'),
          key: 'c',
          render: (_, r) => <InputNumber min={0} defaultValue={r.dailyCap} onBlur={(e) => save.mutate({ ...r, dailyCap: Number(e.target.value) })} />,
        },
        {
          title: t('participation.points.enabled'),
          key: 'e',
          render: (_, r) => <Switch checked={r.enabled} onChange={(v) => save.mutate({ ...r, enabled: v })} />,
        },
      ]}
    />
  );
}

function Balances() {
  const { t } = useTranslation();
  const [adjusting, setAdjusting] = useState<Balance | null>(null);
  const [form] = Form.useForm();
  const q = useQuery({ queryKey: ['points-balances'], queryFn: () => api.get('/api/v1/points/balances') });
  const save = useSave(
    (v: { delta: number; reason: string }) => api.post('/api/v1/points/adjust', { body: { residentId: adjusting!.residentId, ...v } }),
    ['points-balances'],
    form,
    () => setAdjusting(null),
  );
  return (
    <>
      <Table<Balance>
        rowKey="residentId"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={[
          { title: t('participation.events.resident'), dataIndex: 'name' },
          { title: t('participation.points.balance'), dataIndex: 'balance' },
          { title: t('participation.points.earned'), dataIndex: 'earned' },
          { title: t('common.actions'), key: 'x', render: (_, r) => <a onClick={() => setAdjusting(r)}>{t('participation.points.adjust')}</a> },
        ]}
      />
      <Modal
        open={!!adjusting}
        title={`${t('participation.points.adjust')} · ${adjusting?.name ?? ''}`}
        onCancel={() => setAdjusting(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="adjust" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="delta"
            label={t('participation.points.delta')}
            extra={t('participation.points.deltaHint')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <InputNumber />
          </Form.Item>
          <Form.Item name="reason" label={t('participation.points.reason')} rules={[{ required: true, message: t('common.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Rewards({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => api.get('/api/v1/rewards') });
  const redemptions = useQuery({ queryKey: ['redemptions'], queryFn: () => api.get('/api/v1/redemptions') });
  const add = useSave(
    (v: { name: string; cost: number; stock: number; description?: string }) => api.post('/api/v1/rewards', { body: { communityId, ...v } }),
    ['rewards'],
    form,
  );
  const fulfil = useSave((id: string) => api.post('/api/v1/redemptions/{id}/fulfil', { path: { id } }), ['redemptions']);
  const names = new Map((rewards.data?.items ?? []).map((r) => [r.id, r.name]));
  return (
    <>
      <Form form={form} layout="inline" name="reward" onFinish={(v) => add.mutate(v)} style={{ marginBottom: 16 }}>
        <Form.Item name="name" rules={[{ required: true, message: t('common.required') }]}>
          <Input placeholder={t('participation.points.rewardName')} />
        </Form.Item>
        <Form.Item name="cost" rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} placeholder={t('participation.points.cost')} />
        </Form.Item>
        <Form.Item name="stock" rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={0} placeholder={t('participation.points.stock')} />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          {t('participation.points.addReward')}
        </Button>
      </Form>
      <Table<Reward>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rewards.data?.items ?? []}
        columns={[
          { title: t('participation.points.rewardName'), dataIndex: 'name' },
          { title: t('participation.points.cost'), dataIndex: 'cost' },
          { title: t('participation.points.stock'), dataIndex: 'stock' },
        ]}
      />
      <h4 style={{ marginTop: 16 }}>{t('participation.points.redemptions')}</h4>
      <Table<Redemption>
        rowKey="id"
        size="small"
        dataSource={redemptions.data?.items ?? []}
        columns={[
          { title: t('participation.points.rewardName'), key: 'n', render: (_, r) => names.get(r.rewardId) ?? r.rewardId },
          { title: t('participation.points.cost'), dataIndex: 'cost' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v) => fmtTime(v) },
          {
            title: t('participation.col.status'),
            key: 's',
            render: (_, r) =>
              r.status === 'pending' ? (
                <a onClick={() => fulfil.mutate(r.id)}>{t('participation.points.fulfil')}</a>
              ) : (
                <Tag color="green">{t('participation.points.fulfilled')}</Tag>
              ),
          },
        ]}
      />
    </>
  );
}

function Honours({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [awardForm] = Form.useForm();
  const [awarding, setAwarding] = useState<Honour | null>(null);
  const q = useQuery({ queryKey: ['honours'], queryFn: () => api.get('/api/v1/honours') });
  const balances = useQuery({ queryKey: ['points-balances'], queryFn: () => api.get('/api/v1/points/balances') });
  const add = useSave(
    (v: { name: string; threshold?: number; description?: string }) =>
      api.post('/api/v1/honours', { body: { communityId, ...v, threshold: v.threshold || null } }),
    ['honours'],
    form,
  );
  const award = useSave(
    (v: { residentId: string }) => api.post('/api/v1/honours/{id}/award', { path: { id: awarding!.id }, body: v }),
    ['honours'],
    awardForm,
    () => setAwarding(null),
  );
  return (
    <>
      <Form form={form} layout="inline" name="honour" onFinish={(v) => add.mutate(v)} style={{ marginBottom: 16 }}>
        <Form.Item name="name" rules={[{ required: true, message: t('common.required') }]}>
          <Input placeholder={t('participation.points.honourName')} />
        </Form.Item>
        <Form.Item name="threshold">
          <InputNumber min={1} placeholder={t('participation.points.threshold')} style={{ width: 200 }} />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          {t('participation.points.addHonour')}
        </Button>
      </Form>
      <Table<Honour>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={q.data?.items ?? []}
        columns={[
          { title: t('participation.points.honourName'), dataIndex: 'name' },
          { title: t('participation.points.threshold'), dataIndex: 'threshold', render: (v) => v ?? t('participation.points.byStaff') },
          { title: t('common.actions'), key: 'a', render: (_, h) => <a onClick={() => setAwarding(h)}>{t('participation.points.award')}</a> },
        ]}
      />
      <Modal
        open={!!awarding}
        title={`${t('participation.points.award')} · ${awarding?.name ?? ''}`}
        onCancel={() => setAwarding(null)}
        onOk={() => awardForm.submit()}
        destroyOnHidden
      >
        <Form form={awardForm} layout="vertical" name="award" onFinish={(v) => award.mutate(v)}>
          <Form.Item name="residentId" label={t('participation.events.resident')} rules={[{ required: true, message: t('common.required') }]}>
            <select style={{ width: '100%', padding: 6 }}>
              <option value="" />
              {(balances.data?.items ?? []).map((b) => (
                <option key={b.residentId} value={b.residentId}>
                  {b.name}
                </option>
              ))}
            </select>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function PointsPage() {
  const { t } = useTranslation();
  const community = useCommunity();
  if (!community.id) return <PageHead title={t('participation.points.heading')} />;
  return (
    <>
      <PageHead title={`${t('participation.points.heading')} · ${community.node?.name ?? ''}`} />
      <Card>
        <Tabs
          items={[
            { key: 'balances', label: t('participation.points.balances'), children: <Balances /> },
            { key: 'rules', label: t('participation.points.rules'), children: <Rules communityId={community.id} /> },
            { key: 'rewards', label: t('participation.points.rewards'), children: <Rewards communityId={community.id} /> },
            { key: 'honours', label: t('participation.points.honours'), children: <Honours communityId={community.id} /> },
            { key: 'settings', label: t('participation.settings.heading'), children: <SettingsTab communityId={community.id} /> },
          ]}
        />
      </Card>
    </>
  );
}
