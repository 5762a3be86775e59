import { Badge, List } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { NoticeDetail, NoticeList } from './Notices';
import { SurveyAnswer, SurveyList } from './Surveys';
import { EventDetail, EventList } from './Events';
import { MyPoints } from './Points';

/** 参与: notices, surveys, events, my points and honours. */
function Menu() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const notices = useQuery({ queryKey: ['portal', 'notices'], queryFn: () => api.get('/api/v1/notices', { query: { page: 1, pageSize: 50 } }) });
  const surveys = useQuery({ queryKey: ['portal', 'surveys'], queryFn: () => api.get('/api/v1/surveys') });
  const unread = notices.data?.items.filter((n) => !n.read).length ?? 0;
  const todo = surveys.data?.items.filter((s) => s.state === 'open' && !s.answered).length ?? 0;
  return (
    <List mode="card" header={t('participationPortal.title')}>
      <List.Item arrow onClick={() => nav('/portal/participation/notices')} extra={unread ? <Badge content={unread} /> : null}>
        {t('participationPortal.notices')}
      </List.Item>
      <List.Item arrow onClick={() => nav('/portal/participation/surveys')} extra={todo ? <Badge content={todo} /> : null}>
        {t('participationPortal.surveys')}
      </List.Item>
      <List.Item arrow onClick={() => nav('/portal/participation/events')}>
        {t('participationPortal.events')}
      </List.Item>
      <List.Item arrow onClick={() => nav('/portal/participation/points')}>
        {t('participationPortal.points')}
      </List.Item>
    </List>
  );
}

export function ParticipationTab() {
  return (
    <Routes>
      <Route index element={<Menu />} />
      <Route path="notices" element={<NoticeList />} />
      <Route path="notices/:id" element={<NoticeDetail />} />
      <Route path="surveys" element={<SurveyList />} />
      <Route path="surveys/:id" element={<SurveyAnswer />} />
      <Route path="events" element={<EventList />} />
      <Route path="events/:id" element={<EventDetail />} />
      <Route path="points" element={<MyPoints />} />
    </Routes>
  );
}
