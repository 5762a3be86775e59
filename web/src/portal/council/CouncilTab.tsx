import { Badge, List } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { ProposalDetail, ProposalList, ProposalNew } from './Proposals';
import { VoteDetail, VoteList } from './Votes';
import { FeedbackDetail, FeedbackList, FeedbackNew } from './Feedback';

/** 议事: proposals (create, co-sign, comment, follow), votes (cast), feedback (submit, follow, rate). */
function Menu() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const votes = useQuery({ queryKey: ['portal', 'council', 'votes'], queryFn: () => api.get('/api/v1/council/votes', { query: { status: 'open' } }) });
  const todo = votes.data?.items.filter((v) => v.me?.eligible && !v.me.voted).length ?? 0;
  return (
    <List mode="card" header={t('councilPortal.title')}>
      <List.Item arrow onClick={() => nav('/portal/council/votes')} extra={todo ? <Badge content={todo} /> : null}>
        {t('councilPortal.votes')}
      </List.Item>
      <List.Item arrow onClick={() => nav('/portal/council/proposals')}>
        {t('councilPortal.proposals')}
      </List.Item>
      <List.Item arrow onClick={() => nav('/portal/council/feedback')}>
        {t('councilPortal.feedback')}
      </List.Item>
    </List>
  );
}

export function CouncilTab() {
  return (
    <Routes>
      <Route index element={<Menu />} />
      <Route path="proposals" element={<ProposalList />} />
      <Route path="proposals/new" element={<ProposalNew />} />
      <Route path="proposals/:id" element={<ProposalDetail />} />
      <Route path="votes" element={<VoteList />} />
      <Route path="votes/:id" element={<VoteDetail />} />
      <Route path="feedback" element={<FeedbackList />} />
      <Route path="feedback/new" element={<FeedbackNew />} />
      <Route path="feedback/:id" element={<FeedbackDetail />} />
    </Routes>
  );
}
