import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { detailText, fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import type { AuditRow, Page } from '../../shared/types';
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
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['audit', filters, paging],
    queryFn: () => api.get<Page<AuditRow>>('/api/v1/audit', { ...filters, ...paging }),
    placeholderData: keepPreviousData,
  });

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
    setPaging((p) => ({ ...p, page: 1 }));
  };

  return (
    <>
      <PageHead title={t('nav.audit')} />
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
          <Form.Item name="actor" label={t('audit.actor')}><Input allowClear style={{ width: 150 }} /></Form.Item>
          <Form.Item name="action" label={t('audit.action')}><Input allowClear style={{ width: 170 }} placeholder="registry.resident" /></Form.Item>
          <Form.Item name="targetId" label={t('audit.targetId')}><Input allowClear style={{ width: 220 }} /></Form.Item>
          <Form.Item name="range" label={t('audit.range')}><DatePicker.RangePicker allowEmpty={[true, true]} /></Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
              <Button htmlType="button" onClick={() => { form.resetFields(); search({}); }}>{t('common.reset')}</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {list.isError && <div role="alert" style={{ color: '#cf1322' }}>{errorMessage(list.error)}</div>}
        <Table<AuditRow>
          rowKey="seq"
          size="small"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1000 }}
          pagination={{
            current: paging.page, pageSize: paging.pageSize, total: list.data?.total ?? 0, showSizeChanger: true,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
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
            { title: t('audit.target'), key: 'target', render: (_, r) => <>{r.targetType} <Typography.Text type="secondary" copyable>{r.targetId}</Typography.Text></> },
            { title: 'IP', dataIndex: 'ip' },
            { title: t('audit.detail'), dataIndex: 'detail', ellipsis: true, render: detailText },
          ]}
        />
      </Card>
      {can(me, 'read', 'AuditCheckpoint') && <CheckpointsCard />}
    </>
  );
}
