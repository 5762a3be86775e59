import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, TreeSelect } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { toTreeData, usePlaceTree } from '../../shared/places';
import { useDoorGroups, usePoints, type AccessPoint } from './api';

const kinds = ['community_gate', 'estate_gate', 'unit_door', 'garage_barrier'];

/** 门禁点 and 门组: each door with its controller; door groups with the anti-passback flag. */
type PointForm = ApiBody<'/api/v1/access/points'>;
type GroupForm = Omit<ApiBody<'/api/v1/access/door-groups'>, 'communityId'>;

export function PointsTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const points = usePoints();
  const groups = useDoorGroups();
  const tree = usePlaceTree();
  const controllers = useQuery({
    queryKey: ['devices', 'door_controller'],
    queryFn: () => api.get('/api/v1/devices', { query: { typeCode: 'door_controller', pageSize: 500 } }),
    enabled: canManage,
  });
  const [open, setOpen] = useState<'point' | 'group' | null>(null);
  const [form] = Form.useForm();
  const names = new Map((points.data?.items ?? []).map((p) => [p.id, p.name]));
  const save = useMutation({
    // one form for both: a door's fields, or a door group's (its community is the first door's)
    mutationFn: (v: PointForm & GroupForm): Promise<unknown> =>
      open === 'point'
        ? api.post('/api/v1/access/points', { body: v })
        : api.post('/api/v1/access/door-groups', { body: { ...v, communityId: points.data?.items.find((p) => p.id === v.pointIds?.[0])?.communityId ?? '' } }),
    onSuccess: () => {
      setOpen(null);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['access'] });
      message.success(t('doors.saved'));
    },
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const toggle = useMutation({
    mutationFn: (p: AccessPoint) => api.patch('/api/v1/access/points/{id}', { path: { id: p.id }, body: { enabled: !p.enabled } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['access', 'points'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <>
      {canManage && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => setOpen('point')}>
            {t('doors.addPoint')}
          </Button>
          <Button onClick={() => setOpen('group')}>{t('doors.addGroup')}</Button>
        </Space>
      )}
      <Table<AccessPoint>
        rowKey="id"
        size="small"
        loading={points.isLoading}
        dataSource={points.data?.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('doors.name'), dataIndex: 'name' },
          { title: t('doors.kind'), dataIndex: 'kind', render: (k) => t(`doors.kinds.${k}`) },
          { title: t('doors.direction'), dataIndex: 'direction', render: (d) => t(`doors.directions.${d}`) },
          { title: t('doors.controller'), dataIndex: 'controllerId' },
          {
            title: t('doors.groups'),
            dataIndex: 'groupIds',
            render: (ids: string[]) => ids.map((id) => <Tag key={id}>{groups.data?.items.find((g) => g.id === id)?.name ?? id}</Tag>),
          },
          {
            title: t('doors.enabled'),
            render: (_, p) => (
              <Switch size="small" checked={p.enabled} disabled={!canManage} onChange={() => toggle.mutate(p)} aria-label={t('doors.enabled')} />
            ),
          },
        ]}
      />
      <h3>{t('doors.doorGroups')}</h3>
      <Table
        rowKey="id"
        size="small"
        dataSource={groups.data?.items}
        pagination={false}
        columns={[
          { title: t('doors.name'), dataIndex: 'name' },
          { title: t('doors.points'), dataIndex: 'pointIds', render: (ids: string[]) => ids.map((id) => names.get(id) ?? id).join('、') },
          { title: t('doors.antiPassback'), dataIndex: 'antiPassback', render: (v) => (v ? <Tag color="orange">{t('doors.on')}</Tag> : '') },
        ]}
      />
      <Modal
        open={open !== null}
        title={open === 'point' ? t('doors.addPoint') : t('doors.addGroup')}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ direction: 'both', kind: 'estate_gate' }}>
          <Form.Item name="name" label={t('doors.name')} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          {open === 'point' ? (
            <>
              <Form.Item name="kind" label={t('doors.kind')}>
                <Select options={kinds.map((k) => ({ value: k, label: t(`doors.kinds.${k}`) }))} />
              </Form.Item>
              <Form.Item name="placeId" label={t('doors.place')} rules={[{ required: true }]}>
                <TreeSelect
                  treeData={toTreeData(tree.data, { selectableKinds: ['community', 'estate', 'building', 'unit'], stopAt: ['unit'] })}
                  showSearch
                  treeNodeFilterProp="title"
                />
              </Form.Item>
              <Form.Item name="direction" label={t('doors.direction')}>
                <Select options={['in', 'out', 'both'].map((d) => ({ value: d, label: t(`doors.directions.${d}`) }))} />
              </Form.Item>
              <Form.Item name="controllerId" label={t('doors.controller')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={(controllers.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
              </Form.Item>
              <Form.Item name="openSeconds" label={t('doors.openSeconds')}>
                <InputNumber min={1} max={60} />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="pointIds" label={t('doors.points')} rules={[{ required: true }]}>
                <Select mode="multiple" optionFilterProp="label" options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
              </Form.Item>
              <Form.Item name="antiPassback" label={t('doors.antiPassback')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
