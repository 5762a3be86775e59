import { useEffect, useState } from 'react';
import { App, Checkbox, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../shared/api';
import { typeLabel, useDeviceTypes } from '../devices/api';
import { categoryLabel, useCategories } from '../workorders/api';
import { SubmitOnEnter } from '../../shared/ui';
import type { AlarmRule } from './api';

const example = {
  type: 'condition',
  create: { major: { condition: { key: 'pressure', op: '<', value: 0.15 }, spec: { type: 'duration', seconds: 60 } } },
  clear: { condition: { key: 'pressure', op: '>=', value: 0.2 }, spec: { type: 'simple' } },
};

const pretty = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2));

/** JSON text → value; a Form rule reports the parse error on the field. */
function jsonRule(t: (k: string) => string, required: boolean) {
  return {
    validator: async (_: unknown, v: string | undefined) => {
      if (!v || !v.trim()) {
        if (required) throw new Error(t('common.required'));
        return;
      }
      try {
        const x = JSON.parse(v);
        if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error('object');
      } catch {
        throw new Error(t('rules.badJson'));
      }
    },
  };
}

/**
 * The server names the failing spot inside the JSON (`definition.create.major.condition.op`);
 * the message goes on the JSON field, prefixed with that path.
 */
function putJsonErrors(form: ReturnType<typeof Form.useForm>[0], err: unknown): boolean {
  if (!(err instanceof ApiError) || err.errors.length === 0) return false;
  const byField = new Map<string, string[]>();
  const fields = ['definition', 'schedule', 'name', 'code', 'deviceTypeCode', 'deviceId', 'workOrderCategory'];
  for (const e of err.errors) {
    const path = String(e.field ?? '')
      .replace(/^\/?(body[./])?/, '')
      .replace(/\//g, '.');
    const top = fields.find((f) => path === f || path.startsWith(f + '.'));
    if (!top) continue;
    const sub = path.slice(top.length + 1);
    const msg = `${sub ? sub + ': ' : ''}${e.message || e.code}`;
    byField.set(top, [...(byField.get(top) ?? []), msg]);
  }
  if (!byField.size) return false;
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  return true;
}

export function RuleFormModal({ open, rule, onClose, onSaved }: { open: boolean; rule: AlarmRule | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const types = useDeviceTypes();
  const cats = useCategories(open);
  const [busy, setBusy] = useState(false);
  const editing = !!rule;
  const createWo = Form.useWatch('createWorkOrder', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (rule) {
      form.setFieldsValue({
        name: rule.name,
        enabled: rule.enabled,
        definition: pretty(rule.definition),
        schedule: pretty(rule.schedule),
        createWorkOrder: rule.createWorkOrder,
        workOrderCategory: rule.workOrderCategory ?? undefined,
      });
    } else {
      form.setFieldsValue({ enabled: true, definition: pretty(example), createWorkOrder: false });
    }
  }, [open, rule, form]);

  const submit = async (v: Record<string, any>) => {
    setBusy(true);
    const body = {
      name: v.name?.trim(),
      enabled: !!v.enabled,
      definition: JSON.parse(v.definition),
      schedule: v.schedule?.trim() ? JSON.parse(v.schedule) : null,
      createWorkOrder: !!v.createWorkOrder,
      workOrderCategory: v.createWorkOrder ? (v.workOrderCategory ?? null) : null,
    };
    try {
      if (editing) {
        await api.patch('/api/v1/alarm-rules/{id}', { path: { id: rule!.id }, body });
      } else {
        const target = v.deviceId?.trim() ? { deviceId: v.deviceId.trim() as string } : { deviceTypeCode: v.deviceTypeCode as string };
        await api.post('/api/v1/alarm-rules', { body: { ...body, code: v.code?.trim(), ...target } });
      }
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!putJsonErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const req = [{ required: true, message: t('common.required') }];

  return (
    <Modal
      open={open}
      width={720}
      title={editing ? t('rules.edit') : t('rules.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} name="rule" layout="vertical" onFinish={submit}>
        {!editing && (
          <>
            <Form.Item name="code" label={t('rules.code')} rules={[...req, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('rules.codeHint') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="deviceTypeCode" label={t('rules.deviceType')} extra={t('rules.deviceTypeHint')}>
              <Select
                allowClear
                options={[
                  { value: '*', label: t('rules.allTypes') },
                  ...(types.data ?? []).map((x) => ({ value: x.code, label: typeLabel(types.data, x.code) })),
                ]}
              />
            </Form.Item>
            <Form.Item name="deviceId" label={t('rules.deviceId')} extra={t('rules.deviceIdHint')}>
              <Input placeholder="dev_…" />
            </Form.Item>
          </>
        )}
        <Form.Item name="name" label={t('rules.name')} rules={[...req, { max: 100 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="definition" label={t('rules.definition')} rules={[jsonRule(t, true)]} extra={t('rules.definitionHint')}>
          <Input.TextArea autoSize={{ minRows: 8, maxRows: 20 }} spellCheck={false} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />
        </Form.Item>
        <Form.Item name="schedule" label={t('rules.schedule')} rules={[jsonRule(t, false)]} extra={t('rules.scheduleHint')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} spellCheck={false} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />
        </Form.Item>
        <Form.Item name="createWorkOrder" valuePropName="checked">
          <Checkbox>{t('rules.createWorkOrder')}</Checkbox>
        </Form.Item>
        {createWo && (
          <Form.Item name="workOrderCategory" label={t('rules.workOrderCategory')}>
            <Select allowClear options={(cats.data ?? []).map((c) => ({ value: c.code, label: categoryLabel(c) }))} />
          </Form.Item>
        )}
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
