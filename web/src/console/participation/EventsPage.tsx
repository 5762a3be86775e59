import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { useCommunity, type EventItem, type Registration } from './api';

const regColor: Record<string, string> = { registered: 'green', waitlisted: 'orange', cancelled: 'default' };

function NewEvent({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useCommunity();
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (v: {
      title: string;
      description?: string;
      location: string;
      time: [Dayjs, Dayjs];
      capacity: number;
      organiserKind: EventItem['organiser']['kind'];
      organiserName: string;
    }) =>
      api.post('/api/v1/events', {
        body: {
          communityId: community.id!,
          title: v.title,
          description: v.description ?? '',
          location: v.location,
          capacity: v.capacity,
          startsAt: v.time[0].toISOString(),
          endsAt: v.time[1].toISOString(),
          organiser: { kind: v.organiserKind, name: v.organiserName },
        },
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['events'] });
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal open={open} onCancel={onClose} title={t('participation.events.new')} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        name="event"
        initialValues={{ capacity: 30, organiserKind: 'community', organiserName: community.node?.name }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('participation.events.title')} rules={req}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="description" label={t('participation.events.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="location" label={t('participation.events.location')} rules={req}>
          <Input />
        </Form.Item>
        <Form.Item name="time" label={t('participation.events.time')} rules={req}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Form.Item name="capacity" label={t('participation.events.capacity')} rules={req}>
          <InputNumber min={1} />
        </Form.Item>
        <Space>
          <Form.Item name="organiserKind" label={t('participation.events.organiser')} style={{ width: 180 }}>
            <Select options={['community', 'social_org', 'volunteer_team'].map((v) => ({ value: v, label: t(`participation.events.organiserKind.${v}`) }))} />
          </Form.Item>
          <Form.Item name="organiserName" label={t('participation.events.organiserName')} rules={req}>
            <Input />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function Registrations({ event, onClose }: { event: EventItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [token, setToken] = useState('');
  const q = useQuery({
    queryKey: ['events', 'regs', event?.id],
    queryFn: () => api.get('/api/v1/events/{id}/registrations', { path: { id: event!.id } }),
    enabled: !!event,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['events'] });
  const checkIn = useMutation({
    mutationFn: () => api.post('/api/v1/events/{id}/check-in', { path: { id: event!.id }, body: { token: token.trim() } }),
    onSuccess: (r) => {
      message.success(t('participation.events.checkedIn', { name: r.residentName }));
      setToken('');
      refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const hours = useMutation({
    mutationFn: ({ residentId, h }: { residentId: string; h: number }) =>
      api.post('/api/v1/events/{id}/hours', { path: { id: event!.id }, body: { residentId, hours: h } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Drawer open={!!event} onClose={onClose} width={640} title={event?.title}>
      <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
        <Input
          placeholder={t('participation.events.scanHint')}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          onPressEnter={() => token && checkIn.mutate()}
        />
        <Button type="primary" onClick={() => checkIn.mutate()} disabled={!token}>
          {t('participation.events.checkIn')}
        </Button>
      </Space.Compact>
      <Table<Registration>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={[
          { title: t('participation.events.resident'), dataIndex: 'residentName' },
          { title: t('participation.col.status'), dataIndex: 'status', render: (v) => <Tag color={regColor[v]}>{t(`participation.events.reg.${v}`)}</Tag> },
          { title: t('participation.events.checkInAt'), dataIndex: 'checkedInAt', render: (v) => (v ? fmtTime(v) : '—') },
          {
            title: t('participation.events.hours'),
            key: 'hours',
            render: (_, r) =>
              r.checkedInAt ? (
                <InputNumber
                  size="small"
                  min={0.5}
                  max={24}
                  step={0.5}
                  defaultValue={r.volunteerHours ?? undefined}
                  onBlur={(e) => {
                    const h = Number(e.target.value);
                    if (h > 0 && h !== r.volunteerHours) hours.mutate({ residentId: r.residentId, h });
                  }}
                />
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Drawer>
  );
}

export default function EventsPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<EventItem | null>(null);
  const q = useQuery({ queryKey: ['events'], queryFn: () => api.get('/api/v1/events') });
  return (
    <>
      <PageHead
        title={t('participation.events.heading')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('participation.events.new')}
          </Button>
        }
      />
      <Card>
        <Table<EventItem>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          columns={[
            { title: t('participation.events.title'), key: 'title', render: (_, e) => <a onClick={() => setViewing(e)}>{e.title}</a> },
            { title: t('participation.events.time'), key: 'time', render: (_, e) => `${fmtTime(e.startsAt)} – ${fmtTime(e.endsAt)}` },
            { title: t('participation.events.location'), dataIndex: 'location' },
            {
              title: t('participation.events.organiser'),
              key: 'org',
              render: (_, e) => `${t(`participation.events.organiserKind.${e.organiser.kind}`)} · ${e.organiser.name}`,
            },
            {
              title: t('participation.events.seats'),
              key: 'seats',
              render: (_, e) => `${e.registered}/${e.capacity}${e.waitlisted ? ` (+${e.waitlisted})` : ''}`,
            },
            { title: t('participation.events.checkedInCount'), dataIndex: 'checkedIn' },
            {
              title: t('participation.col.status'),
              dataIndex: 'status',
              render: (v) => <Tag color={v === 'open' ? 'green' : 'default'}>{t(`participation.events.status.${v}`)}</Tag>,
            },
          ]}
        />
      </Card>
      <NewEvent open={creating} onClose={() => setCreating(false)} />
      <Registrations event={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
