import { useState } from 'react';
import { Breadcrumb, Button, Card, Descriptions, Space, Table, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { useCodeLabel, useCodes } from '../../shared/codes';
import type { PlaceRow } from '../../shared/api/models';
import { PlaceFormModal } from './PlaceFormModal';
import { childKinds } from './kinds';

export function PlaceDetail({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useMe().data!;
  const qc = useQueryClient();
  const codes = useCodes();
  const label = useCodeLabel();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [modal, setModal] = useState<'create' | 'edit' | null>(null);
  const place = useQuery({ queryKey: ['places', 'one', id], queryFn: () => api.get('/api/v1/places/{id}', { path: { id } }) });
  const children = useQuery({
    queryKey: ['places', 'children', id, page],
    queryFn: () => api.get('/api/v1/places', { query: { parentId: id, ...page } }),
  });
  const p = place.data;
  const mayCreate = can(me, 'create', 'Place') && childKinds(p?.kind).length > 0;
  const mayEdit = can(me, 'update', 'Place');
  const refresh = () => void qc.invalidateQueries({ queryKey: ['places'] });

  return (
    <Card
      loading={place.isLoading}
      title={
        p && (
          <Space>
            {p.name}
            <Tag>{label(codes.placeKinds, p.kind) || t(`placeKind.${p.kind}`)}</Tag>
          </Space>
        )
      }
      extra={
        <Space>
          {mayEdit && p && (
            <Button icon={<EditOutlined />} onClick={() => setModal('edit')}>
              {t('common.edit')}
            </Button>
          )}
          {mayCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('create')}>
              {t('places.createChild')}
            </Button>
          )}
        </Space>
      }
    >
      {place.isError && <div role="alert">{errorMessage(place.error)}</div>}
      {p && (
        <>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[...(p.ancestors ?? []), { id: p.id, kind: p.kind, name: p.name }].map((a) => ({
              key: a.id,
              title: a.id === p.id ? a.name : <a onClick={() => onSelect(a.id)}>{a.name}</a>,
            }))}
          />
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('places.name')}>{p.name}</Descriptions.Item>
            <Descriptions.Item label={p.kind === 'region' ? t('places.regionCode') : t('places.code')}>{p.code || '—'}</Descriptions.Item>
            {p.kind === 'region' && <Descriptions.Item label={t('places.regionLevel')}>{label(codes.regionLevels, p.regionLevel)}</Descriptions.Item>}
            {p.kind === 'house' && (
              <>
                <Descriptions.Item label={t('places.floor')}>{p.floor ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('places.areaM2')}>{p.areaM2 ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('places.houseUse')}>{label(codes.houseUses, p.houseUse)}</Descriptions.Item>
                <Descriptions.Item label={t('places.households')}>
                  <Link to={`/houses/${p.id}`}>{t('places.openHouse')}</Link>
                </Descriptions.Item>
              </>
            )}
          </Descriptions>
          {p.kind !== 'house' && (
            <Table<PlaceRow>
              style={{ marginTop: 16 }}
              size="small"
              rowKey="id"
              loading={children.isLoading}
              dataSource={children.data?.items ?? []}
              title={() => t('places.children')}
              pagination={{
                current: page.page,
                pageSize: page.pageSize,
                total: children.data?.total ?? 0,
                showTotal: (n) => t('common.total', { count: n }),
                onChange: (pg, ps) => setPage({ page: pg, pageSize: ps }),
              }}
              columns={[
                {
                  title: t('places.name'),
                  dataIndex: 'name',
                  render: (v, r) => (r.kind === 'house' ? <Link to={`/houses/${r.id}`}>{v}</Link> : <a onClick={() => onSelect(r.id)}>{v}</a>),
                },
                { title: t('places.kind'), dataIndex: 'kind', render: (v) => label(codes.placeKinds, v) || t(`placeKind.${v}`) },
                { title: t('places.code'), dataIndex: 'code' },
                { title: t('places.floor'), dataIndex: 'floor' },
                { title: t('places.areaM2'), dataIndex: 'areaM2' },
                { title: t('places.houseUse'), dataIndex: 'houseUse', render: (v) => label(codes.houseUses, v) },
              ]}
            />
          )}
        </>
      )}
      <PlaceFormModal
        open={modal !== null}
        parent={modal === 'create' && p ? { id: p.id, kind: p.kind } : null}
        place={modal === 'edit' ? p : null}
        onClose={() => setModal(null)}
        onSaved={() => {
          setModal(null);
          refresh();
        }}
      />
    </Card>
  );
}
