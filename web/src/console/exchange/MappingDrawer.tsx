import { Descriptions, Drawer, Empty, Table, Tabs, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { fmtTime } from '../../shared/format';

/** 映射方案: the versions of a source's mapping profile — its columns onto the standard and its code translations. */
export function MappingDrawer({ sourceId, onClose }: { sourceId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const profiles = useQuery({
    queryKey: ['exchange', 'profiles', sourceId],
    queryFn: () => api.get('/api/v1/exchange/sources/{id}/profiles', { path: { id: sourceId } }),
  });
  const items = profiles.data?.items ?? [];
  return (
    <Drawer open width={640} title={t('exchangeIn.nav.mapping')} onClose={onClose}>
      {!items.length && !profiles.isLoading && <Empty description={t('exchangeIn.mapping.none')} />}
      <Tabs
        items={items.map((p) => ({
          key: String(p.version),
          label: `v${p.version}`,
          children: (
            <>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('exchangeIn.sources.createdAt')}>{fmtTime(p.createdAt)}</Descriptions.Item>
                {p.note && <Descriptions.Item label={t('exchangeIn.mapping.note')}>{p.note}</Descriptions.Item>}
              </Descriptions>
              <Table
                size="small"
                rowKey="field"
                pagination={false}
                dataSource={Object.entries(p.definition.columns).map(([field, column]) => ({ field, column }))}
                columns={[
                  { title: t('exchangeIn.mapping.standardField'), dataIndex: 'field', render: (f: string) => t(`exchangeIn.field.${f}`) },
                  { title: t('exchangeIn.mapping.column'), dataIndex: 'column' },
                ]}
              />
              {Object.entries(p.definition.codes ?? {}).map(([list, table]) => (
                <div key={list} style={{ marginTop: 12 }}>
                  <h4>{t('exchangeIn.mapping.codes', { field: t(`exchangeIn.field.${list}`) })}</h4>
                  {Object.entries(table as Record<string, string | string[]>).map(([from, to]) => (
                    <div key={from}>
                      <Tag>{from}</Tag> →{' '}
                      {(Array.isArray(to) ? to : [to]).map((x) => (
                        <Tag key={x} color="blue">
                          {x}
                        </Tag>
                      ))}
                    </div>
                  ))}
                </div>
              ))}
            </>
          ),
        }))}
      />
    </Drawer>
  );
}
