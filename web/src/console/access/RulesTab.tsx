import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TimePicker } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useDoorGroups, usePoints, useRules, useSchedules, type Rule } from './api';

const days = [1, 2, 3, 4, 5, 6, 7];

/** 规则: who × door group × schedule × validity → allow or deny (deny wins); weekly schedules. */
export function RulesTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const rules = useRules();
  const schedules = useSchedules();
  const groups = useDoorGroups();
  const points = usePoints();
  const communityId = points.data?.items[0]?.communityId ?? '';
  const [open, setOpen] = useState<'rule' | 'schedule' | null>(null);
  const [form] = Form.useForm();
  const done = () => {
    setOpen(null);
    form.resetFields();
    void qc.invalidateQueries({ queryKey: ['access'] });
    message.success(t('doors.saved'));
  };
  const save = useMutation({
    mutationFn: (v: any): Promise<unknown> => {
      if (open === 'schedule') {
        const [a, b] = v.time ?? [];
        return api.post('/api/v1/access/schedules', {
          body: {
            communityId,
            name: v.name,
            windows: [{ days: v.days, start: a.format('HH:mm'), end: b.format('HH:mm') }],
            holidays: v.holidays
              ? String(v.holidays)
                  .split(/[\s,，]+/)
                  .filter(Boolean)
              : [],
          },
        });
      }
      const [from, until] = v.valid ?? [];
      return api.post('/api/v1/access/rules', {
        body: {
          communityId,
          name: v.name,
          effect: v.effect,
          whoKind: v.whoKind,
          whoValue: v.whoValue || null,
          doorGroupId: v.doorGroupId || null,
          scheduleId: v.scheduleId || null,
          validFrom: from ? from.toISOString() : null,
          validUntil: until ? until.toISOString() : null,
        },
      });
    },
    onSuccess: done,
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const del = useMutation({
    mutationFn: (id: string) => api.del('/api/v1/access/rules/{id}', { path: { id } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['access', 'rules'] }),
  });
  const gName = (id: string | null) => (id ? (groups.data?.items.find((g) => g.id === id)?.name ?? id) : t('doors.allDoors'));
  const sName = (id: string | null) => (id ? (schedules.data?.items.find((s) => s.id === id)?.name ?? id) : t('doors.anyTime'));
  return (
    <>
      <p>{t('doors.rulesHint')}</p>
      {canManage && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => setOpen('rule')} disabled={!communityId}>
            {t('doors.addRule')}
          </Button>
          <Button onClick={() => setOpen('schedule')} disabled={!communityId}>
            {t('doors.addSchedule')}
          </Button>
        </Space>
      )}
      <Table<Rule>
        rowKey="id"
        size="small"
        loading={rules.isLoading}
        dataSource={rules.data?.items}
        pagination={false}
        columns={[
          { title: t('doors.name'), dataIndex: 'name' },
          { title: t('doors.effect'), dataIndex: 'effect', render: (e) => <Tag color={e === 'deny' ? 'red' : 'green'}>{t(`doors.effects.${e}`)}</Tag> },
          { title: t('doors.who'), render: (_, r) => `${t(`doors.whoKinds.${r.whoKind}`)}${r.whoValue ? `：${r.whoValue}` : ''}` },
          { title: t('doors.where'), dataIndex: 'doorGroupId', render: gName },
          { title: t('doors.when'), dataIndex: 'scheduleId', render: sName },
          { title: t('doors.validity'), render: (_, r) => (r.validFrom || r.validUntil ? `${fmtTime(r.validFrom)} – ${fmtTime(r.validUntil)}` : '') },
          ...(canManage
            ? [
                {
                  title: '',
                  render: (_: unknown, r: Rule) => (
                    <Popconfirm title={t('doors.deleteConfirm')} onConfirm={() => del.mutate(r.id)}>
                      <Button size="small" danger>
                        {t('doors.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <h3>{t('doors.schedules')}</h3>
      <Table
        rowKey="id"
        size="small"
        dataSource={schedules.data?.items}
        pagination={false}
        columns={[
          { title: t('doors.name'), dataIndex: 'name' },
          {
            title: t('doors.windows'),
            dataIndex: 'windows',
            render: (ws: any[]) => ws.map((w) => `${w.days.map((d: number) => t(`doors.days.${d}`)).join('')} ${w.start}–${w.end}`).join('；'),
          },
          { title: t('doors.holidays'), dataIndex: 'holidays', render: (h: string[]) => h.join('、') },
        ]}
      />
      <Modal
        open={open !== null}
        title={open === 'rule' ? t('doors.addRule') : t('doors.addSchedule')}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ effect: 'deny', whoKind: 'role', days: [1, 2, 3, 4, 5, 6, 7] }}>
          <Form.Item name="name" label={t('doors.name')} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          {open === 'schedule' ? (
            <>
              <Form.Item name="days" label={t('doors.weekdays')}>
                <Select mode="multiple" options={days.map((d) => ({ value: d, label: t(`doors.days.${d}`) }))} />
              </Form.Item>
              <Form.Item name="time" label={t('doors.timeWindow')} extra={t('doors.midnightHint')} rules={[{ required: true }]}>
                <TimePicker.RangePicker format="HH:mm" order={false} />
              </Form.Item>
              <Form.Item name="holidays" label={t('doors.holidays')} extra={t('doors.holidaysHint')}>
                <Input placeholder="2026-10-01, 2026-10-02" />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="effect" label={t('doors.effect')}>
                <Select options={['allow', 'deny'].map((e) => ({ value: e, label: t(`doors.effects.${e}`) }))} />
              </Form.Item>
              <Form.Item name="whoKind" label={t('doors.who')}>
                <Select options={['everyone', 'resident', 'household', 'role', 'group'].map((w) => ({ value: w, label: t(`doors.whoKinds.${w}`) }))} />
              </Form.Item>
              <Form.Item name="whoValue" label={t('doors.whoValue')} extra={t('doors.whoValueHint')}>
                <Input />
              </Form.Item>
              <Form.Item name="doorGroupId" label={t('doors.where')}>
                <Select allowClear placeholder={t('doors.allDoors')} options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))} />
              </Form.Item>
              <Form.Item name="scheduleId" label={t('doors.when')}>
                <Select allowClear placeholder={t('doors.anyTime')} options={(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} />
              </Form.Item>
              <Form.Item name="valid" label={t('doors.validity')}>
                <DatePicker.RangePicker showTime />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
