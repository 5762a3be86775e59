import { useEffect } from 'react';
import { Button, Card, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { detailText, fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import type { AuditRow } from '../../shared/api/models';
import { can, useMe } from '../../shared/auth';
import CheckpointsCard from './CheckpointsCard';

interface FormValues {
  actor?: string;
  action?: string;
  targetId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [form] = Form.useForm<FormValues>();
  const { filters, setFilters, list, tableProps } = useListPage({
    filters: { actor: 'text', action: 'text', targetId: 'text', from: 'text', to: 'text' },
    queryKey: ['audit'],
    fetch: (q) => api.get('/api/v1/audit', { query: q }),
  });
  // the form shows the URL's search (the range as days)
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({
      ...filters,
      range:
        filters.from || filters.to
          ? ([filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] as [Dayjs | null, Dayjs | null])
          : null,
    } as never);
  }, [form, filters]);

  const search = (v: FormValues) => {
    const [from, to] = v.range ?? [];
    setFilters({
      actor: v.actor?.trim() || undefined,
      action: v.action?.trim() || undefined,
      targetId: v.targetId?.trim() || undefined,
      // Whole days in the community's zone (UTC+8): from the start of `from` to the end of `to`.
      from: from ? from.startOf('day').format('YYYY-MM-DDTHH:mm:ssZ') : undefined,
      to: to ? to.endOf('day').format('YYYY-MM-DDTHH:mm:ssZ') : undefined,
    });
  };

  return (
    <>
      <PageHead title={t('nav.audit')} />
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
          <Form.Item name="actor" label={t('audit.actor')}>
            <Input allowClear style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Input allowClear style={{ width: 170 }} placeholder="registry.resident" />
          </Form.Item>
          <Form.Item name="targetId" label={t('audit.targetId')}>
            <Input allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.range')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                htmlType="button"
                onClick={() => {
                  form.resetFields();
                  search({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {list.isError && (
          <div role="alert" style={{ color: '#cf1322' }}>
            {errorMessage(list.error)}
          </div>
        )}
        <Table<AuditRow>
          {...tableProps}
          rowKey="seq"
          size="small"
          scroll={{ x: 1000 }}
          columns={[
            { title: '#', dataIndex: 'seq', width: 80 },
            { title: t('audit.at'), dataIndex: 'at', render: fmtTime, width: 180 },
            { title: t('audit.actor'), dataIndex: 'actorName' },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (v: string) => (
                <>
                  {t(`auditAction.${v}`, { defaultValue: '' }) && <div>{t(`auditAction.${v}`)}</div>}
                  <Typography.Text code>{v}</Typography.Text>
                </>
              ),
            },
            {
              title: t('audit.target'),
              key: 'target',
              render: (_, r) => (
                <>
                  {r.targetType}{' '}
                  <Typography.Text type="secondary" copyable>
                    {r.targetId}
                  </Typography.Text>
                </>
              ),
            },
            { title: 'IP', dataIndex: 'ip' },
            { title: t('audit.detail'), dataIndex: 'detail', ellipsis: true, render: detailText },
          ]}
        />
      </Card>
      {can(me, 'read', 'AuditCheckpoint') && <CheckpointsCard />}
    </>
  );
}
