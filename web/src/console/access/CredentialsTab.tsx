import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import type { Credential } from './api';

/** 居民凭证: find a resident, see their credentials, issue a card / fingerprint reference / PIN, revoke. */
export function CredentialsTab({ canIssue }: { canIssue: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [residentId, setResidentId] = useState<string | null>(null);
  const [form] = Form.useForm();
  // how the server read the last card number (printed FC×100000+CN, FC/CN, raw or Wiegand bits), so staff can check it
  const [lastCard, setLastCard] = useState<{ facilityCode: number; cardNumber: number; form: string } | null>(null);
  const found = useQuery({
    queryKey: ['access', 'resident-search', q],
    queryFn: () => api.get('/api/v1/residents', { query: { q, page: 1, pageSize: 20 } }),
    enabled: q.length > 0,
  });
  const creds = useQuery({
    queryKey: ['access', 'credentials', residentId],
    queryFn: () => api.get('/api/v1/access/credentials', { query: { residentId: residentId! } }),
    enabled: !!residentId,
  });
  const issue = useMutation({
    mutationFn: (v: any) =>
      api.post('/api/v1/access/credentials', {
        body: {
          residentId: residentId!,
          type: v.type,
          value: v.value,
          cardFormat: v.type === 'card' ? v.cardFormat : undefined,
          validUntil: v.validUntil ? v.validUntil.toISOString() : undefined,
        },
      }),
    onSuccess: (c) => {
      setLastCard(c?.card ?? null);
      form.resetFields(['value']);
      void qc.invalidateQueries({ queryKey: ['access', 'credentials'] });
      message.success(t('doors.saved'));
    },
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.post('/api/v1/access/credentials/{id}/revoke', { path: { id }, body: { reason: 'staff' } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['access', 'credentials'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  const type = Form.useWatch('type', form);
  return (
    <>
      <Input.Search placeholder={t('doors.findResident')} allowClear onSearch={setQ} style={{ maxWidth: 360, marginBottom: 12 }} />
      {found.data && (
        <Space wrap style={{ marginBottom: 12 }}>
          {found.data.items.map((r) => (
            <Button key={r.id} type={residentId === r.id ? 'primary' : 'default'} onClick={() => setResidentId(r.id)}>
              {r.name}
            </Button>
          ))}
        </Space>
      )}
      {residentId && (
        <Card size="small" title={t('doors.credentialsOf', { name: found.data?.items.find((r) => r.id === residentId)?.name ?? '' })}>
          <Table<Credential>
            rowKey="id"
            size="small"
            pagination={false}
            loading={creds.isLoading}
            dataSource={creds.data?.items}
            columns={[
              { title: t('doors.credType'), dataIndex: 'type', render: (x) => t(`doors.credTypes.${x}`) },
              { title: t('doors.label'), dataIndex: 'label' },
              {
                title: t('doors.status'),
                dataIndex: 'status',
                render: (s) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`doors.credStatus.${s}`)}</Tag>,
              },
              { title: t('doors.validUntil'), dataIndex: 'validUntil', render: fmtTime },
              ...(canIssue
                ? [
                    {
                      title: '',
                      render: (_: unknown, c: Credential) =>
                        c.status === 'active' ? (
                          <Button size="small" danger onClick={() => revoke.mutate(c.id)}>
                            {t('doors.revoke')}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
          <p style={{ marginTop: 8 }}>{t('doors.qrAlways')}</p>
          {canIssue && (
            <Form
              form={form}
              layout="inline"
              onFinish={(v) => issue.mutate(v)}
              initialValues={{ type: 'card', cardFormat: 'w26' }}
              style={{ marginTop: 12, rowGap: 8 }}
            >
              <Form.Item name="type">
                <Select style={{ width: 130 }} options={['card', 'fingerprint', 'pin'].map((x) => ({ value: x, label: t(`doors.credTypes.${x}`) }))} />
              </Form.Item>
              {type === 'card' && (
                <Form.Item name="cardFormat">
                  <Select
                    style={{ width: 110 }}
                    options={[
                      { value: 'w26', label: 'Wiegand 26' },
                      { value: 'w34', label: 'Wiegand 34' },
                    ]}
                  />
                </Form.Item>
              )}
              <Form.Item name="value" rules={[{ required: true }]}>
                <Input placeholder={t(`doors.valuePh.${type ?? 'card'}`)} style={{ width: 240 }} />
              </Form.Item>
              {type === 'pin' && (
                <Form.Item name="validUntil" rules={[{ required: true }]}>
                  <DatePicker showTime placeholder={t('doors.validUntil')} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={issue.isPending}>
                {t('doors.issue')}
              </Button>
              {lastCard && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginTop: 8 }}
                  message={t('doors.cardRead', { form: t(`doors.cardForms.${lastCard.form}`), fc: lastCard.facilityCode, cn: lastCard.cardNumber })}
                />
              )}
            </Form>
          )}
        </Card>
      )}
    </>
  );
}
