import { Route, Routes } from 'react-router';
import NoticesPage from './NoticesPage';
import SurveysPage from './SurveysPage';
import SurveyResultsPage from './SurveyResultsPage';
import EventsPage from './EventsPage';
import PointsPage from './PointsPage';

/** Console pages of participation under /participation/… (one entry in app/routes.tsx). */
export default function ParticipationRoutes() {
  return (
    <Routes>
      <Route path="notices" element={<NoticesPage />} />
      <Route path="surveys" element={<SurveysPage />} />
      <Route path="surveys/:id" element={<SurveyResultsPage />} />
      <Route path="events" element={<EventsPage />} />
      <Route path="points" element={<PointsPage />} />
    </Routes>
  );
}
