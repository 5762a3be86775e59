import { useEffect, useState } from 'react';
import { Button, DotLoading, ErrorBlock, ProgressBar } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';

/** A door QR that fetches a fresh signed token before the old one expires (tokens live ≤ 60 s). */
export function DoorQr({ pointId }: { pointId?: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['access', 'qr', pointId ?? '*'],
    queryFn: () => api.post('/api/v1/access/me/qr', { body: pointId ? { pointId } : {} }),
    refetchInterval: (query) => (query.state.data?.refreshAfterS ?? 30) * 1000,
    refetchIntervalInBackground: false,
    gcTime: 0,
  });
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);
  if (q.isLoading)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  const left = q.data ? Math.max(0, Math.round((Date.parse(q.data.expiresAt) - now) / 1000)) : 0;
  return (
    <div className="access-qr" style={{ textAlign: 'center', padding: 16 }}>
      <div role="img" aria-label={t('accessPortal.qrLabel')} data-token={q.data?.token} style={{ display: 'inline-block', background: '#fff', padding: 12 }}>
        <QRCodeSVG value={q.data!.token} size={232} level="M" />
      </div>
      <p style={{ margin: '8px 0 4px' }}>{left > 0 ? t('accessPortal.validFor', { s: left }) : t('accessPortal.refreshing')}</p>
      <ProgressBar percent={Math.min(100, (left / 60) * 100)} />
      <Button size="small" fill="none" color="primary" style={{ marginTop: 8 }} onClick={() => void q.refetch()}>
        {t('accessPortal.refresh')}
      </Button>
    </div>
  );
}
