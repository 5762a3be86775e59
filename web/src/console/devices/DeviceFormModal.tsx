import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, TreeSelect, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { toTreeData, useCurrentPlace, usePlaceTree } from '../../shared/places';
import { SubmitOnEnter } from '../../shared/ui';
import { typeLabel, useDeviceTypes, type Device } from './api';

/** The new or rotated secret, shown once: the server keeps only its hash. */
export function SecretModal({ deviceId, secret, onClose }: { deviceId?: string; secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={!!secret}
      title={t('devices.secretTitle')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('devices.secretSaved')}
      cancelButtonProps={{ style: { display: 'none' } }}
      maskClosable={false}
    >
      <Alert type="warning" showIcon message={t('devices.secretWarning')} style={{ marginBottom: 16 }} />
      {deviceId && (
        <p>
          {t('devices.deviceId')}:{' '}
          <Typography.Text code copyable={{ text: deviceId }}>
            {deviceId}
          </Typography.Text>
        </p>
      )}
      <p>
        {t('devices.secret')}:{' '}
        <Typography.Text code copyable={{ text: secret ?? '', tooltips: [t('devices.copy'), t('devices.copied')] }} data-testid="device-secret">
          {secret}
        </Typography.Text>
      </p>
    </Modal>
  );
}

export function DeviceFormModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (d: Device) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const types = useDeviceTypes();
  const tree = usePlaceTree();
  const current = useCurrentPlace();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<(Device & { secret: string }) | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (current) form.setFieldsValue({ placeId: current });
    }
  }, [open, current, form]);

  const submit = async (v: ApiBody<'/api/v1/devices'>) => {
    setBusy(true);
    try {
      const r = await api.post('/api/v1/devices', { body: v });
      void qc.invalidateQueries({ queryKey: ['devices'] });
      setCreated(r);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const req = [{ required: true, message: t('common.required') }];

  return (
    <>
      <Modal
        open={open && !created}
        title={t('devices.create')}
        onCancel={onClose}
        onOk={() => form.submit()}
        okText={t('common.save')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} name="device" layout="vertical" onFinish={submit}>
          <Form.Item name="name" label={t('devices.name')} rules={[...req, { max: 100 }]}>
            <Input autoFocus />
          </Form.Item>
          <Form.Item name="typeCode" label={t('devices.type')} rules={req}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={types.isLoading}
              options={(types.data ?? []).map((x) => ({ value: x.code, label: typeLabel(types.data, x.code) }))}
            />
          </Form.Item>
          <Form.Item name="placeId" label={t('devices.place')} rules={req} extra={t('devices.placeHint')}>
            <TreeSelect
              showSearch
              treeNodeFilterProp="title"
              treeData={toTreeData(tree.data, { selectableKinds: ['community', 'estate', 'building', 'unit', 'house'] })}
              loading={tree.isLoading}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
          <Form.Item name="publicArea" label={t('devices.publicAreaName')} rules={[{ max: 100 }]} extra={t('devices.publicAreaHint')}>
            <Input />
          </Form.Item>
          <SubmitOnEnter />
        </Form>
      </Modal>
      <SecretModal
        deviceId={created?.id}
        secret={created?.secret ?? null}
        onClose={() => {
          const { secret: _s, ...d } = created!;
          setCreated(null);
          onDone(d);
        }}
      />
    </>
  );
}
