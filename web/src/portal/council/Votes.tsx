import { Button, Dialog, ErrorBlock, List, Space, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { m2, type Choice } from '../../console/council/api';

export function VoteList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'council', 'votes', 'all'], queryFn: () => api.get('/api/v1/council/votes', { query: { pageSize: 50 } }) });
  if (q.data && !q.data.items.length) return <ErrorBlock status="empty" title={t('councilPortal.noVotes')} description="" />;
  return (
    <List mode="card" header={t('councilPortal.votes')}>
      {(q.data?.items ?? []).map((v) => (
        <List.Item
          key={v.id}
          arrow
          onClick={() => nav(`/portal/council/votes/${v.id}`)}
          description={t(`council.rule.${v.rule}`)}
          extra={
            v.result ? (
              <Tag color={v.result.outcome === 'passed' ? 'success' : 'danger'}>{t(`council.outcome.${v.result.outcome}`)}</Tag>
            ) : v.me?.voted ? (
              <Tag color="success">{t('councilPortal.voted')}</Tag>
            ) : (
              <Tag color="primary">{t(`council.voteStatus.${v.status}`)}</Tag>
            )
          }
        >
          {v.title}
        </List.Item>
      ))}
    </List>
  );
}

export function VoteDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['portal', 'council', 'vote', id], queryFn: () => api.get('/api/v1/council/votes/{id}', { path: { id } }) });
  const cast = useMutation({
    mutationFn: (choice: Choice) => api.post('/api/v1/council/votes/{id}/ballot', { path: { id }, body: { choice } }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('councilPortal.voteRecorded') });
      qc.invalidateQueries({ queryKey: ['portal', 'council'] });
    },
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const v = q.data;
  if (!v) return null;
  const ask = async (choice: Choice) => {
    if (
      await Dialog.confirm({
        content: t('councilPortal.confirmVote', { choice: t(`council.choice.${choice}`) }),
        confirmText: t('councilPortal.confirm'),
        cancelText: t('councilPortal.cancel'),
      })
    )
      cast.mutate(choice);
  };
  return (
    <div style={{ padding: 12 }}>
      <h2 style={{ margin: '4px 0' }}>{v.title}</h2>
      <Space wrap>
        <Tag>{t(`council.voteStatus.${v.status}`)}</Tag>
        <Tag>{v.secret ? t('council.votes.secret') : t('council.votes.named')}</Tag>
        <span>{t(`council.rule.${v.rule}`)}</span>
      </Space>
      <p style={{ whiteSpace: 'pre-wrap' }}>{v.description}</p>
      {v.status === 'open' && v.me && !v.me.eligible && <p>{t('councilPortal.notOnRoll')}</p>}
      {v.me?.voted && (
        <p>
          <Tag color="success">{t('councilPortal.voted')}</Tag> {v.me.channel && t(`council.channel.${v.me.channel}`)}
        </p>
      )}
      {v.allowedActions.includes('cast') && (
        <Space block direction="vertical">
          {(['yes', 'no', 'abstain'] as const).map((c) => (
            <Button
              key={c}
              block
              size="large"
              color={c === 'yes' ? 'success' : c === 'no' ? 'danger' : 'default'}
              loading={cast.isPending}
              onClick={() => ask(c)}
            >
              {t(`council.choice.${c}`)}
            </Button>
          ))}
        </Space>
      )}
      {v.status === 'open' && v.hideResults && <p style={{ color: '#888' }}>{t('council.votes.hiddenUntilClose')}</p>}
      {v.result && (
        <List header={t('council.result.heading')}>
          <List.Item extra={<Tag color={v.result.outcome === 'passed' ? 'success' : 'danger'}>{t(`council.outcome.${v.result.outcome}`)}</Tag>}>
            {t('council.result.decidedBy')}：{t(`council.check.${v.result.decidedBy}`)}
          </List.Item>
          {(['yes', 'no', 'abstain'] as const).map((c) => (
            <List.Item key={c} extra={`${v.result!.tally[c].heads}${v.basis === 'owners' ? ` · ${m2(v.result!.tally[c].area)} ㎡` : ''}`}>
              {t(`council.choice.${c}`)}
            </List.Item>
          ))}
          <List.Item extra={fmtTime(v.result.closedAt)}>{t('council.votes.closedAt')}</List.Item>
        </List>
      )}
    </div>
  );
}
