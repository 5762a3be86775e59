import type { ReactElement } from 'react';
import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../shared/auth';
import { PageHead } from '../../shared/ui';
import { PointsTab } from './PointsTab';
import { RulesTab } from './RulesTab';
import { CredentialsTab } from './CredentialsTab';
import { LogTab } from './LogTab';
import { VisitorsTab } from './VisitorsTab';

/** 门禁管理: doors and door groups, rules and schedules, residents' credentials, the log, visitors. */
export default function AccessPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') ?? 'points';
  const items = [
    { key: 'points', label: t('doors.tabs.points'), children: <PointsTab canManage={can(me, 'manage', 'AccessPoint')} /> },
    can(me, 'read', 'AccessRule') && { key: 'rules', label: t('doors.tabs.rules'), children: <RulesTab canManage={can(me, 'manage', 'AccessRule')} /> },
    can(me, 'read', 'AccessCredential') && {
      key: 'credentials',
      label: t('doors.tabs.credentials'),
      children: <CredentialsTab canIssue={can(me, 'issue', 'AccessCredential')} />,
    },
    can(me, 'read', 'AccessLog') && { key: 'log', label: t('doors.tabs.log'), children: <LogTab canExport={can(me, 'export', 'AccessLog')} /> },
    can(me, 'read', 'VisitorPass') && {
      key: 'visitors',
      label: t('doors.tabs.visitors'),
      children: <VisitorsTab canIssue={can(me, 'create', 'VisitorPass')} />,
    },
  ].filter(Boolean) as { key: string; label: string; children: ReactElement }[];
  return (
    <>
      <PageHead title={t('doors.title')} />
      <Tabs activeKey={tab} onChange={(k) => setSp({ tab: k })} items={items} destroyOnHidden />
    </>
  );
}
