import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { SubmitOnEnter } from '../../shared/ui';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { useCodeOptions, useCodes } from '../../shared/codes';
import type { PlaceRow } from '../../shared/api/models';
import { childKinds } from './kinds';

interface Props {
  open: boolean;
  /** Create a child of this place… */
  parent?: { id: string; kind: string } | null;
  /** …or edit this one. */
  place?: PlaceRow | null;
  onClose: () => void;
  onSaved: (p: PlaceRow) => void;
}

/** The form's values: a place's fields without its parent (the modal's `parent`). */
type PlaceForm = Omit<ApiBody<'/api/v1/places'>, 'parentId'>;

/** Create or edit a place; the fields follow the kind (region code, house floor/area/use). */
export function PlaceFormModal({ open, parent, place, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const codes = useCodes();
  const opts = useCodeOptions();
  const [busy, setBusy] = useState(false);
  const editing = !!place;
  const kinds = childKinds(parent?.kind);
  const kind: string = Form.useWatch('kind', form) ?? place?.kind ?? kinds[0];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (place) form.setFieldsValue(place);
    else form.setFieldsValue({ kind: kinds[0], houseUse: 'residential' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, place?.id, parent?.id]);

  const submit = async (v: PlaceForm) => {
    setBusy(true);
    try {
      const saved = editing
        ? await api.patch('/api/v1/places/{id}', { path: { id: place!.id }, body: v })
        : await api.post('/api/v1/places', { body: { ...v, parentId: parent?.id ?? null } });
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const kindOptions = opts(codes.placeKinds).filter((o) => kinds.includes(o.value));
  return (
    <Modal
      open={open}
      title={editing ? t('places.edit') : t('places.createChild')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        {!editing && (
          <Form.Item name="kind" label={t('places.kind')} rules={[{ required: true }]}>
            <Select options={kindOptions.length ? kindOptions : kinds.map((k) => ({ value: k, label: t(`placeKind.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={kind === 'house' ? t('places.houseNumber') : t('places.name')}
          rules={[{ required: true, message: t('common.required') }, { max: 100 }]}
        >
          <Input autoFocus />
        </Form.Item>
        {kind === 'region' ? (
          <>
            <Form.Item
              name="code"
              label={t('places.regionCode')}
              extra={t('places.regionCodeHint')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: /^\d{6}(\d{3})?$/, message: t('places.regionCodeInvalid') },
              ]}
            >
              <Input inputMode="numeric" maxLength={9} />
            </Form.Item>
            {!editing && (
              <Form.Item name="regionLevel" label={t('places.regionLevel')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={opts(codes.regionLevels)} />
              </Form.Item>
            )}
          </>
        ) : (
          <Form.Item name="code" label={t('places.code')} rules={[{ max: 50 }]}>
            <Input />
          </Form.Item>
        )}
        {kind === 'house' && (
          <>
            <Form.Item name="floor" label={t('places.floor')} extra={t('places.floorHint')}>
              <InputNumber style={{ width: '100%' }} precision={0} />
            </Form.Item>
            <Form.Item name="areaM2" label={t('places.areaM2')}>
              <InputNumber style={{ width: '100%' }} min={0} step={0.01} />
            </Form.Item>
            <Form.Item name="houseUse" label={t('places.houseUse')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={opts(codes.houseUses)} />
            </Form.Item>
          </>
        )}
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
