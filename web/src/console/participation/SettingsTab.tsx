import { InputNumber, Input, Switch, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { label } from './api';
import { useSaveSetting } from './useSaveSetting';

/** The settings every participation component declares (the council's too), per community. */
export function SettingsTab({ communityId }: { communityId: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['participation-settings', communityId],
    queryFn: () => api.get('/api/v1/participation/settings', { query: { communityId } }),
  });
  const save = useSaveSetting(communityId);
  const rows = (q.data?.items ?? []).flatMap((c) => c.settings.map((s) => ({ ...s, component: c.component, componentLabel: label(c.labels, i18n.language) })));
  return (
    <Table
      rowKey={(r) => `${r.component}.${r.key}`}
      size="small"
      pagination={false}
      loading={q.isLoading}
      dataSource={rows}
      columns={[
        { title: t('participation.settings.component'), dataIndex: 'componentLabel' },
        { title: t('participation.settings.setting'), key: 'l', render: (_, r) => label(r.labels, i18n.language) },
        {
          title: t('participation.settings.value'),
          key: 'v',
          render: (_, r) =>
            r.type === 'boolean' ? (
              <Switch checked={!!r.value} onChange={(v) => save.mutate({ component: r.component, key: r.key, value: v })} />
            ) : r.type === 'number' ? (
              <InputNumber
                min={0}
                defaultValue={r.value as number}
                onBlur={(e) => save.mutate({ component: r.component, key: r.key, value: Number(e.target.value) })}
              />
            ) : (
              <Input
                defaultValue={String(r.value)}
                style={{ width: 200 }}
                onBlur={(e) => save.mutate({ component: r.component, key: r.key, value: e.target.value })}
              />
            ),
        },
        { title: t('participation.settings.default'), key: 'd', render: (_, r) => String(r.default) },
      ]}
    />
  );
}
