import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { SubmitOnEnter } from '../../shared/ui';
import { addNote, incidentAction, raiseWorkOrder, type Incident } from './api';

const order = ['investigate', 'resolve', 'false_alarm', 'note', 'work_order'] as const;
type Act = (typeof order)[number];

/** The buttons the server's allowedActions permit; closing and notes ask for a text. */
export function IncidentActions({ incident, size = 'middle', only }: { incident: Incident; size?: 'small' | 'middle'; only?: Act[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [act, setAct] = useState<Act | null>(null);
  const [busy, setBusy] = useState(false);
  const categories = useQuery({
    queryKey: ['work-order-categories'],
    queryFn: () => api.get('/api/v1/work-order-categories'),
    enabled: act === 'work_order',
    staleTime: 300_000,
  });
  const allowed = order.filter((a) => incident.allowedActions.includes(a) && (!only || only.includes(a)));

  const run = async (a: Act, v: { note?: string; category?: string; description?: string }) => {
    setBusy(true);
    try {
      if (a === 'note') await addNote(incident.id, v.note ?? '');
      else if (a === 'work_order') await raiseWorkOrder(incident.id, { category: v.category, description: v.description?.trim() || undefined });
      else await incidentAction(incident.id, a, { note: v.note?.trim() || undefined, version: incident.version });
      message.success(t(`incidents.done.${a}`));
      setAct(null);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: ['incidents'] });
    }
  };
  const open = (a: Act) => {
    if (a === 'investigate') return void run(a, {});
    form.resetFields();
    setAct(a);
  };

  if (!allowed.length) return null;
  return (
    <>
      <Space wrap>
        {allowed.map((a) => (
          <Button
            key={a}
            size={size}
            type={a === 'resolve' || a === 'investigate' ? 'primary' : 'default'}
            loading={busy && act === null && a === 'investigate'}
            onClick={() => open(a)}
          >
            {t(`incidents.action.${a}`)}
          </Button>
        ))}
      </Space>
      <Modal
        open={act !== null}
        title={act ? t(`incidents.action.${act}`) : ''}
        okText={t('incidents.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setAct(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void run(act!, v)}>
          {act === 'work_order' ? (
            <>
              <Form.Item
                name="category"
                label={t('incidents.woCategory')}
                initialValue="public_area"
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Select loading={categories.isLoading} options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))} />
              </Form.Item>
              <Form.Item name="description" label={t('incidents.woDescription')}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="note" label={t('incidents.note')} rules={[{ required: true, whitespace: true, message: t('incidents.noteRequired') }]}>
              <Input.TextArea rows={3} maxLength={1000} autoFocus />
            </Form.Item>
          )}
          <SubmitOnEnter />
        </Form>
      </Modal>
    </>
  );
}
