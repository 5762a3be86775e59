import { Badge, Card, Segmented, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { IncidentActions } from './IncidentActions';
import { api } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { kindColor, statusColor, useIncidentStream, type Incident } from './api';

type View = 'open' | 'all' | 'resolved' | 'false_alarm';

export function IncidentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColor[status]}>{t(`incidents.status.${status}`)}</Tag>;
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag color={kindColor[kind]}>{t(`incidents.kind.${kind}`)}</Tag>;
}

export default function IncidentsPage() {
  const { t } = useTranslation();
  useIncidentStream();
  const {
    filters,
    setFilters,
    list: q,
    tableProps,
  } = useListPage({
    filters: { view: 'text' },
    queryKey: ['incidents', 'list'],
    fetch: ({ view: v = 'open', ...rest }) =>
      api.get('/api/v1/incidents', {
        query: {
          ...rest,
          open: v === 'open' ? true : undefined,
          status: v === 'resolved' || v === 'false_alarm' ? v : undefined,
        },
      }),
    refetchInterval: 30_000,
  });
  const view = (filters.view ?? 'open') as View;
  const totals = q.data?.totals;
  const openCount = (totals?.new ?? 0) + (totals?.investigating ?? 0);

  return (
    <>
      <PageHead title={t('incidents.title')} extra={<Link to="/cameras">{t('incidents.cameras')}</Link>} />
      <Card>
        <Segmented<View>
          style={{ marginBottom: 16 }}
          value={view}
          onChange={(v) => setFilters({ view: v === 'open' ? undefined : v })}
          options={[
            {
              value: 'open',
              label: (
                <Space>
                  {t('incidents.view.open')}
                  <Badge count={openCount} />
                </Space>
              ),
            },
            { value: 'all', label: t('incidents.view.all') },
            { value: 'resolved', label: t('incidents.status.resolved') },
            { value: 'false_alarm', label: t('incidents.status.false_alarm') },
          ]}
        />
        <Table<Incident>
          {...tableProps}
          loading={q.isLoading}
          columns={[
            { title: t('incidents.col.title'), key: 'title', render: (_, r) => <Link to={`/incidents/${r.id}`}>{r.title}</Link> },
            { title: t('incidents.col.kind'), dataIndex: 'kind', render: (k) => <KindTag kind={k} /> },
            { title: t('incidents.col.status'), dataIndex: 'status', render: (s) => <IncidentStatusTag status={s} /> },
            { title: t('incidents.col.place'), key: 'place', render: (_, r) => r.cameraLocation ?? r.placeLabel },
            { title: t('incidents.col.events'), dataIndex: 'eventCount' },
            { title: t('incidents.col.lastEvent'), dataIndex: 'lastEventAt', render: (v) => fmtTime(v) },
            {
              title: t('common.actions'),
              key: 'act',
              render: (_, r) => <IncidentActions incident={r} size="small" only={['investigate', 'resolve', 'false_alarm']} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
