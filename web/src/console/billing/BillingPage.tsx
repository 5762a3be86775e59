import type { ReactNode } from 'react';
import { Empty, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../shared/auth';
import { PageHead } from '../../shared/ui';
import { useBillingCommunity } from './api';
import { FeeItemsTab } from './FeeItemsTab';
import { ReadingsTab } from './ReadingsTab';
import { RunsTab } from './RunsTab';
import { BillsTab } from './BillsTab';
import { PaymentsTab } from './PaymentsTab';
import { ArrearsTab } from './ArrearsTab';
import { ReconcileTab } from './ReconcileTab';

/** 收费管理: fee items, meter readings, billing runs, bills, payments, arrears, reconciliation of one community. */
export default function BillingPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const community = useBillingCommunity();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? (can(me, 'read', 'FeeItem') ? 'bills' : 'arrears');
  const setTab = (k: string) => setParams({ tab: k });
  if (!community.id) return <Empty description={t('billing.noCommunity')} />;
  const id = community.id;
  const items = [
    can(me, 'read', 'FeeItem') && { key: 'fees', label: t('billing.tab.fees'), children: <FeeItemsTab communityId={id} /> },
    can(me, 'read', 'MeterReading') && { key: 'readings', label: t('billing.tab.readings'), children: <ReadingsTab communityId={id} /> },
    can(me, 'read', 'BillingRun') && {
      key: 'runs',
      label: t('billing.tab.runs'),
      children: <RunsTab communityId={id} onShowBills={(r) => setParams({ tab: 'bills', runId: r })} />,
    },
    can(me, 'read', 'Bill') && {
      key: 'bills',
      label: t('billing.tab.bills'),
      children: <BillsTab communityId={id} />,
    },
    can(me, 'read', 'Payment') && {
      key: 'payments',
      label: t('billing.tab.payments'),
      children: <PaymentsTab communityId={id} canRefund={can(me, 'refund', 'Payment')} />,
    },
    can(me, 'read', 'Arrears') && {
      key: 'arrears',
      label: t('billing.tab.arrears'),
      children: <ArrearsTab communityId={id} canExport={can(me, 'export', 'Arrears')} />,
    },
    can(me, 'reconcile', 'Payment') && { key: 'reconcile', label: t('billing.tab.reconcile'), children: <ReconcileTab communityId={id} /> },
  ].filter(Boolean) as { key: string; label: string; children: ReactNode }[];
  return (
    <>
      <PageHead title={`${t('billing.title')} · ${community.node?.name ?? ''}`} />
      <Tabs activeKey={tab} onChange={setTab} items={items} destroyInactiveTabPane />
    </>
  );
}
