import { useState } from 'react';
import { Button, Form, Input, Modal, Select, Table, Tabs, Tag, TreeSelect, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { toTreeData, usePlaceTree } from '../../shared/places';
import { PageHead, SubmitOnEnter } from '../../shared/ui';
import { categories, statusColor, useBookings, useProviders, yuan } from './api';
import { BookingDrawer } from './BookingDrawer';

type NewProvider = ApiBody<'/api/v1/service-providers'>;

function CreateProviderModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const tree = usePlaceTree(open);
  const [form] = Form.useForm<NewProvider>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: NewProvider) => {
    setBusy(true);
    try {
      const p = await api.post('/api/v1/service-providers', { body: { ...v, description: v.description?.trim() || undefined } });
      message.success(t('services.created'));
      void qc.invalidateQueries({ queryKey: ['services'] });
      onClose();
      nav(`/services/providers/${p.id}`);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('services.newProvider')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ category: 'housekeeping' }}>
        <Form.Item name="communityId" label={t('services.community')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect
            treeData={toTreeData(tree.data, { selectableKinds: ['community'], stopAt: ['community'] })}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
          />
        </Form.Item>
        <Form.Item name="category" label={t('services.category')} rules={[{ required: true }]}>
          <Select options={categories.map((c) => ({ value: c, label: t(`services.cat.${c}`) }))} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('services.nameZh')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('services.nameEn')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('services.description')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
        <Form.Item name="areaIds" label={t('services.areas')} help={t('services.areasHint')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect
            multiple
            treeData={toTreeData(tree.data, { selectableKinds: ['community', 'estate'], stopAt: ['estate'] })}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
          />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}

function StaffBookings() {
  const { t } = useTranslation();
  const q = useBookings('bookings');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <BookingDrawer id={open} onClose={() => setOpen(null)} side="bookings" />
      <Table
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('services.number'), render: (_, b) => <a onClick={() => setOpen(b.id)}>{b.number}</a> },
          { title: t('services.service'), render: (_, b) => `${b.providerName ?? ''} · ${b.serviceName}` },
          { title: t('services.slot'), render: (_, b) => fmtTime(b.slotStart) },
          { title: t('services.house'), dataIndex: 'placeLabel' },
          { title: t('services.resident'), dataIndex: 'residentName' },
          { title: t('services.price'), render: (_, b) => yuan(b.priceFen) },
          { title: t('services.statusLabel'), render: (_, b) => <Tag color={statusColor[b.status]}>{t(`services.status.${b.status}`)}</Tag> },
          { title: t('services.rating'), render: (_, b) => (b.rating ? '★'.repeat(b.rating) : '') },
        ]}
      />
    </>
  );
}

/** 家政服务: providers and their services (staff), and the bookings in scope. */
export default function ProvidersPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const q = useProviders();
  const [creating, setCreating] = useState(false);
  const providers = (
    <Table
      rowKey="id"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t('services.providerName'), render: (_, p) => <Link to={`/services/providers/${p.id}`}>{p.name}</Link> },
        { title: t('services.category'), render: (_, p) => t(`services.cat.${p.category}`) },
        { title: t('services.serviceCount'), dataIndex: 'serviceCount' },
        { title: t('services.active'), render: (_, p) => (p.active ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
        { title: t('common.createdAt'), render: (_, p) => fmtTime(p.createdAt) },
      ]}
    />
  );
  return (
    <>
      <PageHead
        title={t('services.title')}
        extra={
          can(me, 'create', 'ServiceProvider') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('services.newProvider')}
            </Button>
          )
        }
      />
      {q.isError && <div role="alert">{errorMessage(q.error)}</div>}
      <Tabs
        items={[
          { key: 'providers', label: t('services.providers'), children: providers },
          ...(can(me, 'read', 'ServiceBooking') ? [{ key: 'bookings', label: t('services.bookings'), children: <StaffBookings /> }] : []),
        ]}
      />
      <CreateProviderModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
