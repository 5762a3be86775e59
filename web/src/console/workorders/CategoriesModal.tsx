// The SLA of each repair category for one community: a property manager sets the default
// priority and the response and resolution deadlines; new orders of that community follow them.
import { useState } from 'react';
import { App, Button, InputNumber, Modal, Select, Table, TreeSelect } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { pathTo, toTreeData, useCurrentPlace, usePlaceTree } from '../../shared/places';
import { categoryLabel, useCategories, type Category, type Priority } from './api';

const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];
type Edit = Pick<Category, 'responseMinutes' | 'resolveMinutes'> & { priority: Priority };

export function CategoriesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const tree = usePlaceTree(open);
  const current = useCurrentPlace();
  const fromCurrent = pathTo(tree.data, current ?? '').find((n) => n.kind === 'community')?.id ?? null;
  const [picked, setPicked] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const communityId = picked ?? fromCurrent;
  const cats = useCategories(open);
  const all = cats.data ?? [];
  // the community's own row where it has one, else the default
  const rows = all.filter((c) => c.communityId === communityId || (!c.communityId && !all.some((o) => o.code === c.code && o.communityId === communityId)));
  const value = (c: Category): Edit =>
    edits[c.code] ?? { priority: c.priority as Priority, responseMinutes: c.responseMinutes, resolveMinutes: c.resolveMinutes };
  const edit = (c: Category, patch: Partial<Edit>) => setEdits({ ...edits, [c.code]: { ...value(c), ...patch } });
  const save = async (c: Category) => {
    if (!communityId) return;
    setSaving(c.code);
    try {
      await api.put('/api/v1/work-order-categories/{code}', { path: { code: c.code }, body: { communityId, nameZh: c.nameZh, nameEn: c.nameEn, ...value(c) } });
      message.success(t('wo.slaSaved'));
      await qc.invalidateQueries({ queryKey: ['work-order-categories'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(null);
    }
  };
  return (
    <Modal open={open} onCancel={onClose} footer={null} width={760} title={t('wo.slaTitle')} destroyOnHidden>
      <TreeSelect
        style={{ width: 320, marginBottom: 12 }}
        aria-label={t('wo.slaCommunity')}
        placeholder={t('wo.slaCommunity')}
        value={communityId ?? undefined}
        treeData={toTreeData(tree.data, { selectableKinds: ['community'], stopAt: ['community'] })}
        onChange={(v) => {
          setPicked(v);
          setEdits({});
        }}
        treeDefaultExpandAll
      />
      {communityId && (
        <Table<Category>
          size="small"
          pagination={false}
          rowKey="code"
          loading={cats.isLoading}
          dataSource={rows}
          columns={[
            { title: t('wo.category'), key: 'name', render: (_, c) => categoryLabel(c) },
            {
              title: t('wo.priority'),
              key: 'priority',
              render: (_, c) => (
                <Select
                  size="small"
                  style={{ width: 110 }}
                  aria-label={t('wo.priority')}
                  value={value(c).priority}
                  onChange={(p) => edit(c, { priority: p })}
                  options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                />
              ),
            },
            {
              title: t('wo.slaResponse'),
              key: 'response',
              render: (_, c) => (
                <InputNumber
                  size="small"
                  min={1}
                  aria-label={t('wo.slaResponse')}
                  value={value(c).responseMinutes}
                  onChange={(n) => edit(c, { responseMinutes: Number(n) })}
                />
              ),
            },
            {
              title: t('wo.slaResolve'),
              key: 'resolve',
              render: (_, c) => (
                <InputNumber
                  size="small"
                  min={1}
                  aria-label={t('wo.slaResolve')}
                  value={value(c).resolveMinutes}
                  onChange={(n) => edit(c, { resolveMinutes: Number(n) })}
                />
              ),
            },
            {
              title: '',
              key: 'save',
              render: (_, c) => (
                <Button size="small" loading={saving === c.code} disabled={!edits[c.code]} onClick={() => save(c)}>
                  {t('wo.slaSave')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Modal>
  );
}
