import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Popconfirm, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { m2, outcomeColor, type Choice, type RollEntry, type VoteResult } from './api';

const choices = ['yes', 'no', 'abstain'] as const;

/** The frozen verdict with the rule and the condition that decided it. */
export function ResultCard({ r, areaWeighted }: { r: VoteResult; areaWeighted: boolean }) {
  const { t } = useTranslation();
  return (
    <Card title={t('council.result.heading')} data-testid="vote-result">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <Tag color={outcomeColor[r.outcome]} style={{ fontSize: 16, padding: '4px 10px' }}>
            {t(`council.outcome.${r.outcome}`)}
          </Tag>
          <span>
            {t('council.result.rule')}：{t(`council.rule.${r.rule}`)}
            {r.major ? ` · ${t('council.votes.majorShort')}` : ''}
          </span>
        </Space>
        <div>
          {t('council.result.decidedBy')}：<strong>{t(`council.check.${r.decidedBy}`)}</strong>
        </div>
        <Table
          size="small"
          pagination={false}
          rowKey="choice"
          dataSource={choices.map((c) => ({ choice: c, ...r.tally[c] }))}
          columns={[
            { title: t('council.result.choice'), dataIndex: 'choice', render: (v) => t(`council.choice.${v}`) },
            { title: t('council.result.heads'), dataIndex: 'heads' },
            ...(areaWeighted ? [{ title: t('council.result.area'), dataIndex: 'area', render: (v: number) => m2(v) }] : []),
          ]}
        />
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t('council.result.rollHeads')}>{r.roll.heads}</Descriptions.Item>
          <Descriptions.Item label={t('council.result.participating')}>{r.participating.heads}</Descriptions.Item>
          {areaWeighted && <Descriptions.Item label={t('council.result.rollArea')}>{m2(r.roll.area)}</Descriptions.Item>}
          {areaWeighted && <Descriptions.Item label={t('council.result.participatingArea')}>{m2(r.participating.area)}</Descriptions.Item>}
        </Descriptions>
        <Table
          size="small"
          pagination={false}
          rowKey="code"
          dataSource={r.checks}
          columns={[
            { title: t('council.result.condition'), dataIndex: 'code', render: (v) => t(`council.check.${v}`) },
            { title: t('council.result.compared'), render: (_, c) => `${c.left} ${c.op} ${c.right}` },
            { title: t('council.result.met'), dataIndex: 'met', render: (v) => (v ? <Tag color="green">✓</Tag> : <Tag color="red">✗</Tag>) },
          ]}
        />
        {!r.consistent && <Alert type="error" message={t('council.result.inconsistent')} />}
      </Space>
    </Card>
  );
}

