import { Button, Card, Dialog, ErrorBlock, List, Switch, Tag, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import { fmtTime } from '../../shared/format';
import type { Reward } from '../../console/participation/api';
import { Loading } from './Notices';

/** Redeem with the intent's idempotency key, so a retried tap never redeems twice. */
const redeem = (id: string, key: string) => api.post('/api/v1/rewards/{id}/redeem', { path: { id }, idempotencyKey: key });

/** My building's leaderboard, with the switch to leave it. */
function Leaderboard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['portal', 'leaderboard'], queryFn: () => api.get('/api/v1/points/leaderboard') });
  if (!q.data) return null;
  const toggle = async (joined: boolean) => {
    try {
      await api.put('/api/v1/points/leaderboard/opt-out', { body: { optOut: !joined } });
      await qc.invalidateQueries({ queryKey: ['portal', 'leaderboard'] });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };
  return (
    <List mode="card" header={t('participationPortal.leaderboard')}>
      <List.Item extra={<Switch checked={!q.data.optedOut} onChange={toggle} />}>{t('participationPortal.showMe')}</List.Item>
      {q.data.items.map((r) => (
        <List.Item key={r.rank} prefix={<span style={{ width: 24, display: 'inline-block' }}>{r.rank}</span>} extra={r.earned}>
          {r.me ? <b>{r.name}</b> : r.name}
        </List.Item>
      ))}
    </List>
  );
}

export function MyPoints() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ['portal', 'points'], queryFn: () => api.get('/api/v1/points/me') });
  const rewards = useQuery({ queryKey: ['portal', 'rewards'], queryFn: () => api.get('/api/v1/rewards') });
  // a redeem confirmed once and retried (the failure toast, a second tap) stays one redemption
  const intent = useIntentKey();
  if (me.isLoading) return <Loading />;
  if (me.isError || !me.data) return <ErrorBlock status="default" title={errorMessage(me.error)} description="" />;
  const p = me.data;
  const onRedeem = async (r: Reward) => {
    if (!(await Dialog.confirm({ content: t('participationPortal.confirmRedeem', { name: r.name, cost: r.cost }) }))) return;
    try {
      await redeem(r.id, intent.key());
      intent.renew();
      Toast.show({ icon: 'success', content: t('participationPortal.redeemed') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
    await qc.invalidateQueries({ queryKey: ['portal'] });
  };
  return (
    <div style={{ padding: 12 }}>
      <Card title={t('participationPortal.myPoints')}>
        <div style={{ fontSize: 36, fontWeight: 600 }} data-testid="points-balance">
          {p.balance}
        </div>
        <div style={{ color: '#888' }}>{t('participationPortal.earned', { count: p.earned })}</div>
      </Card>
      <List mode="card" header={t('participationPortal.honours')}>
        {p.honours.length === 0 && <List.Item>{t('participationPortal.noHonours')}</List.Item>}
        {p.honours.map((h) => (
          <List.Item key={h.id} prefix={<Tag color="warning">🏅</Tag>} description={fmtTime(h.awardedAt)}>
            {h.name}
          </List.Item>
        ))}
      </List>
      <List mode="card" header={t('participationPortal.rewards')}>
        {(rewards.data?.items ?? []).map((r) => (
          <List.Item
            key={r.id}
            description={t('participationPortal.stock', { count: r.stock })}
            extra={
              <Button size="small" color="primary" disabled={r.stock < 1 || p.balance < r.cost} onClick={() => onRedeem(r)}>
                {t('participationPortal.redeem', { cost: r.cost })}
              </Button>
            }
          >
            {r.name}
          </List.Item>
        ))}
      </List>
      <Leaderboard />
      <List mode="card" header={t('participationPortal.ledger')}>
        {p.ledger.map((l) => (
          <List.Item
            key={l.id}
            description={fmtTime(l.at)}
            extra={
              <span style={{ color: l.delta >= 0 ? 'var(--adm-color-success)' : 'var(--adm-color-danger)' }}>{l.delta >= 0 ? `+${l.delta}` : l.delta}</span>
            }
          >
            {t(`participationPortal.ledgerAction.${l.component}.${l.action}`, { defaultValue: l.reason ?? `${l.component} · ${l.action}` })}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
