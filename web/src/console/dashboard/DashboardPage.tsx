import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { usePlaceTree, useCurrentPlace } from '../../shared/places';
import type { PlaceNode } from '../../shared/api/models';
import { navItems } from '../../app/menu';

function countKinds(nodes: PlaceNode[] | undefined, acc: Record<string, number> = {}): Record<string, number> {
  for (const n of nodes ?? []) {
    acc[n.kind] = (acc[n.kind] ?? 0) + 1;
    countKinds(n.children, acc);
  }
  return acc;
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const tree = usePlaceTree();
  const placeId = useCurrentPlace();
  const canResidents = can(me, 'read', 'Resident');
  const residents = useQuery({
    queryKey: ['residents', 'count', placeId],
    queryFn: () => api.get('/api/v1/residents', { query: { placeId, page: 1, pageSize: 1 } }),
    enabled: canResidents,
  });
  const houses = useQuery({
    queryKey: ['places', 'count', 'house'],
    queryFn: () => api.get('/api/v1/places', { query: { kind: 'house', page: 1, pageSize: 1 } }),
  });
  const kinds = countKinds(tree.data);
  if (houses.data) kinds.house = houses.data.total;
  return (
    <>
      <div className="page-head">
        <h1>{t('dashboard.welcome', { name: me.name })}</h1>
      </div>
      <Row gutter={[16, 16]}>
        {['community', 'building', 'house'].map((k) => (
          <Col xs={12} md={6} key={k}>
            <Card loading={tree.isLoading || (k === 'house' && houses.isLoading)}>
              <Statistic title={t(`placeKind.${k}`)} value={kinds[k] ?? 0} />
            </Card>
          </Col>
        ))}
        {canResidents && (
          <Col xs={12} md={6}>
            <Card loading={residents.isLoading}>
              <Statistic title={t('dashboard.residents')} value={residents.data?.total ?? 0} />
            </Card>
          </Col>
        )}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} md={12}>
          <Card title={t('dashboard.myGrants')}>
            {me.grants.length === 0 && <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
            {me.grants.map((g) => (
              <div key={g.id} style={{ marginBottom: 8 }}>
                <Tag color="blue">{t(`role.${g.role}`)}</Tag> {g.placeName ?? t('dashboard.wholePlatform')}
              </div>
            ))}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('dashboard.shortcuts')}>
            {navItems
              .filter((i) => i.path !== '/' && i.visible(me))
              .map((i) => (
                <Link key={i.path} to={i.path} style={{ display: 'inline-block', marginRight: 16, marginBottom: 8 }}>
                  {i.icon} {t(i.labelKey)}
                </Link>
              ))}
          </Card>
        </Col>
      </Row>
    </>
  );
}
