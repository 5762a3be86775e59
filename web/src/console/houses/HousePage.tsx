import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Result, Space, Table, Tag } from 'antd';
import { ArrowLeftOutlined, CrownOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage, type ApiOk } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { useCodeLabel, useCodes } from '../../shared/codes';

import { ResidentFormModal } from '../residents/ResidentFormModal';

type HouseAnswer = ApiOk<'/api/v1/houses/{id}'>;
type Member = HouseAnswer['households'][number]['members'][number];

export default function HousePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const nav = useNavigate();
  const me = useMe().data!;
  const qc = useQueryClient();
  const codes = useCodes();
  const label = useCodeLabel();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: ['houses', id], queryFn: () => api.get('/api/v1/houses/{id}', { path: { id } }) });

  if (q.isError) {
    const nf = q.error instanceof ApiError && q.error.status === 404;
    return <Result status={nf ? '404' : 'error'} title={nf ? t('error.notFound') : errorMessage(q.error)} />;
  }
  const d = q.data;
  const roleOf = (m: Member) => m.houses?.find((h) => h.houseId === id);

  return (
    <>
      <div className="page-head">
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav(-1)} aria-label={t('common.back')} />
          <h1>{d?.label ?? t('placeKind.house')}</h1>
        </Space>
        {can(me, 'create', 'Resident') && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
            {t('houses.addResident')}
          </Button>
        )}
      </div>
      <Card loading={q.isLoading} style={{ marginBottom: 16 }}>
        {d && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('places.houseNumber')}>{d.house.name}</Descriptions.Item>
            <Descriptions.Item label={t('places.floor')}>{d.house.floor ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('places.areaM2')}>{d.house.areaM2 ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('places.houseUse')}>{label(codes.houseUses, d.house.houseUse) || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('places.code')}>{d.house.code || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('houses.householdCount')}>{d.households.length}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {d && d.households.length === 0 && (
        <Card>
          <Empty description={t('houses.empty')} />
        </Card>
      )}
      {d?.households.map((h, i) => (
        <Card key={h.id} title={t('houses.household', { n: i + 1 })} style={{ marginBottom: 16 }} size="small">
          <Table<Member>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={h.members}
            columns={[
              {
                title: t('residents.name'),
                dataIndex: 'name',
                render: (v, m) => (
                  <Space>
                    <Link to={`/residents/${m.id}`}>{v}</Link>
                    {m.id === h.householderId && (
                      <Tag icon={<CrownOutlined />} color="gold">
                        {t('houses.householder')}
                      </Tag>
                    )}
                  </Space>
                ),
              },
              { title: t('residents.relation'), key: 'rel', render: (_, m) => label(codes.relations, roleOf(m)?.relation) || '—' },
              { title: t('residents.role'), key: 'role', render: (_, m) => label(codes.residentRoles, roleOf(m)?.role) },
              { title: t('residents.gender'), dataIndex: 'gender', render: (v) => label(codes.genders, v) },
              { title: t('residents.age'), dataIndex: 'age' },
              { title: t('residents.phone'), dataIndex: 'phoneMasked', render: (v) => <span className="masked">{v}</span> },
              { title: t('residents.moveInDate'), key: 'in', render: (_, m) => roleOf(m)?.moveIn },
              {
                title: t('residents.tags'),
                dataIndex: 'tags',
                render: (tags: string[]) => tags?.map((c) => <Tag key={c}>{label(codes.residentTags, c)}</Tag>),
              },
            ]}
          />
        </Card>
      ))}
      <ResidentFormModal
        open={adding}
        defaultHouseId={id}
        defaultHouseLabel={d?.label}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          void qc.invalidateQueries({ queryKey: ['houses', id] });
          void qc.invalidateQueries({ queryKey: ['residents'] });
        }}
      />
    </>
  );
}
