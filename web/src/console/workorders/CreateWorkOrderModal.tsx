import { useEffect, useState } from 'react';
import { App, Col, DatePicker, Form, Input, Modal, Row, Select, TreeSelect } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { toTreeData, usePlaceTree } from '../../shared/places';
import { SubmitOnEnter } from '../../shared/ui';
import { HouseSelect } from '../residents/HouseSelect';
import { categoryLabel, useCategories, type WorkOrder } from './api';
import { PhotoPicker, type PickedPhoto } from './PhotoPicker';

/** Staff file a work order, e.g. for a resident who phoned in (then the resident follows it in the portal). */
export function CreateWorkOrderModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (w: WorkOrder) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const cats = useCategories(open);
  const tree = usePlaceTree(open);
  const [busy, setBusy] = useState(false);
  const [where, setWhere] = useState<'house' | 'public'>('house');
  const [residentQ, setResidentQ] = useState('');
  const residents = useQuery({
    queryKey: ['residents', 'pick', residentQ],
    queryFn: () => api.get('/api/v1/residents', { query: { q: residentQ, page: 1, pageSize: 20 } }),
    enabled: open && residentQ.length > 0,
  });

  useEffect(() => {
    if (open) {
      form.resetFields();
      setWhere('house');
    }
  }, [open, form]);

  const submit = async (v: Record<string, any>) => {
    setBusy(true);
    const body: ApiBody<'/api/v1/work-orders'> = {
      placeId: v.placeId,
      category: v.category,
      description: v.description?.trim(),
      title: v.title?.trim() || undefined,
      priority: v.priority || undefined,
      residentId: v.residentId || undefined,
      preferredTime: v.preferredTime ? v.preferredTime.toISOString() : undefined,
      photoIds: (v.photos as PickedPhoto[] | undefined)?.map((p) => p.id),
    };
    try {
      const w = await api.post('/api/v1/work-orders', { body });
      message.success(t('wo.created', { number: w.number }));
      onSaved(w);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const req = [{ required: true, message: t('common.required') }];

  return (
    <Modal
      open={open}
      width={720}
      title={t('wo.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} name="wo" layout="vertical" onFinish={submit}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="residentId" label={t('wo.resident')} extra={t('wo.residentHint')}>
              <Select
                showSearch
                allowClear
                filterOption={false}
                onSearch={setResidentQ}
                loading={residents.isFetching}
                notFoundContent={null}
                options={(residents.data?.items ?? []).map((r) => ({
                  value: r.id,
                  label: `${r.name} ${r.phoneMasked ?? ''} ${r.houses.map((h) => h.houseLabel).join(' ')}`,
                }))}
                onChange={(id) => {
                  const r = residents.data?.items.find((x) => x.id === id);
                  if (r?.houses[0] && where === 'house') form.setFieldValue('placeId', r.houses[0].houseId);
                }}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('wo.where')} htmlFor="wo-where">
              <Select
                id="wo-where"
                value={where}
                onChange={(v) => {
                  setWhere(v);
                  form.setFieldValue('placeId', undefined);
                }}
                options={[
                  { value: 'house', label: t('wo.aHouse') },
                  { value: 'public', label: t('wo.aPublicPlace') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="placeId" label={t('wo.place')} rules={req}>
              {where === 'house' ? (
                <HouseSelect />
              ) : (
                <TreeSelect showSearch treeNodeFilterProp="title" treeData={toTreeData(tree.data)} popupMatchSelectWidth={false} />
              )}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="category" label={t('wo.category')} rules={req}>
              <Select options={(cats.data ?? []).map((c) => ({ value: c.code, label: categoryLabel(c) }))} loading={cats.isLoading} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="priority" label={t('wo.priority')} extra={t('wo.priorityHint')}>
              <Select allowClear options={['low', 'normal', 'high', 'urgent'].map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="title" label={t('wo.title')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('wo.description')} rules={[...req, { max: 2000 }]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="preferredTime" label={t('wo.preferredTime')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="photos" label={t('photos.label')}>
              <PhotoPicker onError={(m) => message.error(m)} />
            </Form.Item>
          </Col>
        </Row>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
