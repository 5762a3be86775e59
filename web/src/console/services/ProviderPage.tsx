import { useState } from 'react';
import { Button, Card, Descriptions, Popconfirm, Select, Space, Switch, Table, Tag, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { PageHead } from '../../shared/ui';
import { useProvider, yuan, type Service } from './api';
import { HoursModal, ServiceModal } from './ServiceModals';

/** One provider: its areas, services with price, duration, cancellation rule and hours, and member accounts. */
export default function ProviderPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe().data!;
  const qc = useQueryClient();
  const q = useProvider(id);
  const mayEdit = can(me, 'update', 'ServiceProvider');
  const candidates = useQuery({
    queryKey: ['services', 'candidates', id],
    enabled: !!id && mayEdit,
    queryFn: () => api.get('/api/v1/service-providers/{id}/member-candidates', { path: { id } }),
  });
  const [editing, setEditing] = useState<Service | null | 'new'>(null);
  const [hoursOf, setHoursOf] = useState<Service | null>(null);
  const [member, setMember] = useState<string>();
  const p = q.data;
  if (q.isError) return <div role="alert">{errorMessage(q.error)}</div>;
  if (!p) return null;

  const refresh = () => void qc.invalidateQueries({ queryKey: ['services'] });
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      message.success(t('common.saved'));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const hoursText = (s: Service) => {
    if (!s.hours?.length) return <Tag color="warning">{t('services.noHours')}</Tag>;
    return s.hours.map((h) => `${t(`services.weekday.${h.weekday}`)} ${h.start}–${h.end} ×${h.capacity}`).join('；');
  };

  return (
    <>
      <PageHead
        title={p.name}
        extra={
          mayEdit && (
            <Space>
              {t('services.active')}
              <Switch
                checked={p.active}
                onChange={(v) => run(() => api.patch('/api/v1/service-providers/{id}', { path: { id: p.id }, body: { active: v } }))}
              />
            </Space>
          )
        }
      />
      <Card>
        <Descriptions column={2}>
          <Descriptions.Item label={t('services.category')}>{t(`services.cat.${p.category}`)}</Descriptions.Item>
          <Descriptions.Item label={t('services.nameEn')}>{p.nameEn}</Descriptions.Item>
          <Descriptions.Item label={t('services.areas')}>
            {p.areas?.map((a) => (
              <Tag key={a.placeId}>{a.name}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('services.description')}>{p.description}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t('services.services')}
        style={{ marginTop: 16 }}
        extra={
          mayEdit && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('services.newService')}
            </Button>
          )
        }
      >
        <Table
          rowKey="id"
          pagination={false}
          dataSource={p.services ?? []}
          columns={[
            {
              title: t('services.serviceName'),
              render: (_, s) => (
                <>
                  {s.name} {!s.active && <Tag>{t('services.inactive')}</Tag>}
                </>
              ),
            },
            { title: t('services.price'), render: (_, s) => yuan(s.priceFen) },
            { title: t('services.duration'), render: (_, s) => t('services.minutes', { n: s.durationMinutes }) },
            { title: t('services.cancelRule'), render: (_, s) => t('services.cancelRuleText', { hours: s.freeCancelHours, fee: yuan(s.cancelFeeFen) }) },
            { title: t('services.hours'), render: (_, s) => hoursText(s) },
            ...(mayEdit
              ? [
                  {
                    title: t('common.actions'),
                    render: (_: unknown, s: Service) => (
                      <Space>
                        <Button size="small" onClick={() => setEditing(s)}>
                          {t('common.edit')}
                        </Button>
                        <Button size="small" onClick={() => setHoursOf(s)}>
                          {t('services.setHours')}
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('services.members')} style={{ marginTop: 16 }}>
        <Table
          rowKey="userId"
          pagination={false}
          dataSource={p.members ?? []}
          columns={[
            { title: t('services.memberName'), render: (_, m) => m.name ?? m.userId },
            ...(mayEdit
              ? [
                  {
                    title: t('common.actions'),
                    render: (_: unknown, m: { userId: string }) => (
                      <Popconfirm
                        title={t('services.removeMemberAsk')}
                        onConfirm={() => run(() => api.del('/api/v1/service-providers/{id}/members/{userId}', { path: { id: p.id, userId: m.userId } }))}
                      >
                        <Button size="small" danger>
                          {t('common.remove')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {mayEdit && (
          <Space style={{ marginTop: 12 }}>
            <Select
              style={{ width: 260 }}
              placeholder={t('services.pickMember')}
              value={member}
              onChange={setMember}
              options={(candidates.data?.items ?? [])
                .filter((c) => !p.members?.some((m) => m.userId === c.userId))
                .map((c) => ({ value: c.userId, label: c.name }))}
            />
            <Button
              disabled={!member}
              onClick={() =>
                run(() => api.post('/api/v1/service-providers/{id}/members', { path: { id: p.id }, body: { userId: member! } })).then(() =>
                  setMember(undefined),
                )
              }
            >
              {t('services.addMember')}
            </Button>
          </Space>
        )}
      </Card>
      <ServiceModal providerId={p.id} service={editing === 'new' ? null : editing} open={editing !== null} onClose={() => setEditing(null)} />
      <HoursModal providerId={p.id} service={hoursOf} open={!!hoursOf} onClose={() => setHoursOf(null)} />
    </>
  );
}
