import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { SubmitOnEnter } from '../../shared/ui';

interface Props {
  residentId: string;
  field: 'idNumber' | 'phone';
  masked: string | null | undefined;
  mayReveal: boolean;
}

/** A masked value with a "查看" button: asks why, calls the audited reveal, shows the plain value. */
export function MaskedField({ residentId, field, masked, mayReveal }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [plain, setPlain] = useState<string | null>(null);
  if (!masked) return <>—</>;

  const submit = async ({ reason }: { reason: string }) => {
    setBusy(true);
    try {
      const a = await api.post('/api/v1/residents/{id}/reveal', { path: { id: residentId }, body: { field, reason } });
      setPlain(a.value);
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['residents', 'access', residentId] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const fieldName = field === 'idNumber' ? t('residents.idNumber') : t('residents.phone');
  return (
    <Space>
      {plain ? (
        <Typography.Text className="masked" copyable strong data-testid={`plain-${field}`}>
          {plain}
        </Typography.Text>
      ) : (
        <span className="masked">{masked}</span>
      )}
      {mayReveal && !plain && (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} aria-label={`${t('residents.reveal')} ${fieldName}`}>
          {t('residents.reveal')}
        </Button>
      )}
      {plain && (
        <Button size="small" type="link" onClick={() => setPlain(null)}>
          {t('residents.hide')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('residents.revealTitle', { field: fieldName })}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('residents.reveal')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('residents.revealNotice')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="reason"
            label={t('residents.revealReason')}
            rules={[{ required: true, whitespace: true, message: t('residents.revealReasonRequired') }, { max: 200 }]}
          >
            <Input autoFocus placeholder={t('residents.revealReasonPlaceholder')} />
          </Form.Item>
          <SubmitOnEnter />
        </Form>
      </Modal>
    </Space>
  );
}
