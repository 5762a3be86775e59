import { useState } from 'react';
import { Checkbox, Form, Input, InputNumber, Modal, Select, Space, TimePicker, message } from 'antd';
import dayjs from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { SubmitOnEnter } from '../../shared/ui';
import { categories, type Service } from './api';

interface ServiceValues {
  category: (typeof categories)[number];
  nameZh: string;
  nameEn: string;
  description?: string;
  priceYuan: number;
  durationMinutes: number;
  freeCancelHours: number;
  cancelFeeYuan: number;
  active?: boolean;
}

/** Add or change a service: price and fee are entered in yuan and sent as integer fen. */
export function ServiceModal({ providerId, service, open, onClose }: { providerId: string; service: Service | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ServiceValues>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: ServiceValues) => {
    setBusy(true);
    const body = {
      category: v.category,
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      description: v.description?.trim() ?? '',
      priceFen: Math.round(v.priceYuan * 100),
      durationMinutes: v.durationMinutes,
      freeCancelHours: v.freeCancelHours,
      cancelFeeFen: Math.round(v.cancelFeeYuan * 100),
      active: v.active ?? true,
    };
    try {
      if (service) await api.patch('/api/v1/service-providers/{id}/services/{serviceId}', { path: { id: providerId, serviceId: service.id }, body });
      else await api.post('/api/v1/service-providers/{id}/services', { path: { id: providerId }, body });
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['services'] });
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const initial: Partial<ServiceValues> = service
    ? // the service answer types category as text; the form offers the known ones
      { ...service, category: service.category as ServiceValues['category'], priceYuan: service.priceFen / 100, cancelFeeYuan: service.cancelFeeFen / 100 }
    : { category: 'housekeeping', durationMinutes: 120, freeCancelHours: 24, priceYuan: 100, cancelFeeYuan: 0, active: true };
  return (
    <Modal
      open={open}
      title={service ? t('services.editService') : t('services.newService')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initial}>
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
        <Space wrap>
          <Form.Item name="priceYuan" label={t('services.priceYuan')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} step={10} />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('services.durationMinutes')} rules={[{ required: true }]}>
            <InputNumber min={15} max={1440} step={15} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="freeCancelHours" label={t('services.freeCancelHours')} rules={[{ required: true }]}>
            <InputNumber min={0} max={336} />
          </Form.Item>
          <Form.Item name="cancelFeeYuan" label={t('services.cancelFeeYuan')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} />
          </Form.Item>
        </Space>
        <Form.Item name="active" valuePropName="checked">
          <Checkbox>{t('services.bookable')}</Checkbox>
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}

interface HoursValues {
  weekdays: number[];
  range: [dayjs.Dayjs, dayjs.Dayjs];
  capacity: number;
}

/** Weekly hours: the same time range on the chosen weekdays, with places per slot (staff's route, or the provider's with `own`). */
export function HoursModal({
  providerId,
  service,
  open,
  onClose,
  own = false,
}: {
  providerId: string;
  service: Service | null;
  open: boolean;
  onClose: () => void;
  own?: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<HoursValues>();
  const [busy, setBusy] = useState(false);
  if (!service) return null;
  const first = service.hours?.[0];
  const initial = {
    weekdays: service.hours?.length ? [...new Set(service.hours.map((h) => h.weekday))] : [1, 2, 3, 4, 5],
    range: [dayjs(first?.start ?? '09:00', 'HH:mm'), dayjs(first?.end ?? '17:00', 'HH:mm')],
    capacity: first?.capacity ?? 1,
  };
  const submit = async (v: HoursValues) => {
    setBusy(true);
    const [start, end] = [v.range[0].format('HH:mm'), v.range[1].format('HH:mm')];
    try {
      const body = { hours: v.weekdays.sort().map((weekday) => ({ weekday, start, end, capacity: v.capacity })) };
      if (own) await api.put('/api/v1/provider/services/{id}/hours', { path: { id: service.id }, body });
      else await api.put('/api/v1/service-providers/{id}/services/{serviceId}/hours', { path: { id: providerId, serviceId: service.id }, body });
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['services'] });
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('services.hoursOf', { name: service.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initial}>
        <Form.Item name="weekdays" label={t('services.weekdays')} rules={[{ required: true, message: t('common.required') }]}>
          <Checkbox.Group options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`services.weekday.${d}`) }))} />
        </Form.Item>
        <Form.Item name="range" label={t('services.timeRange')} rules={[{ required: true, message: t('common.required') }]}>
          <TimePicker.RangePicker format="HH:mm" minuteStep={15} />
        </Form.Item>
        <Form.Item name="capacity" label={t('services.capacity')} help={t('services.capacityHint')} rules={[{ required: true }]}>
          <InputNumber min={1} max={100} />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
