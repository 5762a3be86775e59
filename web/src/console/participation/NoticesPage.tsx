import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Form, Input, Modal, Progress, Space, Switch, Table, Tag, Upload } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, applyFieldErrors, baseHeaders, errorMessage, uploadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import { AudienceFields } from './AudienceFields';
import { useCommunity, type NoticeRow } from './api';

const statusColor: Record<string, string> = { scheduled: 'blue', published: 'green', withdrawn: 'default' };

function StatsDrawer({ notice, onClose }: { notice: NoticeRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['notices', 'stats', notice?.id],
    queryFn: () => api.get('/api/v1/notices/{id}/stats', { path: { id: notice!.id } }),
    enabled: !!notice,
  });
  return (
    <Drawer open={!!notice} onClose={onClose} width={560} title={notice?.title}>
      {notice && (
        <>
          <div className="notice-body" dangerouslySetInnerHTML={{ __html: notice.bodyHtml }} />
          <h4 style={{ marginTop: 16 }}>{t('participation.notices.readRate')}</h4>
          <Table
            rowKey={(r) => r.buildingId ?? '-'}
            size="small"
            pagination={false}
            loading={q.isLoading}
            dataSource={q.data?.byBuilding ?? []}
            columns={[
              { title: t('participation.notices.building'), dataIndex: 'buildingName', render: (v) => v ?? '—' },
              { title: t('participation.notices.recipients'), dataIndex: 'recipients' },
              { title: t('participation.notices.read'), dataIndex: 'read' },
              {
                title: t('participation.notices.readRate'),
                dataIndex: 'readRate',
                render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" />,
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

function NewNotice({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useCommunity();
  const [form] = Form.useForm();
  const [files, setFiles] = useState<{ id: string; name: string }[]>([]);
  const save = useMutation({
    mutationFn: (v: {
      title: string;
      bodyHtml: string;
      audience?: { placeIds?: string[]; tags?: string[] };
      publishAt?: Dayjs;
      expiresAt?: Dayjs;
      pinned?: boolean;
    }) =>
      api.post('/api/v1/notices', {
        body: {
          communityId: community.id!,
          title: v.title,
          bodyHtml: v.bodyHtml,
          pinned: !!v.pinned,
          audience: { placeIds: v.audience?.placeIds ?? [], tags: v.audience?.tags ?? [] },
          attachmentIds: files.map((f) => f.id),
          publishAt: v.publishAt ? v.publishAt.toISOString() : null,
          expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
        },
      }),
    onSuccess: (n) => {
      message.success(n.status === 'published' ? t('participation.notices.published', { count: n.recipients }) : t('participation.notices.scheduled'));
      qc.invalidateQueries({ queryKey: ['notices'] });
      form.resetFields();
      setFiles([]);
      onClose();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('participation.notices.new')}
      okText={t('participation.notices.publish')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={720}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} name="notice">
        <Form.Item name="title" label={t('participation.notices.title')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item
          name="bodyHtml"
          label={t('participation.notices.body')}
          extra={t('participation.notices.bodyHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={8} />
        </Form.Item>
        <Form.Item label={t('participation.notices.attachments')}>
          <Upload
            action={uploadUrl('/api/v1/notices/files')}
            headers={baseHeaders('POST')}
            withCredentials
            maxCount={10}
            onChange={({ file }) => {
              if (file.status === 'done') setFiles((f) => [...f, { id: file.response.id, name: file.name }]);
              if (file.status === 'removed') setFiles((f) => f.filter((x) => x.id !== file.response?.id));
              if (file.status === 'error') message.error(errorMessage(file.error));
            }}
          >
            <Button>{t('participation.notices.upload')}</Button>
          </Upload>
        </Form.Item>
        <AudienceFields community={community.node} />
        <Space size="large" wrap>
          <Form.Item name="publishAt" label={t('participation.notices.publishAt')} extra={t('participation.notices.publishAtHint')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('participation.notices.expiresAt')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="pinned" label={t('participation.notices.pinned')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export default function NoticesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<NoticeRow | null>(null);
  const { tableProps } = useListPage({ filters: {}, queryKey: ['notices'], fetch: (q) => api.get('/api/v1/notices', { query: q }) });
  const act = useMutation({
    mutationFn: ({ n, what }: { n: NoticeRow; what: 'pin' | 'unpin' | 'withdraw' }) =>
      what === 'withdraw'
        ? api.post('/api/v1/notices/{id}/withdraw', { path: { id: n.id } })
        : api.patch('/api/v1/notices/{id}', { path: { id: n.id }, body: { pinned: what === 'pin' } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notices'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <>
      <PageHead
        title={t('participation.notices.heading')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('participation.notices.new')}
          </Button>
        }
      />
      <Card>
        <Table<NoticeRow>
          {...tableProps}
          columns={[
            {
              title: t('participation.notices.title'),
              key: 'title',
              render: (_, n) => (
                <Space>
                  {n.pinned && <Tag color="red">{t('participation.notices.pinned')}</Tag>}
                  <a onClick={() => setViewing(n)}>{n.title}</a>
                </Space>
              ),
            },
            {
              title: t('participation.col.status'),
              key: 'status',
              render: (_, n) => (
                <Tag color={n.expired ? 'default' : statusColor[n.status]}>
                  {n.expired ? t('participation.notices.expired') : t(`participation.notices.status.${n.status}`)}
                </Tag>
              ),
            },
            { title: t('participation.notices.publishAt'), dataIndex: 'publishAt', render: (v) => fmtTime(v) },
            { title: t('participation.notices.recipients'), dataIndex: 'recipients' },
            {
              title: t('participation.notices.readRate'),
              key: 'rate',
              render: (_, n) => <Progress percent={Math.round((n.readRate ?? 0) * 100)} size="small" style={{ width: 120 }} />,
            },
            {
              title: t('common.actions'),
              key: 'act',
              render: (_, n) =>
                n.status === 'withdrawn' ? null : (
                  <Space>
                    <a onClick={() => act.mutate({ n, what: n.pinned ? 'unpin' : 'pin' })}>
                      {n.pinned ? t('participation.notices.unpin') : t('participation.notices.pin')}
                    </a>
                    <a onClick={() => act.mutate({ n, what: 'withdraw' })}>{t('participation.notices.withdraw')}</a>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <NewNotice open={creating} onClose={() => setCreating(false)} />
      <StatsDrawer notice={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
