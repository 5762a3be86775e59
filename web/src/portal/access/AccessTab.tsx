import { Button, Card, DotLoading, ErrorBlock, List, Tag } from 'antd-mobile';
import { Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { DoorQr } from './DoorQr';
import { InviteVisitor } from './InviteVisitor';
import { useMyAccess, useMyPasses } from './api';

function AccessHome() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const me = useMyAccess();
  const passes = useMyPasses();
  if (me.isLoading)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  if (me.isError) return <ErrorBlock status="default" title={errorMessage(me.error)} description="" />;
  const now = new Date().toISOString();
  return (
    <>
      <div style={{ padding: '12px 12px 0' }}>
        <Card title={t('accessPortal.qrTitle')}>
          <DoorQr />
          <p style={{ fontSize: 13, color: 'var(--adm-color-weak)', margin: 0 }}>{t('accessPortal.qrHint')}</p>
        </Card>
      </div>
      <List header={t('accessPortal.myDoors')} mode="card">
        {me.data!.doors.map((d) => (
          <List.Item key={d.id} description={t(`accessPortal.kind.${d.kind}`)}>
            {d.name}
          </List.Item>
        ))}
      </List>
      <div style={{ padding: '0 12px' }}>
        <Button block color="primary" size="large" onClick={() => nav('/portal/access/invite')}>
          {t('accessPortal.invite')}
        </Button>
      </div>
      <List header={t('accessPortal.myVisitors')} mode="card">
        {(passes.data?.items ?? []).length === 0 && <List.Item>{t('accessPortal.noVisitors')}</List.Item>}
        {(passes.data?.items ?? []).map((p) => {
          const state = p.status !== 'active' ? 'revoked' : p.validUntil <= now ? 'expired' : p.uses >= p.maxUses ? 'used_up' : 'valid';
          return (
            <List.Item
              key={p.id}
              description={`${fmtTime(p.validFrom)} – ${fmtTime(p.validUntil)} · ${t('accessPortal.uses', { used: p.uses, max: p.maxUses })}`}
              extra={<Tag color={state === 'valid' ? 'success' : 'default'}>{t(`accessPortal.state.${state}`)}</Tag>}
            >
              {p.visitorName}
            </List.Item>
          );
        })}
      </List>
    </>
  );
}

/** 门禁: my door QR (self-refreshing), my doors, visitor invitations. */
export default function AccessTab() {
  return (
    <Routes>
      <Route index element={<AccessHome />} />
      <Route path="invite" element={<InviteVisitor />} />
    </Routes>
  );
}
