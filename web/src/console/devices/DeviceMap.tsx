import { Badge, Card, Col, Empty, Row, Spin, Tag, Tooltip } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { pathTo, usePlaceTree } from '../../shared/places';
import type { PlaceNode } from '../../shared/api/models';
import { statusColor, typeLabel, useDeviceTypes, type Device } from './api';

interface Group {
  key: string;
  estate: string;
  building: string;
  devices: Device[];
}

const groupColor = (ds: Device[]) => (ds.some((d) => d.status === 'offline') ? '#ff4d4f' : ds.every((d) => d.status === 'online') ? '#52c41a' : '#d9d9d9');

/**
 * Devices grouped by estate → building (or public area), each card coloured by the worst
 * status inside. The place of a device is found in the place tree by its id; devices on a
 * house or unit fall into their building.
 */
export function DeviceMap({ filters }: { filters: Record<string, string | undefined> }) {
  const { t } = useTranslation();
  const tree = usePlaceTree();
  const types = useDeviceTypes();
  const q = useQuery({
    queryKey: ['devices', 'map', filters],
    queryFn: () => api.get('/api/v1/devices', { query: { ...filters, page: 1, pageSize: 500 } }),
    refetchInterval: 10_000,
  });
  if (q.isLoading || tree.isLoading) return <Spin />;
  if (q.isError)
    return (
      <div role="alert" style={{ color: '#cf1322' }}>
        {errorMessage(q.error)}
      </div>
    );

  const groups = new Map<string, Group>();
  for (const d of q.data?.items ?? []) {
    // The place path holds every ancestor's id; the tree gives their names and kinds.
    const ids = (d.placePath ?? '').split('/').filter(Boolean);
    const found = ids.length ? pathTo(tree.data, ids[ids.length - 1]) : [];
    const path: PlaceNode[] = found.length ? found : pathTo(tree.data, d.placeId);
    const estate = path.find((p) => p.kind === 'estate');
    const building = path.find((p) => p.kind === 'building');
    // Devices outside a building group by their named public area.
    const key = `${estate?.id ?? '-'}/${building?.id ?? `pa:${d.publicArea ?? ''}`}`;
    const g = groups.get(key) ?? {
      key,
      estate: estate?.name ?? path[path.length - 1]?.name ?? t('devices.otherPlaces'),
      building: building?.name ?? d.publicArea ?? t('devices.publicArea'),
      devices: [],
    };
    g.devices.push(d);
    groups.set(key, g);
  }
  const byEstate = new Map<string, Group[]>();
  for (const g of groups.values()) byEstate.set(g.estate, [...(byEstate.get(g.estate) ?? []), g]);
  if (byEstate.size === 0)
    return (
      <Card>
        <Empty />
      </Card>
    );

  return (
    <>
      {[...byEstate.entries()].map(([estate, gs]) => (
        <Card key={estate} title={estate} style={{ marginBottom: 16 }} role="region" aria-label={estate}>
          <Row gutter={[12, 12]}>
            {gs.map((g) => {
              const online = g.devices.filter((d) => d.status === 'online').length;
              return (
                <Col key={g.key} xs={24} sm={12} lg={8} xl={6}>
                  <Card
                    size="small"
                    title={g.building}
                    extra={<Tag color={groupColor(g.devices)}>{t('devices.onlineOf', { online, total: g.devices.length })}</Tag>}
                    style={{ borderTop: `3px solid ${groupColor(g.devices)}` }}
                  >
                    {g.devices.map((d) => (
                      <div key={d.id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                        <Tooltip title={d.typeName ?? typeLabel(types.data, d.typeCode)}>
                          <Badge status={(statusColor[d.status] ?? 'default') as any} text={<Link to={`/devices/${d.id}`}>{d.name}</Link>} />
                        </Tooltip>
                        <span style={{ color: '#888' }}>{t(`deviceStatus.${d.status}`, { defaultValue: d.status })}</span>
                      </div>
                    ))}
                  </Card>
                </Col>
              );
            })}
          </Row>
        </Card>
      ))}
    </>
  );
}
