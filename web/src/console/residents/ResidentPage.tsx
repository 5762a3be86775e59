import { useState } from 'react';
import { Button, Card, Descriptions, Result, Space, Table, Tabs, Tag } from 'antd';
import { ArrowLeftOutlined, EditOutlined, LoginOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { useCodeLabel, useCodes } from '../../shared/codes';
import { fmtTime } from '../../shared/format';
import type { Residency } from '../../shared/api/models';
import { AccessLogTable } from './AccessLogTable';
import { MaskedField } from './MaskedField';
import { MoveInModal, MoveOutModal } from './MoveModals';
import { ResidentFormModal } from './ResidentFormModal';

export default function ResidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const nav = useNavigate();
  const me = useMe().data!;
  const qc = useQueryClient();
  const codes = useCodes();
  const label = useCodeLabel();
  const [editing, setEditing] = useState(false);
  const [movingOut, setMovingOut] = useState<Residency | null>(null);
  const [movingIn, setMovingIn] = useState(false);
  const q = useQuery({ queryKey: ['residents', 'one', id], queryFn: () => api.get('/api/v1/residents/{id}', { path: { id } }) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['residents'] });

  if (q.isError) {
    const nf = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result status={nf ? '404' : 'error'} title={nf ? t('error.notFound') : errorMessage(q.error)} extra={<Link to="/residents">{t('common.back')}</Link>} />
    );
  }
  const r = q.data;
  const mayReveal = can(me, 'reveal', 'Resident');
  const mayUpdate = can(me, 'update', 'Resident');

  const info = r && (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label={t('residents.name')}>{r.name}</Descriptions.Item>
      <Descriptions.Item label={t('residents.idType')}>{label(codes.idTypes, r.idType)}</Descriptions.Item>
      <Descriptions.Item label={t('residents.idNumber')}>
        <MaskedField residentId={r.id} field="idNumber" masked={r.idNumberMasked} mayReveal={mayReveal} />
      </Descriptions.Item>
      <Descriptions.Item label={t('residents.phone')}>
        <MaskedField residentId={r.id} field="phone" masked={r.phoneMasked} mayReveal={mayReveal} />
      </Descriptions.Item>
      <Descriptions.Item label={t('residents.gender')}>{label(codes.genders, r.gender) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('residents.birthDate')}>
        {r.birthDate ?? '—'} {r.age != null && <span style={{ color: '#888' }}>({t('residents.ageYears', { count: r.age })})</span>}
      </Descriptions.Item>
      <Descriptions.Item label={t('residents.ethnicity')}>{label(codes.ethnicities, r.ethnicity) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('residents.status')}>{t(`residentStatus.${r.status}`, { defaultValue: r.status })}</Descriptions.Item>
      <Descriptions.Item label={t('residents.tags')} span={2}>
        {r.tags.length
          ? r.tags.map((c) => (
              <Tag key={c} color="geekblue">
                {label(codes.residentTags, c)}
              </Tag>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('residents.note')} span={2}>
        {r.note || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('common.updatedAt')}>{fmtTime(r.updatedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('common.createdAt')}>{fmtTime(r.createdAt)}</Descriptions.Item>
    </Descriptions>
  );

  const residencies = r && (
    <>
      {can(me, 'update', 'Resident') && (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button icon={<LoginOutlined />} onClick={() => setMovingIn(true)}>
            {t('residents.moveIn')}
          </Button>
        </div>
      )}
      <Table<Residency>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={r.residencies ?? []}
        columns={[
          { title: t('residents.house'), dataIndex: 'houseLabel', render: (v, x) => <Link to={`/houses/${x.houseId}`}>{v}</Link> },
          { title: t('residents.role'), dataIndex: 'role', render: (v) => label(codes.residentRoles, v) },
          { title: t('residents.relation'), dataIndex: 'relation', render: (v) => label(codes.relations, v) || '—' },
          { title: t('residents.moveInDate'), dataIndex: 'moveIn' },
          {
            title: t('residents.moveOutDate'),
            dataIndex: 'moveOut',
            render: (v, x) =>
              v ? (
                <>
                  {v}
                  {x.moveOutReason && <div style={{ color: '#888' }}>{x.moveOutReason}</div>}
                </>
              ) : (
                <Tag color="green">{t('residents.current')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, x) =>
              !x.moveOut &&
              mayUpdate && (
                <Button size="small" danger onClick={() => setMovingOut(x)}>
                  {t('residents.moveOut')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );

  return (
    <>
      <div className="page-head">
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => nav(-1)} aria-label={t('common.back')} />
          <h1>{r?.name ?? ''}</h1>
          {r?.tags.map((c) => (
            <Tag key={c} color="geekblue">
              {label(codes.residentTags, c)}
            </Tag>
          ))}
        </Space>
        {mayUpdate && r && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        )}
      </div>
      <Card loading={q.isLoading}>
        {r && (
          <Tabs
            items={[
              { key: 'info', label: t('residents.tabInfo'), children: info },
              { key: 'residencies', label: t('residents.tabResidencies'), children: residencies },
              { key: 'access', label: t('residents.tabAccess'), children: <AccessLogTable residentId={r.id} /> },
            ]}
          />
        )}
      </Card>
      <ResidentFormModal
        open={editing}
        resident={r}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          refresh();
        }}
      />
      <MoveOutModal
        residentId={id}
        residency={movingOut}
        onClose={() => setMovingOut(null)}
        onDone={() => {
          setMovingOut(null);
          refresh();
        }}
      />
      <MoveInModal
        residentId={id}
        open={movingIn}
        onClose={() => setMovingIn(false)}
        onDone={() => {
          setMovingIn(false);
          refresh();
        }}
      />
    </>
  );
}
