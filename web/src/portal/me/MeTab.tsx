import { Button, Dialog, List, Tag } from 'antd-mobile';
// antd's Switch is a real <button role="switch">, so the label and the keyboard reach it.
import { Switch } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../shared/auth';
import { useCodeLabel, useCodes } from '../../shared/codes';
import { fmtTime } from '../../shared/format';
import { setElderMode, useElderMode } from '../elder';
import { LangPicker } from '../LangPicker';
import { useMyAccessLog, useMyResident } from '../usePortal';

export function MeTab() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const logout = useLogout();
  const elder = useElderMode();
  const codes = useCodes();
  const label = useCodeLabel();
  const r = useMyResident().data?.resident;
  const log = useMyAccessLog();

  const onLogout = async () => {
    const ok = await Dialog.confirm({ content: t('portal.logoutConfirm'), confirmText: t('auth.logout'), cancelText: t('common.cancel') });
    if (!ok) return;
    await logout();
    nav('/portal/login', { replace: true });
  };

  return (
    <>
      <List header={t('portal.profile')} mode="card">
        <List.Item extra={r?.name}>{t('residents.name')}</List.Item>
        <List.Item extra={<span className="portal-masked">{r?.idNumberMasked ?? '—'}</span>}>{t('residents.idNumber')}</List.Item>
        <List.Item extra={<span className="portal-masked">{r?.phoneMasked ?? '—'}</span>}>{t('portal.phone')}</List.Item>
        {r?.tags?.length ? (
          <List.Item
            extra={r.tags.map((c) => (
              <Tag key={c} style={{ marginLeft: 4 }}>
                {label(codes.residentTags, c)}
              </Tag>
            ))}
          >
            {t('residents.tags')}
          </List.Item>
        ) : null}
      </List>

      <List header={t('portal.settings')} mode="card">
        <List.Item
          extra={<Switch checked={elder} onChange={setElderMode} id="elder-mode-switch" className="elder-switch" />}
          description={t('portal.elderModeHint')}
        >
          <label htmlFor="elder-mode-switch">{t('portal.elderMode')}</label>
        </List.Item>
        <List.Item
          description={
            <div style={{ paddingTop: 8 }}>
              <LangPicker />
            </div>
          }
        >
          {t('common.language')}
        </List.Item>
      </List>

      <List header={t('portal.whoViewed')} mode="card">
        {log.data?.items.length === 0 && <List.Item>{t('portal.nobodyViewed')}</List.Item>}
        {log.data?.items.map((e, i) => (
          <List.Item key={`${e.at}-${i}`} description={readDescription(e, t)} extra={t(`auditAction.${e.action}`, { defaultValue: e.action })}>
            {e.actorName}
          </List.Item>
        ))}
      </List>

      <div style={{ padding: '8px 12px 24px' }}>
        <Button block color="danger" fill="outline" size="large" onClick={onLogout} type="button">
          {t('auth.logout')}
        </Button>
      </div>
    </>
  );
}

/** When, and for a department's read under a sharing agreement: which agreement, for what purpose, which fields. */
function readDescription(e: { at: string; action: string; detail?: unknown }, t: (k: string, o?: Record<string, unknown>) => string): string {
  const d = (e.detail ?? {}) as { agreement?: string; purpose?: string; fields?: string[] };
  if (e.action !== 'exchange.record.read' || !d.agreement) return fmtTime(e.at);
  const fields = (d.fields ?? []).map((f) => t(`exchangeOut.field.${f}`, { defaultValue: f })).join('、');
  return `${fmtTime(e.at)} · ${d.agreement} · ${d.purpose ?? ''} · ${fields}`;
}
