import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { usePasses, usePoints, type Pass } from './api';

export function passState(p: Pass) {
  const now = new Date().toISOString();
  return p.status !== 'active' ? 'revoked' : now < p.validFrom ? 'not_yet_valid' : now >= p.validUntil ? 'expired' : p.uses >= p.maxUses ? 'used_up' : 'valid';
}

/** Visitor passes: today's or all; guards issue a pass at the gate for a host. */
export function VisitorsTab({ today = false, canIssue }: { today?: boolean; canIssue: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const passes = usePasses(today, today ? 10_000 : false);
  const points = usePoints();
  const [open, setOpen] = useState(false);
  const [hostQ, setHostQ] = useState('');
  const hosts = useQuery({
    queryKey: ['access', 'hosts', hostQ],
    queryFn: () => api.get('/api/v1/residents', { query: { q: hostQ, page: 1, pageSize: 20 } }),
    enabled: hostQ.length > 0,
  });
  const [form] = Form.useForm();
  const issue = useMutation({
    mutationFn: (v: any) =>
      api.post('/api/v1/access/visitor-passes', {
        body: {
          visitorName: v.visitorName,
          phone: v.phone || null,
          hostResidentId: v.hostResidentId,
          validFrom: new Date().toISOString(),
          validUntil: v.until.toISOString(),
          pointIds: v.pointIds,
          maxUses: v.maxUses,
        },
      }),
    onSuccess: (p) => {
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['access', 'passes'] });
      Modal.success({ title: t('doors.passIssued'), content: `${window.location.origin}${p.link}` });
    },
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.post('/api/v1/access/visitor-passes/{id}/revoke', { path: { id } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['access', 'passes'] }),
  });
  const names = new Map((points.data?.items ?? []).map((p) => [p.id, p.name]));
  return (
    <>
      {canIssue && (
        <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setOpen(true)}>
          {t('doors.issuePass')}
        </Button>
      )}
      <Table<Pass>
        rowKey="id"
        size="small"
        loading={passes.isLoading}
        dataSource={passes.data?.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('doors.visitorName'), dataIndex: 'visitorName' },
          { title: t('doors.host'), dataIndex: 'hostName' },
          { title: t('doors.window'), render: (_, p) => `${fmtTime(p.validFrom)} – ${fmtTime(p.validUntil)}` },
          { title: t('doors.points'), dataIndex: 'doorIds', render: (ids: string[]) => ids.map((id) => names.get(id) ?? id).join('、') },
          { title: t('doors.uses'), render: (_, p) => `${p.uses}/${p.maxUses}` },
          {
            title: t('doors.status'),
            render: (_, p) => <Tag color={passState(p) === 'valid' ? 'green' : 'default'}>{t(`doors.passStates.${passState(p)}`)}</Tag>,
          },
          { title: t('doors.issuedBy'), dataIndex: 'issuedBy', render: (x) => t(`doors.issuers.${x}`) },
          ...(canIssue
            ? [
                {
                  title: '',
                  render: (_: unknown, p: Pass) =>
                    p.status === 'active' ? (
                      <Button size="small" onClick={() => revoke.mutate(p.id)}>
                        {t('doors.revoke')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={open}
        title={t('doors.issuePass')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={issue.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => issue.mutate(v)} initialValues={{ maxUses: 1, until: dayjs().add(4, 'hour') }}>
          <Form.Item name="visitorName" label={t('doors.visitorName')} rules={[{ required: true }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="phone" label={t('doors.phone')}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="hostResidentId" label={t('doors.host')} rules={[{ required: true }]}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setHostQ}
              options={(hosts.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
              placeholder={t('doors.findResident')}
            />
          </Form.Item>
          <Form.Item name="pointIds" label={t('doors.points')} rules={[{ required: true }]}>
            <Select mode="multiple" optionFilterProp="label" options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="until" label={t('doors.validUntil')} rules={[{ required: true }]}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="maxUses" label={t('doors.uses')}>
            <InputNumber min={1} max={50} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
