import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { SubmitOnEnter } from '../../shared/ui';
import { ackAlarm, clearAlarm, type Alarm } from './api';

/** 确认 (acknowledge) and 清除 (clear, with a reason) for one alarm. */
export function AlarmActions({ alarm }: { alarm: Alarm }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [clearing, setClearing] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const mayAck = can(me, 'acknowledge', 'Alarm');
  const mayClear = can(me, 'clear', 'Alarm');
  if (!mayAck && !mayClear) return null;

  const done = () => void qc.invalidateQueries({ queryKey: ['alarms'] });
  const ack = async () => {
    setBusy(true);
    try {
      await ackAlarm(alarm.id);
      message.success(t('alarms.acked'));
      done();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const clear = async (v: { reason: string }) => {
    setBusy(true);
    try {
      await clearAlarm(alarm.id, v.reason.trim());
      message.success(t('alarms.cleared'));
      setClearing(false);
      done();
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const name = `${alarm.ruleName ?? alarm.ruleCode ?? ''} ${alarm.deviceName ?? ''}`.trim() || alarm.id;

  return (
    <Space>
      {mayAck && alarm.status === 'active' && (
        <Button size="small" type="primary" loading={busy} onClick={ack} aria-label={t('alarms.ackOf', { name })}>
          {t('alarms.ack')}
        </Button>
      )}
      {mayClear && alarm.status !== 'cleared' && (
        <Button
          size="small"
          danger
          onClick={() => {
            form.resetFields();
            setClearing(true);
          }}
          aria-label={t('alarms.clearOf', { name })}
        >
          {t('alarms.clear')}
        </Button>
      )}
      <Modal
        open={clearing}
        title={t('alarms.clearTitle')}
        onCancel={() => setClearing(false)}
        onOk={() => form.submit()}
        okText={t('alarms.clear')}
        okButtonProps={{ danger: true }}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} name="alarmClear" layout="vertical" onFinish={clear}>
          <Form.Item name="reason" label={t('alarms.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
            <Input autoFocus />
          </Form.Item>
          <SubmitOnEnter />
        </Form>
      </Modal>
    </Space>
  );
}
