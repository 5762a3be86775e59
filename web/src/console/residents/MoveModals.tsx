import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type FieldErrorTarget } from '../../shared/api';
import { useCodeOptions, useCodes } from '../../shared/codes';
import { SubmitOnEnter } from '../../shared/ui';
import type { Residency } from '../../shared/api/models';
import { HouseSelect } from './HouseSelect';

function useSubmit(form: FieldErrorTarget, run: () => Promise<void>) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await run();
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, go };
}

/** 迁出: end a residency on a date, with an optional reason. */
export function MoveOutModal(props: { residentId: string; residency: Residency | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ moveOut: Dayjs; reason?: string }>();
  const r = props.residency;
  useEffect(() => {
    if (r) form.setFieldsValue({ moveOut: dayjs(), reason: undefined });
  }, [r, form]);
  const { busy, go } = useSubmit(form, async () => {
    const v = form.getFieldsValue();
    await api.post('/api/v1/residents/{id}/move-out', {
      path: { id: props.residentId },
      body: {
        residencyId: r!.id,
        moveOut: v.moveOut.format('YYYY-MM-DD'),
        reason: v.reason || undefined,
      },
    });
    props.onDone();
  });
  return (
    <Modal
      open={!!r}
      title={t('residents.moveOutTitle', { house: r?.houseLabel ?? '' })}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t('residents.moveOut')}
      okButtonProps={{ danger: true }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={go}>
        <Form.Item name="moveOut" label={t('residents.moveOutDate')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => !!r && d.isBefore(dayjs(r.moveIn), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label={t('residents.moveOutReason')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}

/** 迁入: start a residency in a house. */
export function MoveInModal(props: { residentId: string; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const codes = useCodes();
  const opts = useCodeOptions();
  const [form] = Form.useForm();
  useEffect(() => {
    if (props.open) form.setFieldsValue({ moveIn: dayjs(), role: 'family' });
  }, [props.open, form]);
  const { busy, go } = useSubmit(form, async () => {
    const v = form.getFieldsValue();
    await api.post('/api/v1/residents/{id}/move-in', {
      path: { id: props.residentId },
      body: {
        houseId: v.houseId,
        role: v.role,
        relation: v.relation || undefined,
        moveIn: v.moveIn.format('YYYY-MM-DD'),
      },
    });
    props.onDone();
  });
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open={props.open}
      title={t('residents.moveIn')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={go}>
        <Form.Item name="houseId" label={t('residents.house')} rules={req}>
          <HouseSelect />
        </Form.Item>
        <Form.Item name="role" label={t('residents.role')} rules={req}>
          <Select options={opts(codes.residentRoles)} />
        </Form.Item>
        <Form.Item name="relation" label={t('residents.relation')}>
          <Select allowClear showSearch optionFilterProp="label" options={opts(codes.relations)} />
        </Form.Item>
        <Form.Item name="moveIn" label={t('residents.moveInDate')} rules={req}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
