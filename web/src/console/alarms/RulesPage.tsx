import { useState } from 'react';
import { App, Button, Card, Form, Select, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { typeLabel, useDeviceTypes } from '../devices/api';
import { SeverityTag } from './AlarmTable';
import type { AlarmRule } from './api';
import { RuleFormModal } from './RuleFormModal';

/** A one-line summary of a rule definition: kind and severities. */
function RuleKind({ rule }: { rule: AlarmRule }) {
  const { t } = useTranslation();
  const d = rule.definition as { type?: string; create?: Record<string, unknown>; severity?: string; seconds?: number; event?: string };
  if (d?.type === 'event')
    return (
      <>
        {t('rules.event', { event: d.event })} <SeverityTag severity={d.severity ?? 'warning'} />
      </>
    );
  if (d?.type === 'no_data')
    return (
      <>
        {t('rules.noData', { seconds: d.seconds })} <SeverityTag severity={d.severity ?? 'warning'} />
      </>
    );
  return (
    <>
      {t('rules.condition')}{' '}
      {Object.keys(d?.create ?? {}).map((s) => (
        <SeverityTag key={s} severity={s} />
      ))}
    </>
  );
}

export default function RulesPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const types = useDeviceTypes();
  const [typeCode, setTypeCode] = useState<string | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [editing, setEditing] = useState<AlarmRule | null>(null);
  const [creating, setCreating] = useState(false);
  const mayUpdate = can(me, 'update', 'AlarmRule');

  const q = useQuery({
    queryKey: ['alarm-rules', typeCode, paging],
    queryFn: () => api.get('/api/v1/alarm-rules', { query: { deviceTypeCode: typeCode, ...paging } }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['alarm-rules'] });

  const toggle = async (r: AlarmRule, enabled: boolean) => {
    try {
      await api.patch('/api/v1/alarm-rules/{id}', { path: { id: r.id }, body: { enabled } });
      message.success(enabled ? t('rules.enabledOk') : t('rules.disabledOk'));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHead
        title={t('nav.alarmRules')}
        extra={
          can(me, 'create', 'AlarmRule') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('rules.create')}
            </Button>
          )
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t('rules.deviceType')} htmlFor="rule-type">
            <Select
              id="rule-type"
              allowClear
              style={{ width: 180 }}
              value={typeCode}
              onChange={(v) => {
                setTypeCode(v);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              options={(types.data ?? []).map((x) => ({ value: x.code, label: typeLabel(types.data, x.code) }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {q.isError && (
          <div role="alert" style={{ color: '#cf1322', marginBottom: 8 }}>
            {errorMessage(q.error)}
          </div>
        )}
        <Table<AlarmRule>
          rowKey="id"
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          scroll={{ x: 1000 }}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: q.data?.total ?? 0,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            {
              title: t('rules.name'),
              dataIndex: 'name',
              render: (v, r) => (
                <>
                  <div>{v}</div>
                  <Typography.Text type="secondary" code>
                    {r.code}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: t('rules.appliesTo'),
              key: 'to',
              render: (_, r) =>
                r.deviceId ? (
                  <Tag color="purple">{t('rules.override', { id: r.deviceId })}</Tag>
                ) : r.deviceTypeCode === '*' ? (
                  t('rules.allTypes')
                ) : (
                  typeLabel(types.data, r.deviceTypeCode)
                ),
            },
            { title: t('rules.kind'), key: 'kind', render: (_, r) => <RuleKind rule={r} /> },
            { title: t('rules.createWorkOrder'), dataIndex: 'createWorkOrder', render: (v) => (v ? t('common.yes') : t('common.no')) },
            {
              title: t('rules.enabled'),
              dataIndex: 'enabled',
              render: (v, r) => (
                <Switch checked={v} disabled={!mayUpdate} aria-label={t('rules.enableOf', { name: r.name })} onChange={(on) => toggle(r, on)} />
              ),
            },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v) => fmtTime(v) },
            {
              title: t('common.actions'),
              key: 'act',
              render: (_, r) =>
                mayUpdate ? (
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <RuleFormModal
        open={creating || !!editing}
        rule={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
        onSaved={() => {
          setCreating(false);
          setEditing(null);
          refresh();
        }}
      />
    </>
  );
}
