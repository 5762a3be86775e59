import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../shared/auth';
import { ConsoleLayout } from './ConsoleLayout';

const ConsoleLogin = lazy(() => import('../console/login/LoginPage'));
const Places = lazy(() => import('../console/places/PlacesPage'));
const House = lazy(() => import('../console/houses/HousePage'));
const Residents = lazy(() => import('../console/residents/ResidentsPage'));
const Resident = lazy(() => import('../console/residents/ResidentPage'));
const Imports = lazy(() => import('../console/imports/ImportsPage'));
const Users = lazy(() => import('../console/users/UsersPage'));
const Audit = lazy(() => import('../console/audit/AuditPage'));
const Sessions = lazy(() => import('../console/sessions/SessionsPage'));
const Outbox = lazy(() => import('../console/outbox/OutboxPage'));
const Devices = lazy(() => import('../console/devices/DevicesPage'));
const Device = lazy(() => import('../console/devices/DevicePage'));
const Alarms = lazy(() => import('../console/alarms/AlarmsPage'));
const AlarmRules = lazy(() => import('../console/alarms/RulesPage'));
const WorkOrders = lazy(() => import('../console/workorders/WorkOrdersPage'));
const WorkOrder = lazy(() => import('../console/workorders/WorkOrderPage'));
const Incidents = lazy(() => import('../console/incidents/IncidentsPage'));
const Incident = lazy(() => import('../console/incidents/IncidentPage'));
const Cameras = lazy(() => import('../console/incidents/CamerasPage'));
const Tech = lazy(() => import('../console/workorders/TechPage'));
const ServiceProviders = lazy(() => import('../console/services/ProvidersPage'));
const ServiceProvider = lazy(() => import('../console/services/ProviderPage'));
const ProviderWorkspace = lazy(() => import('../console/services/ProviderWorkspace'));
const Participation = lazy(() => import('../console/participation/ParticipationRoutes'));
const Billing = lazy(() => import('../console/billing/BillingPage'));
const Council = lazy(() => import('../console/council/CouncilRoutes'));
const PortalLogin = lazy(() => import('../portal/login/PortalLoginPage'));
const Access = lazy(() => import('../console/access/AccessPage'));
const Guard = lazy(() => import('../console/access/GuardPage'));
const Visit = lazy(() => import('../portal/access/VisitPage'));
const PortalHome = lazy(() => import('../portal/home/PortalShell'));
const Health = lazy(() => import('../console/health/HealthPage'));
const ExchangeSources = lazy(() => import('../console/exchange/SourcesPage'));
const ExchangeReviews = lazy(() => import('../console/exchange/ReviewPage'));
const ExchangeQuality = lazy(() => import('../console/exchange/QualityPage'));
const Home = lazy(() => import('../console/exchange/AgreementsHome'));
const ExchangeAgreements = lazy(() => import('../console/exchange/AgreementsPage'));
const ExchangeApprovals = lazy(() => import('../console/exchange/ApprovalsPage'));
const ExchangeMessages = lazy(() => import('../console/exchange/MessageLogPage'));
const ExchangeClients = lazy(() => import('../console/exchange/ClientsPage'));

export function FullSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Staff only; others go to the right login. */
function RequireStaff({ children }: { children: ReactNode }) {
  const me = useMe();
  const loc = useLocation();
  if (me.isLoading) return <FullSpin />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  if (me.data.kind !== 'staff') return <Navigate to="/portal" replace />;
  return <>{children}</>;
}

function RequireResident({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.isLoading) return <FullSpin />;
  if (!me.data || me.data.kind !== 'resident') return <Navigate to="/portal/login" replace />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('error.notFound')} />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<FullSpin />}>
      <Routes>
        <Route path="/login" element={<ConsoleLogin />} />
        <Route path="/portal/login" element={<PortalLogin />} />
        <Route path="/visit/:code" element={<Visit />} />
        <Route
          path="/portal/*"
          element={
            <RequireResident>
              <PortalHome />
            </RequireResident>
          }
        />
        {/* The technician's phone view: no sider, one column. */}
        <Route
          path="/tech/*"
          element={
            <RequireStaff>
              <Tech />
            </RequireStaff>
          }
        />
        <Route
          element={
            <RequireStaff>
              <ConsoleLayout />
            </RequireStaff>
          }
        >
          <Route index element={<Home />} />
          <Route path="places" element={<Places />} />
          <Route path="houses/:id" element={<House />} />
          <Route path="residents" element={<Residents />} />
          <Route path="residents/:id" element={<Resident />} />
          <Route path="devices" element={<Devices />} />
          <Route path="devices/:id" element={<Device />} />
          <Route path="alarms" element={<Alarms />} />
          <Route path="health/*" element={<Health />} />
          <Route path="alarm-rules" element={<AlarmRules />} />
          <Route path="workorders" element={<WorkOrders />} />
          <Route path="workorders/:id" element={<WorkOrder />} />
          <Route path="services" element={<ServiceProviders />} />
          <Route path="services/providers/:id" element={<ServiceProvider />} />
          <Route path="provider" element={<ProviderWorkspace />} />
          <Route path="incidents" element={<Incidents />} />
          <Route path="incidents/:id" element={<Incident />} />
          <Route path="cameras" element={<Cameras />} />
          <Route path="access" element={<Access />} />
          <Route path="guard" element={<Guard />} />
          <Route path="imports" element={<Imports />} />
          <Route path="exchange/sources" element={<ExchangeSources />} />
          <Route path="exchange/reviews" element={<ExchangeReviews />} />
          <Route path="exchange/quality/:id?" element={<ExchangeQuality />} />
          <Route path="users" element={<Users />} />
          <Route path="audit" element={<Audit />} />
          <Route path="sessions" element={<Sessions />} />
          <Route path="outbox" element={<Outbox />} />
          <Route path="participation/*" element={<Participation />} />
          <Route path="billing" element={<Billing />} />
          <Route path="council/*" element={<Council />} />
          <Route path="exchange/agreements" element={<ExchangeAgreements />} />
          <Route path="exchange/approvals" element={<ExchangeApprovals />} />
          <Route path="exchange/messages" element={<ExchangeMessages />} />
          <Route path="exchange/clients" element={<ExchangeClients />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
