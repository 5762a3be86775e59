import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import { SubmitOnEnter } from '../../shared/ui';
import { addCosts, woAction, type WoActionBody, type WorkOrder } from './api';
import { PhotoPicker, type PickedPhoto } from './PhotoPicker';

/** Transitions in the order the buttons appear; the server's allowedActions decides which show. */
const order = ['grab', 'assign', 'start', 'pause', 'resume', 'resolve', 'close', 'reopen', 'cancel'] as const;
type Act = (typeof order)[number];
const withPhotos: Act[] = ['start', 'pause', 'resume', 'resolve', 'reopen', 'assign'];
const noteRequired: Act[] = ['cancel', 'reopen'];
const direct: Act[] = ['grab', 'start', 'resume'];

/** Staff who may take work orders: technicians and property managers. */
function useAssignees(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'assignees'],
    queryFn: async () => {
      const r = await api.get('/api/v1/users', { query: { page: 1, pageSize: 200 } });
      return r.items.filter((u) => !u.disabled && u.grants.some((g) => g.role === 'technician' || g.role === 'property_manager'));
    },
    enabled,
    retry: false,
    staleTime: 60_000,
  });
}

export function WoActions({ wo, size = 'middle', block = false }: { wo: WorkOrder; size?: 'small' | 'middle' | 'large'; block?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [costForm] = Form.useForm();
  const [act, setAct] = useState<Act | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [costing, setCosting] = useState(false);
  const costIntent = useIntentKey();
  const assignees = useAssignees(act === 'assign');

  const allowed = order.filter((a) => wo.allowedActions?.includes(a));
  const mayCost = !!wo.allowedActions?.includes('cost');

  const refresh = () => void qc.invalidateQueries({ queryKey: ['work-orders'] });
  const run = async (a: Act, body: WoActionBody) => {
    setBusy(a);
    try {
      await woAction(wo.id, a, { ...body, version: wo.version });
      message.success(t(`woAction.${a}Done`, { defaultValue: t('common.saved') }));
      setAct(null);
      refresh();
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
      refresh();
    } finally {
      setBusy(null);
    }
  };
  const open = (a: Act) => {
    if (direct.includes(a)) return void run(a, {});
    form.resetFields();
    setAct(a);
  };
  const submit = (v: { note?: string; photos?: PickedPhoto[]; assigneeId?: string }) => {
    const body: WoActionBody = {};
    if (v.note?.trim()) body.note = v.note.trim();
    if (v.photos?.length) body.photoIds = v.photos.map((p) => p.id);
    if (act === 'assign') body.assigneeId = v.assigneeId;
    void run(act!, body);
  };
  const saveCosts = async (v: { lines: { description: string; amount: number }[] }) => {
    setBusy('cost');
    try {
      await addCosts(
        wo.id,
        v.lines.map((l) => ({ description: l.description.trim(), amountFen: Math.round(l.amount * 100) })),
        costIntent.key(),
      );
      costIntent.renew();
      message.success(t('common.saved'));
      setCosting(false);
      refresh();
    } catch (e) {
      if (!applyFieldErrors(costForm, e)) message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  if (!allowed.length && !mayCost) return null;
  return (
    <>
      <Space wrap direction={block ? 'vertical' : 'horizontal'} style={block ? { width: '100%' } : undefined}>
        {allowed.map((a) => (
          <Button
            key={a}
            size={size}
            block={block}
            type={['grab', 'start', 'resolve', 'assign', 'resume'].includes(a) ? 'primary' : 'default'}
            danger={a === 'cancel'}
            loading={busy === a}
            onClick={() => open(a)}
          >
            {t(`woAction.${a}`)}
          </Button>
        ))}
        {mayCost && (
          <Button
            size={size}
            block={block}
            onClick={() => {
              costForm.resetFields();
              costForm.setFieldsValue({ lines: [{}] });
              setCosting(true);
            }}
          >
            {t('wo.addCost')}
          </Button>
        )}
      </Space>
      <Modal
        open={!!act}
        title={act ? t(`woAction.${act}`) : ''}
        onCancel={() => setAct(null)}
        onOk={() => form.submit()}
        okText={act ? t(`woAction.${act}`) : ''}
        okButtonProps={{ danger: act === 'cancel' }}
        confirmLoading={!!busy}
        destroyOnHidden
      >
        <Form form={form} name="woAction" layout="vertical" onFinish={submit}>
          {act === 'assign' && (
            <Form.Item name="assigneeId" label={t('wo.assignee')} rules={[{ required: true, message: t('common.required') }]}>
              {assignees.isError ? (
                <Input placeholder="usr_…" />
              ) : (
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={assignees.isLoading}
                  options={(assignees.data ?? []).map((u) => ({
                    value: u.id,
                    label: `${u.displayName} · ${[...new Set(u.grants.map((g) => t(`role.${g.role}`)))].join('/')}`,
                  }))}
                />
              )}
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t('wo.note')}
            rules={[...(act && noteRequired.includes(act) ? [{ required: true, whitespace: true, message: t('common.required') }] : []), { max: 1000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} autoFocus />
          </Form.Item>
          {act && withPhotos.includes(act) && (
            <Form.Item name="photos" label={t('photos.label')}>
              <PhotoPicker onError={(m) => message.error(m)} />
            </Form.Item>
          )}
          <SubmitOnEnter />
        </Form>
      </Modal>
      <Modal
        open={costing}
        title={t('wo.addCost')}
        onCancel={() => {
          costIntent.renew();
          setCosting(false);
        }}
        onOk={() => costForm.submit()}
        okText={t('common.save')}
        confirmLoading={busy === 'cost'}
        destroyOnHidden
      >
        <Form form={costForm} name="woCost" layout="vertical" onFinish={saveCosts}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap>
                    <Form.Item
                      name={[f.name, 'description']}
                      label={t('wo.costItem')}
                      rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}
                    >
                      <Input style={{ width: 220 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'amount']} label={t('wo.costAmount')} rules={[{ required: true, message: t('common.required') }]}>
                      <InputNumber min={0} step={0.01} precision={2} prefix="¥" style={{ width: 140 }} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }}>
                        {t('common.remove')}
                      </Button>
                    )}
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})} disabled={fields.length >= 50}>
                  {t('wo.addCostLine')}
                </Button>
              </>
            )}
          </Form.List>
          <SubmitOnEnter />
        </Form>
      </Modal>
    </>
  );
}