export default function VotePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const q = useQuery({ queryKey: ['council', 'vote', id], queryFn: () => api.get('/api/v1/council/votes/{id}', { path: { id } }) });
  const v = q.data;
  const staffish = !!v && (v.allowedActions.includes('paper') || v.allowedActions.includes('open'));
  const roll = useQuery({
    queryKey: ['council', 'roll', id, search],
    queryFn: () => api.get('/api/v1/council/votes/{id}/roll', { path: { id }, query: { q: search || undefined, pageSize: 50 } }),
    enabled: !!v && v.status !== 'draft' && staffish,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['council'] });
  const act = useMutation({
    mutationFn: (action: 'open' | 'close') =>
      action === 'open' ? api.post('/api/v1/council/votes/{id}/open', { path: { id } }) : api.post('/api/v1/council/votes/{id}/close', { path: { id } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const paper = useMutation({
    mutationFn: ({ voterKey, choice }: { voterKey: string; choice: Choice }) =>
      api.post('/api/v1/council/votes/{id}/paper-ballots', { path: { id }, body: { voterKey, choice } }),
    onSuccess: () => {
      message.success(t('council.votes.paperRecorded'));
      refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  if (!v) return null;
  const areaWeighted = v.basis === 'owners';
  return (
    <>
      <PageHead
        title={v.title}
        extra={
          <Space>
            {v.allowedActions.includes('open') && (
              <Button type="primary" onClick={() => act.mutate('open')} loading={act.isPending}>
                {t('council.votes.open')}
              </Button>
            )}
            {v.allowedActions.includes('close') && (
              <Popconfirm title={t('council.votes.closeConfirm')} onConfirm={() => act.mutate('close')}>
                <Button danger loading={act.isPending}>
                  {t('council.votes.close')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <Descriptions bordered size="small" column={2}>
          <Descriptions.Item label={t('council.col.status')}>
            <Tag>{t(`council.voteStatus.${v.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('council.votes.rule')}>
            {t(`council.rule.${v.rule}`)}
            {v.major ? ` · ${t('council.votes.majorShort')}` : ''}
            {v.threshold ? ` (${v.threshold.num}/${v.threshold.den})` : ''}
            {v.quorum ? ` · ${t('council.votes.quorum')} ${v.quorum.num}/${v.quorum.den}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('council.votes.basis')}>{t(`council.basis.${v.basis}`)}</Descriptions.Item>
          <Descriptions.Item label={t('council.votes.secrecy')}>{v.secret ? t('council.votes.secret') : t('council.votes.named')}</Descriptions.Item>
          <Descriptions.Item label={t('council.votes.turnout')}>
            {v.ballotsCast} / {v.roll.heads}
            {areaWeighted && v.status !== 'draft' ? ` · ${m2(v.roll.areaCenti)} m²` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('council.votes.openedAt')}>{v.openedAt ? fmtTime(v.openedAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('council.votes.description')} span={2}>
            {v.description || '—'}
          </Descriptions.Item>
        </Descriptions>
        {v.result && <ResultCard r={v.result} areaWeighted={areaWeighted} />}
        {v.status === 'open' && v.hideResults && <Alert type="info" message={t('council.votes.hiddenUntilClose')} />}
        {v.namedBallots && (
          <Card title={t('council.votes.namedBallots')}>
            <Table
              size="small"
              rowKey={(r) => r.name + r.label}
              pagination={false}
              dataSource={v.namedBallots}
              columns={[
                { title: t('council.votes.voter'), dataIndex: 'name' },
                { title: t('council.votes.houses'), dataIndex: 'label' },
                { title: t('council.result.choice'), dataIndex: 'choice', render: (c) => t(`council.choice.${c}`) },
                { title: t('council.votes.channel'), dataIndex: 'channel', render: (c) => t(`council.channel.${c}`) },
              ]}
            />
          </Card>
        )}
        {v.status !== 'draft' && staffish && (
          <Card title={v.status === 'open' ? t('council.votes.paperDesk') : t('council.votes.roll')}>
            <Input.Search placeholder={t('council.votes.searchRoll')} allowClear onSearch={setSearch} style={{ maxWidth: 320, marginBottom: 12 }} />
            <Table<RollEntry>
              rowKey="voterKey"
              size="small"
              loading={roll.isLoading}
              dataSource={roll.data?.items ?? []}
              pagination={false}
              columns={[
                { title: t('council.votes.voter'), dataIndex: 'name' },
                { title: t('council.votes.houses'), dataIndex: 'label' },
                ...(areaWeighted ? [{ title: t('council.result.area'), dataIndex: 'areaCenti', render: (a: number) => m2(a) }] : []),
                { title: t('council.votes.voted'), render: (_, r) => (r.voted ? <Tag color="green">{t(`council.channel.${r.channel}`)}</Tag> : '—') },
                ...(v.status === 'open'
                  ? [
                      {
                        title: t('council.votes.paperBallot'),
                        render: (_: unknown, r: RollEntry) =>
                          !r.voted && (
                            <Space>
                              {choices.map((c) => (
                                <Popconfirm
                                  key={c}
                                  title={t('council.votes.paperConfirm', { name: r.name, choice: t(`council.choice.${c}`) })}
                                  onConfirm={() => paper.mutate({ voterKey: r.voterKey, choice: c })}
                                >
                                  <Button size="small">{t(`council.choice.${c}`)}</Button>
                                </Popconfirm>
                              ))}
                            </Space>
                          ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        )}
      </Space>
    </>
  );
}
