import { Route, Routes } from 'react-router';
import VotesPage from './VotesPage';
import VotePage from './VotePage';
import ProposalsPage from './ProposalsPage';
import MeetingsPage from './MeetingsPage';
import FeedbackPage from './FeedbackPage';

/** Console pages of the residents' council under /council/… (one entry in app/routes.tsx). */
export default function CouncilRoutes() {
  return (
    <Routes>
      <Route path="votes" element={<VotesPage />} />
      <Route path="votes/:id" element={<VotePage />} />
      <Route path="proposals" element={<ProposalsPage />} />
      <Route path="meetings" element={<MeetingsPage />} />
      <Route path="feedback" element={<FeedbackPage />} />
    </Routes>
  );
}
