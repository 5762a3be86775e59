import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Select, Switch, Table, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { AgreementStatusTag, useFieldLabel } from './AgreementsShared';
import { MessageLogTable } from './MessageLogTable';

/** The department officer's workspace: my agreements (draft one) and my requests (the message log of my organisation). */
export default function AgreementsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [drafting, setDrafting] = useState(false);
  const fieldLabel = useFieldLabel();
  const list = useQuery({
    queryKey: ['exchange', 'agreements', 'mine', paging],
    queryFn: () => api.get('/api/v1/exchange/agreements', { query: { ...paging, mine: true } }),
    placeholderData: keepPreviousData,
  });
  const orgs = useQuery({ queryKey: ['exchange', 'organisations'], queryFn: () => api.get('/api/v1/exchange/organisations') });
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeOut.nav.agreements')}</h1>
        {orgs.data?.mine && <span style={{ marginLeft: 12, color: '#888' }}>{orgs.data.mine.name}</span>}
      </div>
      <Tabs
        items={[
          {
            key: 'agreements',
            label: t('exchangeOut.myAgreements'),
            children: (
              <Card
                extra={
                  can(me, 'draft', 'Agreement') && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrafting(true)}>
                      {t('exchangeOut.draft')}
                    </Button>
                  )
                }
              >
                {list.isError && <div role="alert">{errorMessage(list.error)}</div>}
                <Table
                  rowKey="id"
                  loading={list.isLoading}
                  dataSource={list.data?.items ?? []}
                  pagination={{
                    current: paging.page,
                    pageSize: paging.pageSize,
                    total: list.data?.total ?? 0,
                    onChange: (page, pageSize) => setPaging({ page, pageSize }),
                  }}
                  columns={[
                    { title: t('exchangeOut.title'), dataIndex: 'title' },
                    { title: t('exchangeOut.provider'), dataIndex: 'providerOrgName' },
                    { title: t('exchangeOut.consumer'), dataIndex: 'consumerOrgName' },
                    { title: t('exchangeOut.fields'), dataIndex: 'fields', render: (f: string[]) => f.map(fieldLabel).join('、') },
                    { title: t('exchangeOut.places'), dataIndex: 'placeNames', render: (p: string[]) => p.join('、') },
                    { title: t('exchangeOut.validity'), render: (_, a) => `${a.validFrom} ~ ${a.validTo}` },
                    { title: t('exchangeOut.usedToday'), render: (_, a) => `${a.usedToday} / ${a.dailyLimit}` },
                    { title: t('exchangeOut.statusLabel'), dataIndex: 'status', render: (s: string) => <AgreementStatusTag status={s} /> },
                    { title: t('exchangeOut.updatedAt'), dataIndex: 'updatedAt', render: fmtTime },
                  ]}
                  expandable={{
                    expandedRowRender: (a) => (
                      <p style={{ margin: 0 }}>{`${t('exchangeOut.purpose')}：${a.purpose}；${t('exchangeOut.legalBasis')}：${a.legalBasis}`}</p>
                    ),
                  }}
                />
              </Card>
            ),
          },
          { key: 'requests', label: t('exchangeOut.myRequests'), children: <MessageLogTable /> },
        ]}
      />
      {drafting && <DraftDrawer onClose={() => setDrafting(false)} />}
    </>
  );
}

interface DraftValues {
  title: string;
  providerOrgId: string;
  consumerOrgId: string;
  fields: string[];
  purpose: string;
  legalBasis: string;
  validity: [Dayjs, Dayjs];
  dailyLimit: number;
  logBodies: boolean;
}

function DraftDrawer({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<DraftValues>();
  const orgs = useQuery({ queryKey: ['exchange', 'organisations'], queryFn: () => api.get('/api/v1/exchange/organisations') });
  const datasets = useQuery({ queryKey: ['exchange', 'datasets'], queryFn: () => api.get('/api/v1/exchange/datasets') });
  const dataset = datasets.data?.items[0];
  const providerId = Form.useWatch('providerOrgId', form);
  const provider = orgs.data?.items.find((o) => o.id === providerId);
  const save = useMutation({
    mutationFn: (v: DraftValues) =>
      api.post('/api/v1/exchange/agreements', {
        body: {
          title: v.title,
          providerOrgId: v.providerOrgId,
          consumerOrgId: v.consumerOrgId,
          dataset: dataset!.code,
          fields: v.fields,
          purpose: v.purpose,
          legalBasis: v.legalBasis,
          placeIds: [provider!.placeId],
          validFrom: v.validity[0].format('YYYY-MM-DD'),
          validTo: v.validity[1].format('YYYY-MM-DD'),
          dailyLimit: v.dailyLimit,
          logBodies: v.logBodies,
        },
      }),
    onSuccess: () => {
      message.success(t('exchangeOut.drafted'));
      qc.invalidateQueries({ queryKey: ['exchange', 'agreements'] });
      onClose();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  const orgOptions = (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name}（${t(`exchangeOut.kind.${o.kind}`)}）` }));
  return (
    <Drawer open width={560} title={t('exchangeOut.draft')} onClose={onClose} destroyOnHidden>
      <Form<DraftValues>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{ dailyLimit: 1000, logBodies: false, consumerOrgId: orgs.data?.mine?.id }}
      >
        <Form.Item name="title" label={t('exchangeOut.title')} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="providerOrgId" label={t('exchangeOut.provider')} rules={[{ required: true }]}>
          <Select options={orgOptions} />
        </Form.Item>
        <Form.Item name="consumerOrgId" label={t('exchangeOut.consumer')} rules={[{ required: true }]}>
          <Select options={orgOptions} />
        </Form.Item>
        <Form.Item name="fields" label={t('exchangeOut.fields')} rules={[{ required: true }]} extra={t('exchangeOut.fieldsHint')}>
          <Checkbox.Group options={(dataset?.fields ?? []).map((f) => ({ value: f.code, label: i18n.language.startsWith('zh') ? f.zh : f.en }))} />
        </Form.Item>
        <Form.Item name="purpose" label={t('exchangeOut.purpose')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="legalBasis" label={t('exchangeOut.legalBasis')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('exchangeOut.places')}>{provider?.name ?? '—'}</Form.Item>
        <Form.Item name="validity" label={t('exchangeOut.validity')} rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="dailyLimit" label={t('exchangeOut.dailyLimit')} rules={[{ required: true }]}>
          <InputNumber min={1} max={1_000_000} />
        </Form.Item>
        <Form.Item name="logBodies" label={t('exchangeOut.logBodies')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('exchangeOut.submitDraft')}
        </Button>
      </Form>
    </Drawer>
  );
}
