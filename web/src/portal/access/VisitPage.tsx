import { DotLoading, ErrorBlock, NavBar, Result } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PortalFrame } from '../PortalProviders';

/** The visitor's page (no sign-in; the link is the credential): a QR valid only in the pass window. */
export default function VisitPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const q = useQuery({
    queryKey: ['visit', code],
    queryFn: () => api.get('/public/visits/{code}', { path: { code } }),
    refetchInterval: (query) => (query.state.data?.refreshAfterS ?? 30) * 1000,
    retry: false,
  });
  return (
    <PortalFrame>
      <NavBar back={null}>{t('accessPortal.visitTitle')}</NavBar>
      <main className="portal-body" style={{ padding: 16, textAlign: 'center' }}>
        {q.isLoading && <DotLoading />}
        {q.isError && <ErrorBlock status="default" title={errorMessage(q.error)} description="" />}
        {q.data && (
          <>
            <h2 style={{ margin: '8px 0' }}>{t('accessPortal.welcomeVisitor', { name: q.data.visitorName })}</h2>
            <p>{t('accessPortal.visiting', { host: q.data.hostName, community: q.data.community })}</p>
            <p>
              {fmtTime(q.data.validFrom)} – {fmtTime(q.data.validUntil)} · {t('accessPortal.usesLeft', { n: q.data.usesLeft })}
            </p>
            {q.data.token ? (
              <div
                role="img"
                aria-label={t('accessPortal.qrLabel')}
                data-token={q.data.token}
                style={{ display: 'inline-block', background: '#fff', padding: 12 }}
              >
                <QRCodeSVG value={q.data.token} size={232} level="M" />
              </div>
            ) : (
              <Result status="warning" title={t(`accessPortal.state.${q.data.state}`)} />
            )}
            <p>{t('accessPortal.doorsList', { doors: q.data.doors.map((d) => d.name).join('、') })}</p>
          </>
        )}
      </main>
    </PortalFrame>
  );
}
