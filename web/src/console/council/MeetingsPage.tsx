import { useEffect, useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { useCommunity } from '../participation/api';
import type { MeetingRow } from './api';

function NewMeeting({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useCommunity();
  const [form] = Form.useForm();
  const proposals = useQuery({
    queryKey: ['council', 'proposals', 'agenda'],
    queryFn: () => api.get('/api/v1/council/proposals', { query: { pageSize: 100 } }),
    enabled: open,
  });
  const votes = useQuery({
    queryKey: ['council', 'votes', 'agenda'],
    queryFn: () => api.get('/api/v1/council/votes', { query: { pageSize: 100 } }),
    enabled: open,
  });
  const save = useMutation({
    mutationFn: (v: { title: string; startsAt: Dayjs; location: string; proposalIds?: string[]; voteIds?: string[] }) =>
      api.post('/api/v1/council/meetings', {
        body: {
          communityId: community.id!,
          title: v.title,
          startsAt: v.startsAt.toISOString(),
          location: v.location,
          agenda: [
            ...(v.proposalIds ?? []).map((id) => ({ title: proposals.data?.items.find((p) => p.id === id)?.title ?? id, proposalId: id })),
            ...(v.voteIds ?? []).map((id) => ({ title: votes.data?.items.find((x) => x.id === id)?.title ?? id, voteId: id })),
          ],
        },
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['council', 'meetings'] });
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal open={open} onCancel={onClose} title={t('council.meetings.new')} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="meeting" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="title" label={t('council.meetings.title')} rules={req}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="startsAt" label={t('council.meetings.startsAt')} rules={req}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="location" label={t('council.meetings.location')} rules={req}>
          <Input />
        </Form.Item>
        <Form.Item name="proposalIds" label={t('council.meetings.agendaProposals')}>
          <Select mode="multiple" options={(proposals.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))} />
        </Form.Item>
        <Form.Item name="voteIds" label={t('council.meetings.agendaVotes')}>
          <Select mode="multiple" options={(votes.data?.items ?? []).map((v) => ({ value: v.id, label: v.title }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MeetingDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const q = useQuery({ queryKey: ['council', 'meeting', id], queryFn: () => api.get('/api/v1/council/meetings/{id}', { path: { id } }), enabled: !!id });
  const m = q.data;
  useEffect(() => {
    if (m)
      form.setFieldsValue({
        minutes: m.minutes ?? '',
        attendees: m.attendees.map((a) => a.name).join('\n'),
        status: m.status,
        ...Object.fromEntries((m.agenda ?? []).map((i) => [`res_${i.id}`, i.resolution ?? ''])),
      });
  }, [m, form]);
  const save = useMutation({
    mutationFn: (v: {
      minutes: string;
      status: ApiBody<'/api/v1/council/meetings/{id}', 'patch'>['status'];
      attendees?: string;
      [res: `res_${string}`]: string;
    }) =>
      api.patch('/api/v1/council/meetings/{id}', {
        path: { id },
        body: {
          minutes: v.minutes,
          status: v.status,
          attendees: (v.attendees ?? '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((name) => ({ name, role: '' })),
          resolutions: (m?.agenda ?? []).map((i) => ({ itemId: i.id, resolution: v[`res_${i.id}`] ?? '' })),
        },
      }),
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['council'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Drawer open={!!id} onClose={onClose} width={640} title={m?.title}>
      {m && (
        <Form form={form} layout="vertical" name="minutes" onFinish={(v) => save.mutate(v)}>
          <p>
            {fmtTime(m.startsAt)} · {m.location}
          </p>
          {(m.agenda ?? []).map((i) => (
            <Form.Item
              key={i.id}
              name={`res_${i.id}`}
              label={
                <Space>
                  {i.title}
                  {i.proposal && <Tag>{t(`council.proposalStatus.${i.proposal.status}`)}</Tag>}
                  {i.vote && <Tag>{i.vote.outcome ? t(`council.outcome.${i.vote.outcome}`) : t(`council.voteStatus.${i.vote.status}`)}</Tag>}
                </Space>
              }
            >
              <Input placeholder={t('council.meetings.resolution')} />
            </Form.Item>
          ))}
          <Form.Item name="attendees" label={t('council.meetings.attendees')}>
            <Input.TextArea rows={4} placeholder={t('council.meetings.attendeesHint')} />
          </Form.Item>
          <Form.Item name="minutes" label={t('council.meetings.minutes')}>
            <Input.TextArea rows={6} />
          </Form.Item>
          <Form.Item name="status" label={t('council.col.status')}>
            <Select options={['planned', 'held'].map((s) => ({ value: s, label: t(`council.meetingStatus.${s}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      )}
    </Drawer>
  );
}

export default function MeetingsPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['council', 'meetings'], queryFn: () => api.get('/api/v1/council/meetings', { query: { pageSize: 50 } }) });
  return (
    <>
      <PageHead
        title={t('council.nav.meetings')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('council.meetings.new')}
          </Button>
        }
      />
      <Table<MeetingRow>
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={false}
        onRow={(m) => ({ onClick: () => setOpen(m.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('council.meetings.title'), dataIndex: 'title' },
          { title: t('council.meetings.startsAt'), dataIndex: 'startsAt', render: fmtTime },
          { title: t('council.meetings.location'), dataIndex: 'location' },
          { title: t('council.col.status'), dataIndex: 'status', render: (s) => <Tag>{t(`council.meetingStatus.${s}`)}</Tag> },
        ]}
      />
      <NewMeeting open={creating} onClose={() => setCreating(false)} />
      <MeetingDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
