import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Form, Input, List, Radio, Segmented, Select, Space, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { ReadingsChart } from './ReadingsChart';
import { kinds, type Kind } from './api';

/** One patient: record (the view is audited), readings with bands over 30/90 days, advice and assessment, follow-ups. */
export function PatientDrawer({ patientId, onClose }: { patientId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [kind, setKind] = useState<Kind>('bp');
  const [days, setDays] = useState(30);
  const id = patientId ?? '';
  const detail = useQuery({
    queryKey: ['health', 'patient', id],
    queryFn: () => api.get('/api/v1/health/patients/{id}', { path: { id } }),
    enabled: !!patientId,
  });
  const readings = useQuery({
    queryKey: ['health', 'readings', id, kind, days],
    queryFn: () => api.get('/api/v1/health/patients/{id}/readings', { path: { id }, query: { kind, days } }),
    enabled: !!patientId,
  });
  const notes = useQuery({
    queryKey: ['health', 'notes', id],
    queryFn: () => api.get('/api/v1/health/patients/{id}/notes', { path: { id } }),
    enabled: !!patientId,
  });
  const followups = useQuery({
    queryKey: ['health', 'followups', id],
    queryFn: () => api.get('/api/v1/health/patients/{id}/followups', { path: { id } }),
    enabled: !!patientId,
  });
  const [noteForm] = Form.useForm();
  const [fuForm] = Form.useForm();
  const addNote = useMutation({
    mutationFn: (v: { kind: 'advice' | 'assessment'; text: string }) => api.post('/api/v1/health/patients/{id}/notes', { path: { id }, body: v }),
    onSuccess: () => {
      noteForm.resetFields();
      void qc.invalidateQueries({ queryKey: ['health', 'notes', id] });
      message.success(t('health.saved'));
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const addFollowup = useMutation({
    mutationFn: (v: {
      disease: 'hypertension' | 'diabetes';
      control: 'satisfied' | 'unsatisfied' | 'adverse' | 'complication';
      method: 'clinic' | 'home' | 'phone';
      notes?: string;
    }) => api.post('/api/v1/health/patients/{id}/followups', { path: { id }, body: { ...v, visitDate: new Date().toISOString().slice(0, 10) } }),
    onSuccess: () => {
      fuForm.resetFields();
      void qc.invalidateQueries({ queryKey: ['health', 'followups', id] });
      void qc.invalidateQueries({ queryKey: ['health', 'panel'] });
      message.success(t('health.saved'));
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const d = detail.data;
  return (
    <Drawer
      open={!!patientId}
      onClose={onClose}
      width={820}
      title={d ? `${d.name ?? ''}${d.age != null ? ` · ${d.age}${t('health.years')}` : ''}` : ''}
      destroyOnHidden
    >
      {d && (
        <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('health.conditions')}>
            {d.conditions.map((c) => (
              <Tag key={c}>{t(`health.condition.${c}`)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.consent')}>
            {d.consent ? <Tag color="green">{t('health.consentGiven')}</Tag> : <Tag>{t('health.consentWithdrawn')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.contract')}>
            {d.contract ? `${d.contract.teamName} · ${d.contract.startDate} – ${d.contract.endDate}` : '-'}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.devices')}>{d.devices.length}</Descriptions.Item>
        </Descriptions>
      )}
      <Space style={{ marginBottom: 8 }}>
        <Segmented value={kind} onChange={(v) => setKind(v as Kind)} options={kinds.map((k) => ({ value: k, label: t(`health.kind.${k}`) }))} />
        <Radio.Group
          value={days}
          onChange={(e) => setDays(e.target.value as number)}
          optionType="button"
          options={[30, 90].map((n) => ({ value: n, label: t('health.days', { n }) }))}
        />
      </Space>
      <ReadingsChart kind={kind} items={readings.data?.items ?? []} bands={readings.data?.bands} />
      <h4>{t('health.notes')}</h4>
      <Form form={noteForm} layout="inline" onFinish={(v) => addNote.mutate(v)} initialValues={{ kind: 'advice' }}>
        <Form.Item name="kind">
          <Select style={{ width: 120 }} options={['advice', 'assessment'].map((k) => ({ value: k, label: t(`health.note.${k}`) }))} />
        </Form.Item>
        <Form.Item name="text" rules={[{ required: true }]} style={{ flex: 1 }}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={addNote.isPending}>
          {t('health.save')}
        </Button>
      </Form>
      <List
        size="small"
        dataSource={notes.data?.items ?? []}
        renderItem={(n) => (
          <List.Item>
            <Tag>{t(`health.note.${n.kind}`)}</Tag> {n.text}{' '}
            <span style={{ color: '#999' }}>
              · {n.authorName} · {fmtTime(n.createdAt)}
            </span>
          </List.Item>
        )}
      />
      <h4>{t('health.followups')}</h4>
      <Form
        form={fuForm}
        layout="inline"
        onFinish={(v) => addFollowup.mutate(v)}
        initialValues={{ disease: 'hypertension', control: 'satisfied', method: 'phone' }}
      >
        <Form.Item name="disease">
          <Select style={{ width: 110 }} options={['hypertension', 'diabetes'].map((k) => ({ value: k, label: t(`health.condition.${k}`) }))} />
        </Form.Item>
        <Form.Item name="method">
          <Select style={{ width: 90 }} options={['clinic', 'home', 'phone'].map((k) => ({ value: k, label: t(`health.method.${k}`) }))} />
        </Form.Item>
        <Form.Item name="control">
          <Select
            style={{ width: 120 }}
            options={['satisfied', 'unsatisfied', 'adverse', 'complication'].map((k) => ({ value: k, label: t(`health.control.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="notes">
          <Input placeholder={t('health.followupNotes')} />
        </Form.Item>
        <Button htmlType="submit" loading={addFollowup.isPending}>
          {t('health.save')}
        </Button>
      </Form>
      <List
        size="small"
        dataSource={followups.data?.items ?? []}
        renderItem={(f) => (
          <List.Item>
            {f.visitDate} · {t(`health.condition.${f.disease}`)} · {t(`health.control.${f.control}`)} · {t('health.nextDue')} {f.nextDue}
            {f.notes ? ` · ${f.notes}` : ''}
          </List.Item>
        )}
      />
    </Drawer>
  );
}
