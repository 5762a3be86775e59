import { lazy } from 'react';
import { can, useMe } from '../../shared/auth';

const Dashboard = lazy(() => import('../dashboard/DashboardPage'));
const Agreements = lazy(() => import('./AgreementsPage'));

/** The console's home: a department officer (who reads no places) lands in their exchange workspace, not on a dashboard that would answer 403. */
export default function AgreementsHome() {
  const me = useMe().data;
  if (me && !can(me, 'read', 'Place') && can(me, 'read', 'Agreement')) return <Agreements />;
  return <Dashboard />;
}
