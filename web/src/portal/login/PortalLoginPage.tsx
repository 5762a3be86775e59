import { useEffect, useState } from 'react';
import { Button, Form, Input, Tabs, Toast } from 'antd-mobile';
import { Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { useMe, useSignedIn } from '../../shared/auth';
import type { AuthAnswer } from '../../shared/api/models';
import { PortalFrame } from '../PortalProviders';
import { LangPicker } from '../LangPicker';

const phoneRule = /^1\d{10}$/;

export default function PortalLoginPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const me = useMe();
  const signedIn = useSignedIn();
  const [pwForm] = Form.useForm();
  const [otpForm] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const id = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(id);
  }, [countdown]);

  if (me.data?.kind === 'resident') return <Navigate to="/portal" replace />;

  const finish = async (form: typeof pwForm, signIn: () => Promise<AuthAnswer>) => {
    setBusy(true);
    try {
      const a = await signIn();
      signedIn(a);
      nav(a.user.kind === 'resident' ? '/portal' : '/', { replace: true });
    } catch (e) {
      if (!applyFieldErrors(form, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const requestCode = async () => {
    try {
      await otpForm.validateFields(['phone']);
    } catch {
      return;
    }
    setSending(true);
    try {
      const a = await api.post('/api/v1/auth/otp/request', { body: { phone: otpForm.getFieldValue('phone') } });
      setCountdown(60);
      Toast.show({ content: t('portal.codeSent', { minutes: Math.max(1, Math.round((a?.expiresInSeconds ?? 300) / 60)) }) });
    } catch (e) {
      if (!applyFieldErrors(otpForm, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setSending(false);
    }
  };

  const phoneItem = (
    <Form.Item
      name="phone"
      label={t('portal.phone')}
      rules={[
        { required: true, message: t('portal.phoneRequired') },
        { pattern: phoneRule, message: t('portal.phoneInvalid') },
      ]}
    >
      <Input type="tel" inputMode="tel" maxLength={11} autoComplete="tel" clearable placeholder={t('portal.phonePlaceholder')} />
    </Form.Item>
  );
  const submit = (label: string) => (
    <Button block type="submit" color="primary" size="large" loading={busy}>
      {label}
    </Button>
  );

  return (
    <PortalFrame>
      <main className="portal-login">
        <h1>{t('portal.title')}</h1>
        <p className="portal-muted" style={{ textAlign: 'center' }}>
          {t('portal.loginHint')}
        </p>
        <Tabs defaultActiveKey="password">
          <Tabs.Tab title={t('portal.byPassword')} key="password">
            <Form
              form={pwForm}
              name="pw"
              layout="vertical"
              footer={submit(t('auth.login'))}
              onFinish={(v) => finish(pwForm, () => api.post('/api/v1/auth/resident/login', { body: { phone: v.phone, password: v.password } }))}
            >
              {phoneItem}
              <Form.Item name="password" label={t('portal.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
                <Input type="password" autoComplete="current-password" clearable placeholder={t('portal.passwordPlaceholder')} />
              </Form.Item>
            </Form>
          </Tabs.Tab>
          <Tabs.Tab title={t('portal.byCode')} key="otp">
            <Form
              form={otpForm}
              name="otp"
              layout="vertical"
              footer={submit(t('auth.login'))}
              onFinish={(v) => finish(otpForm, () => api.post('/api/v1/auth/otp/verify', { body: { phone: v.phone, code: v.code } }))}
            >
              {phoneItem}
              <Form.Item
                name="code"
                label={t('portal.code')}
                rules={[{ required: true, message: t('portal.codeRequired') }]}
                extra={
                  <Button size="small" color="primary" fill="outline" onClick={requestCode} loading={sending} disabled={countdown > 0} type="button">
                    {countdown > 0 ? t('portal.resendIn', { s: countdown }) : t('portal.getCode')}
                  </Button>
                }
              >
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} clearable placeholder={t('portal.codePlaceholder')} />
              </Form.Item>
            </Form>
          </Tabs.Tab>
        </Tabs>
        <div style={{ marginTop: 24 }}>
          <LangPicker />
        </div>
        <p style={{ textAlign: 'center', marginTop: 24 }}>
          <a href="/login">{t('portal.staffEntry')}</a>
        </p>
      </main>
    </PortalFrame>
  );
}
