import { useState } from 'react';
import { Button, Checkbox, Form, Input, Result, Selector, Stepper, Toast } from 'antd-mobile';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useMyAccess, type Pass } from './api';

interface Values {
  visitorName: string;
  phone?: string;
  start: string[];
  hours: string[];
  pointIds: string[];
  maxUses: number;
}

/** A resident invites a visitor: name, optional phone, when, which doors, how many entries. */
export function InviteVisitor() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const me = useMyAccess();
  const [form] = Form.useForm<Values>();
  const [made, setMade] = useState<Pass | null>(null);
  const m = useMutation({
    mutationFn: (v: Values) => {
      const from = new Date();
      if (v.start[0] === 'tomorrow') from.setHours(24 + 8, 0, 0, 0);
      const until = new Date(from.getTime() + Number(v.hours[0]) * 3_600_000);
      return api.post('/api/v1/access/visitor-passes', {
        body: {
          visitorName: v.visitorName,
          phone: v.phone || null,
          validFrom: from.toISOString(),
          validUntil: until.toISOString(),
          pointIds: v.pointIds,
          maxUses: v.maxUses,
        },
      });
    },
    onSuccess: (p) => {
      setMade(p);
      void qc.invalidateQueries({ queryKey: ['access', 'passes'] });
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) Toast.show({ content: errorMessage(e) });
    },
  });
  if (made) {
    const url = `${window.location.origin}${made.link}`;
    return (
      <Result
        status="success"
        title={t('accessPortal.invited', { name: made.visitorName })}
        description={
          <div>
            <p>
              {fmtTime(made.validFrom)} – {fmtTime(made.validUntil)}
            </p>
            <p>{t('accessPortal.sendLink')}</p>
            <Input readOnly value={url} aria-label={t('accessPortal.link')} data-testid="visit-link" style={{ border: '1px solid #ddd', padding: 6 }} />
            <Button
              style={{ marginTop: 12 }}
              onClick={() => void navigator.clipboard?.writeText(url).then(() => Toast.show({ content: t('accessPortal.copied') }))}
            >
              {t('accessPortal.copy')}
            </Button>
            <Button style={{ marginTop: 12, marginLeft: 8 }} color="primary" onClick={() => nav('/portal/access')}>
              {t('accessPortal.done')}
            </Button>
          </div>
        }
      />
    );
  }
  return (
    <Form
      form={form}
      layout="horizontal"
      initialValues={{ start: ['now'], hours: ['4'], maxUses: 2, pointIds: (me.data?.doors ?? []).map((d) => d.id) }}
      onFinish={(v) => m.mutate(v)}
      footer={
        <Button block type="submit" color="primary" size="large" loading={m.isPending}>
          {t('accessPortal.send')}
        </Button>
      }
    >
      <Form.Header>{t('accessPortal.invite')}</Form.Header>
      <Form.Item name="visitorName" label={t('accessPortal.visitorName')} rules={[{ required: true, message: t('accessPortal.required') }]}>
        <Input placeholder={t('accessPortal.visitorNamePh')} maxLength={40} />
      </Form.Item>
      <Form.Item name="phone" label={t('accessPortal.phone')}>
        <Input type="tel" placeholder={t('accessPortal.optional')} maxLength={20} />
      </Form.Item>
      <Form.Item name="start" label={t('accessPortal.when')}>
        <Selector
          options={[
            { label: t('accessPortal.now'), value: 'now' },
            { label: t('accessPortal.tomorrow'), value: 'tomorrow' },
          ]}
        />
      </Form.Item>
      <Form.Item name="hours" label={t('accessPortal.duration')}>
        <Selector options={['2', '4', '8', '24'].map((h) => ({ label: t('accessPortal.hours', { n: h }), value: h }))} />
      </Form.Item>
      <Form.Item name="pointIds" label={t('accessPortal.doors')} rules={[{ required: true, message: t('accessPortal.required') }]}>
        <Checkbox.Group>
          {(me.data?.doors ?? []).map((d) => (
            <Checkbox key={d.id} value={d.id} style={{ display: 'block', marginBottom: 6 }}>
              {d.name}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="maxUses" label={t('accessPortal.maxUses')}>
        <Stepper min={1} max={50} />
      </Form.Item>
    </Form>
  );
}
