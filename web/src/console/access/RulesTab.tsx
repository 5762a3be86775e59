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
    message.success(t('access.saved'));
  };
  const save = useMutation({
    mutationFn: (v: any) => {
      if (open === 'schedule') {
        const [a, b] = v.time ?? [];
        return api.post('/api/v1/access/schedules', { communityId, name: v.name, windows: [{ days: v.days, start: a.format('HH:mm'), end: b.format('HH:mm') }], holidays: v.holidays ? String(v.holidays).split(/[\s,，]+/).filter(Boolean) : [] });
      }
      const [from, until] = v.valid ?? [];
      return api.post('/api/v1/access/rules', {
        communityId, name: v.name, effect: v.effect, whoKind: v.whoKind, whoValue: v.whoValue || null, doorGroupId: v.doorGroupId || null, scheduleId: v.scheduleId || null,
        validFrom: from ? from.toISOString() : null, validUntil: until ? until.toISOString() : null,
      });
    },
    onSuccess: done,
    onError: (e) => applyFieldErrors(form, e) || message.error(errorMessage(e)),
  });
  const del = useMutation({ mutationFn: (id: string) => api.del(`/api/v1/access/rules/${id}`), onSuccess: () => void qc.invalidateQueries({ queryKey: ['access', 'rules'] }) });
  const gName = (id: string | null) => (id ? groups.data?.items.find((g) => g.id === id)?.name ?? id : t('access.allDoors'));
  const sName = (id: string | null) => (id ? schedules.data?.items.find((s) => s.id === id)?.name ?? id : t('access.anyTime'));
  return (
    <>
      <p>{t('access.rulesHint')}</p>
      {canManage && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => setOpen('rule')} disabled={!communityId}>{t('access.addRule')}</Button>
          <Button onClick={() => setOpen('schedule')} disabled={!communityId}>{t('access.addSchedule')}</Button>
        </Space>
      )}
      <Table<Rule>
        rowKey="id" size="small" loading={rules.isLoading} dataSource={rules.data?.items} pagination={false}
        columns={[
          { title: t('access.name'), dataIndex: 'name' },
          { title: t('access.effect'), dataIndex: 'effect', render: (e) => <Tag color={e === 'deny' ? 'red' : 'green'}>{t(`access.effects.${e}`)}</Tag> },
          { title: t('access.who'), render: (_, r) => `${t(`access.whoKinds.${r.whoKind}`)}${r.whoValue ? `：${r.whoValue}` : ''}` },
          { title: t('access.where'), dataIndex: 'doorGroupId', render: gName },
          { title: t('access.when'), dataIndex: 'scheduleId', render: sName },
          { title: t('access.validity'), render: (_, r) => (r.validFrom || r.validUntil ? `${fmtTime(r.validFrom)} – ${fmtTime(r.validUntil)}` : '') },
          ...(canManage ? [{ title: '', render: (_: unknown, r: Rule) => <Popconfirm title={t('access.deleteConfirm')} onConfirm={() => del.mutate(r.id)}><Button size="small" danger>{t('access.delete')}</Button></Popconfirm> }] : []),
        ]}
      />
      <h3>{t('access.schedules')}</h3>
      <Table rowKey="id" size="small" dataSource={schedules.data?.items} pagination={false}
        columns={[
          { title: t('access.name'), dataIndex: 'name' },
          { title: t('access.windows'), dataIndex: 'windows', render: (ws: any[]) => ws.map((w) => `${w.days.map((d: number) => t(`access.days.${d}`)).join('')} ${w.start}–${w.end}`).join('；') },
          { title: t('access.holidays'), dataIndex: 'holidays', render: (h: string[]) => h.join('、') },
        ]}
      />
      <Modal open={open !== null} title={open === 'rule' ? t('access.addRule') : t('access.addSchedule')} onCancel={() => setOpen(null)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ effect: 'deny', whoKind: 'role', days: [1, 2, 3, 4, 5, 6, 7] }}>
          <Form.Item name="name" label={t('access.name')} rules={[{ required: true }]}><Input maxLength={60} /></Form.Item>
          {open === 'schedule' ? (
            <>
              <Form.Item name="days" label={t('access.weekdays')}><Select mode="multiple" options={days.map((d) => ({ value: d, label: t(`access.days.${d}`) }))} /></Form.Item>
              <Form.Item name="time" label={t('access.timeWindow')} extra={t('access.midnightHint')} rules={[{ required: true }]}><TimePicker.RangePicker format="HH:mm" order={false} /></Form.Item>
              <Form.Item name="holidays" label={t('access.holidays')} extra={t('access.holidaysHint')}><Input placeholder="2026-10-01, 2026-10-02" /></Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="effect" label={t('access.effect')}><Select options={['allow', 'deny'].map((e) => ({ value: e, label: t(`access.effects.${e}`) }))} /></Form.Item>
              <Form.Item name="whoKind" label={t('access.who')}><Select options={['everyone', 'resident', 'household', 'role', 'group'].map((w) => ({ value: w, label: t(`access.whoKinds.${w}`) }))} /></Form.Item>
              <Form.Item name="whoValue" label={t('access.whoValue')} extra={t('access.whoValueHint')}><Input /></Form.Item>
              <Form.Item name="doorGroupId" label={t('access.where')}><Select allowClear placeholder={t('access.allDoors')} options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))} /></Form.Item>
              <Form.Item name="scheduleId" label={t('access.when')}><Select allowClear placeholder={t('access.anyTime')} options={(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} /></Form.Item>
              <Form.Item name="valid" label={t('access.validity')}><DatePicker.RangePicker showTime /></Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
