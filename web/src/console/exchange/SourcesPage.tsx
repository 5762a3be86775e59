import { useState } from 'react';
import { App as AntApp, Button, Card, Drawer, Form, Input, Select, Space, Table, Tag, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { ImportsPanel } from './ImportsPanel';
import { MappingDrawer } from './MappingDrawer';

const DEPARTMENTS = ['police', 'civil_affairs', 'health', 'street_office', 'property'] as const;

/** 数据来源: a department's sources, their mapping profiles and uploads, each import with its rejected rows. */
export default function SourcesPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [mapping, setMapping] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const sources = useQuery({ queryKey: ['exchange', 'sources'], queryFn: () => api.get('/api/v1/exchange/sources') });
  const create = useMutation({
    mutationFn: (v: { name: string; department: (typeof DEPARTMENTS)[number]; placeId: string }) => api.post('/api/v1/exchange/sources', { body: v }),
    onSuccess: () => {
      setCreating(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['exchange', 'sources'] });
    },
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const upload = useMutation({
    mutationFn: ({ id, file }: { id: string; file: File }) => {
      const fd = new FormData();
      fd.append('file', file);
      return api.post('/api/v1/exchange/sources/{id}/uploads', { path: { id }, body: fd as never });
    },
    onSuccess: (r) => {
      message.success(t('exchangeIn.imports.done', { total: r.total, linked: r.linked, review: r.review, rejected: r.rejected }));
      void qc.invalidateQueries({ queryKey: ['exchange', 'imports'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const manage = can(me, 'configure', 'ExchangeSource');
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeIn.nav.sources')}</h1>
        <Space>
          <Link to="/exchange/reviews">{t('exchangeIn.nav.reviews')}</Link>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('exchangeIn.sources.new')}
            </Button>
          )}
        </Space>
      </div>
      <Card>
        <Table
          rowKey="id"
          loading={sources.isLoading}
          dataSource={sources.data?.items ?? []}
          pagination={false}
          rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (k) => setSelected(String(k[0])) }}
          columns={[
            { title: t('exchangeIn.sources.name'), dataIndex: 'name' },
            { title: t('exchangeIn.sources.department'), dataIndex: 'department', render: (d: string) => <Tag>{t(`exchangeIn.department.${d}`)}</Tag> },
            { title: t('exchangeIn.sources.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, s: { id: string }) => (
                <Space>
                  <Button size="small" onClick={() => setMapping(s.id)}>
                    {t('exchangeIn.mapping.open')}
                  </Button>
                  <Upload
                    accept=".csv,.xlsx"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      upload.mutate({ id: s.id, file });
                      return false;
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
                      {t('exchangeIn.sources.upload')}
                    </Button>
                  </Upload>
                  <Link to={`/exchange/quality/${s.id}`}>{t('exchangeIn.nav.quality')}</Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {selected && <ImportsPanel sourceId={selected} />}
      {mapping && <MappingDrawer sourceId={mapping} onClose={() => setMapping(null)} />}
      <Drawer open={creating} title={t('exchangeIn.sources.new')} onClose={() => setCreating(false)} width={420}>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('exchangeIn.sources.name')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="department" label={t('exchangeIn.sources.department')} rules={[{ required: true }]}>
            <Select options={DEPARTMENTS.map((d) => ({ value: d, label: t(`exchangeIn.department.${d}`) }))} />
          </Form.Item>
          <Form.Item name="placeId" label={t('exchangeIn.sources.place')} rules={[{ required: true }]}>
            <Input placeholder="com_…" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Drawer>
    </>
  );
}
