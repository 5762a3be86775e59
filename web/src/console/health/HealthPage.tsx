import { useState } from 'react';
import { App, Badge, Button, Card, Input, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useRefreshOnNotification } from '../../shared/notificationStream';
import { PatientDrawer } from './PatientDrawer';
import { severityColor, type HealthAlert, type PanelItem } from './api';

/** 健康工作台: the doctor's contracted patients (riskiest first), alerts as they come, follow-ups due. */
export default function HealthPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [closing, setClosing] = useState<HealthAlert | null>(null);
  const [action, setAction] = useState<'advice' | 'call' | 'visit' | 'referral'>('call');
  const [note, setNote] = useState('');
  const panel = useQuery({
    queryKey: ['health', 'panel', q],
    queryFn: () => api.get('/api/v1/health/patients', { query: { pageSize: 200, q: q || undefined } }),
  });
  const alerts = useQuery({ queryKey: ['health', 'alerts'], queryFn: () => api.get('/api/v1/health/alerts', { query: { status: 'active' } }) });
  const due = useQuery({ queryKey: ['health', 'due'], queryFn: () => api.get('/api/v1/health/followups/due') });
  // an urgent alert arrives as a notification on the live stream: show it at once
  useRefreshOnNotification('/health/alerts', ['health']);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['health'] });
  };
  const ack = useMutation({
    mutationFn: (id: string) => api.post('/api/v1/health/alerts/{id}/acknowledge', { path: { id } }),
    onSuccess: refresh,
    onError: (e) => message.error(errorMessage(e)),
  });
  const close = useMutation({
    mutationFn: () => api.post('/api/v1/health/alerts/{id}/close', { path: { id: closing!.id }, body: { action, note: note || undefined } }),
    onSuccess: () => {
      setClosing(null);
      setNote('');
      refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const urgent = (alerts.data?.items ?? []).filter((a) => a.severity === 'urgent' && a.status === 'open').length;

  return (
    <Card title={t('health.workbench')}>
      <Tabs
        items={[
          {
            key: 'alerts',
            label: (
              <Badge count={urgent} size="small">
                {t('health.alerts')}
              </Badge>
            ),
            children: (
              <Table<HealthAlert>
                rowKey="id"
                size="small"
                loading={alerts.isLoading}
                dataSource={alerts.data?.items ?? []}
                data-testid="health-alerts"
                columns={[
                  { title: t('health.patient'), dataIndex: 'patientName', render: (v, a) => <a onClick={() => setOpen(a.patientId)}>{v ?? a.patientId}</a> },
                  { title: t('health.rule'), dataIndex: 'rule', render: (v) => t(`health.rules.${v}`) },
                  { title: t('health.severity'), dataIndex: 'severity', render: (v) => <Tag color={severityColor[v]}>{t(`health.level.${v}`)}</Tag> },
                  { title: t('health.status'), dataIndex: 'status', render: (v) => t(`health.alertStatus.${v}`) },
                  { title: t('health.count'), dataIndex: 'count' },
                  { title: t('health.openedAt'), dataIndex: 'openedAt', render: fmtTime },
                  {
                    title: '',
                    render: (_, a) => (
                      <Space>
                        {a.status === 'open' && (
                          <Button size="small" onClick={() => ack.mutate(a.id)}>
                            {t('health.acknowledge')}
                          </Button>
                        )}
                        <Button size="small" type="primary" onClick={() => setClosing(a)}>
                          {t('health.close')}
                        </Button>
                      </Space>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'patients',
            label: t('health.patients'),
            children: (
              <>
                <Input.Search allowClear placeholder={t('health.searchName')} style={{ width: 240, marginBottom: 8 }} onSearch={setQ} />
                <Table<PanelItem>
                  rowKey="patientId"
                  size="small"
                  loading={panel.isLoading}
                  dataSource={panel.data?.items ?? []}
                  onRow={(r) => ({ onClick: () => setOpen(r.patientId), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('health.patient'), dataIndex: 'name' },
                    { title: t('health.age'), dataIndex: 'age' },
                    {
                      title: t('health.conditions'),
                      dataIndex: 'conditions',
                      render: (v: string[]) => v.map((c) => <Tag key={c}>{t(`health.condition.${c}`)}</Tag>),
                    },
                    { title: t('health.urgentAlerts'), dataIndex: 'urgentAlerts', render: (v) => (v ? <Tag color="red">{v}</Tag> : 0) },
                    { title: t('health.openAlerts'), dataIndex: 'openAlerts' },
                    { title: t('health.uncontrolled'), dataIndex: 'uncontrolled', render: (v) => (v ? <Tag color="orange">{t('health.yes')}</Tag> : '') },
                    { title: t('health.followupDue'), dataIndex: 'followupDue' },
                    { title: t('health.lastReading'), dataIndex: 'lastReadingAt', render: (v) => (v ? fmtTime(v) : '-') },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'due',
            label: t('health.dueList'),
            children: (
              <Table
                rowKey={(r) => `${r.patientId}-${r.disease}`}
                size="small"
                dataSource={due.data?.items ?? []}
                columns={[
                  { title: t('health.patient'), dataIndex: 'patientName' },
                  { title: t('health.conditions'), dataIndex: 'disease', render: (v) => t(`health.condition.${v}`) },
                  { title: t('health.due'), dataIndex: 'due', render: (v, r) => (r.overdue ? <Tag color="red">{v}</Tag> : v) },
                ]}
              />
            ),
          },
        ]}
      />
      <PatientDrawer patientId={open} onClose={() => setOpen(null)} />
      <Modal open={!!closing} title={t('health.closeAlert')} onCancel={() => setClosing(null)} onOk={() => close.mutate()} confirmLoading={close.isPending}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            value={action}
            onChange={setAction}
            style={{ width: '100%' }}
            options={(['advice', 'call', 'visit', 'referral'] as const).map((a) => ({ value: a, label: t(`health.action.${a}`) }))}
          />
          <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('health.closeNote')} />
        </Space>
      </Modal>
    </Card>
  );
}
