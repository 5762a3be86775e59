import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Form, Input, Segmented, Select, Space, Tag, Typography } from 'antd';
import { AppstoreOutlined, PlusOutlined, SearchOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { useCurrentPlace } from '../../shared/places';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import { categoryLabel, useCategories, woStatuses, type WorkOrder } from './api';
import { CreateWorkOrderModal } from './CreateWorkOrderModal';
import { CategoriesModal } from './CategoriesModal';
import { PriorityTag, WorkOrderTable } from './WorkOrderTable';

interface Filters {
  q?: string;
  status?: string[];
  category?: string;
  mine?: boolean;
  open?: boolean;
  overdue?: boolean;
}

function Board({ items, t }: { items: WorkOrder[]; t: (k: string, o?: any) => string }) {
  const cols = woStatuses.filter((s) => s !== 'cancelled');
  return (
    <div className="wo-board">
      {cols.map((s) => {
        const list = items.filter((w) => w.status === s);
        return (
          <Card
            key={s}
            size="small"
            title={
              <Space>
                {t(`woStatus.${s}`)}
                <Badge count={list.length} showZero color="#8c8c8c" />
              </Space>
            }
            role="region"
            aria-label={t(`woStatus.${s}`)}
          >
            <Space direction="vertical" style={{ width: '100%' }}>
              {list.map((w) => (
                <Card key={w.id} size="small" style={w.overdue ? { borderColor: '#ff4d4f' } : undefined}>
                  <Link to={`/workorders/${w.id}`}>
                    <Typography.Text strong>{w.number}</Typography.Text>
                  </Link>
                  <div>{w.title}</div>
                  <Space size={4} wrap>
                    <PriorityTag priority={w.priority} />
                    <Tag>{w.categoryName}</Tag>
                    {w.overdue && <Tag color="red">{t('wo.overdue')}</Tag>}
                  </Space>
                  <div style={{ color: '#888', fontSize: 12 }}>
                    {w.placeLabel} · {w.assigneeName ?? t('wo.unassigned')}
                  </div>
                  <div style={{ color: '#888', fontSize: 12 }}>{fmtTime(w.createdAt)}</div>
                </Card>
              ))}
            </Space>
          </Card>
        );
      })}
    </div>
  );
}

export default function WorkOrdersPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const nav = useNavigate();
  const qc = useQueryClient();
  const placeId = useCurrentPlace();
  const cats = useCategories();
  const [sp, setSp] = useSearchParams();
  const view = sp.get('view') === 'board' ? 'board' : 'list';
  const [form] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);
  const [sla, setSla] = useState(false);

  const {
    setFilters: search,
    list,
    tableProps,
    page,
    pageSize,
    setPaging,
  } = useListPage({
    filters: { q: 'text', status: 'list', category: 'text', mine: 'flag', open: 'flag', overdue: 'flag' },
    queryKey: ['work-orders', 'list'],
    fetch: (q) => api.get('/api/v1/work-orders', { query: q }),
    extra: { placeId: placeId ?? undefined },
    fixedPaging: view === 'board' ? { page: 1, pageSize: 100 } : undefined,
    form,
    refetchInterval: 30_000,
  });
  const totals = list.data?.totals;

  return (
    <>
      <PageHead
        title={t('nav.workorders')}
        extra={
          <Space>
            <Segmented
              aria-label={t('wo.view')}
              value={view}
              options={[
                { value: 'list', label: t('wo.viewList'), icon: <UnorderedListOutlined /> },
                { value: 'board', label: t('wo.viewBoard'), icon: <AppstoreOutlined /> },
              ]}
              onChange={(v) =>
                setSp(
                  (prev) => {
                    const next = new URLSearchParams(prev);
                    if (v === 'board') next.set('view', 'board');
                    else next.delete('view');
                    return next;
                  },
                  { replace: true },
                )
              }
            />
            {can(me, 'manage', 'WorkOrderCategory') && <Button onClick={() => setSla(true)}>{t('wo.slaButton')}</Button>}
            {can(me, 'create', 'WorkOrder') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('wo.create')}
              </Button>
            )}
          </Space>
        }
      />
      {totals && (
        <Space wrap style={{ marginBottom: 12 }}>
          {woStatuses.map((s) => (
            <Tag key={s}>
              {t(`woStatus.${s}`)} {totals[s] ?? 0}
            </Tag>
          ))}
          <Tag color="red">
            {t('wo.overdue')} {totals.overdue ?? 0}
          </Tag>
        </Space>
      )}
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
          <Form.Item name="q" label={t('wo.search')}>
            <Input allowClear placeholder={t('wo.searchHint')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="status" label={t('wo.status')}>
            <Select mode="multiple" allowClear style={{ minWidth: 180 }} options={woStatuses.map((s) => ({ value: s, label: t(`woStatus.${s}`) }))} />
          </Form.Item>
          <Form.Item name="category" label={t('wo.category')}>
            <Select allowClear style={{ width: 140 }} options={(cats.data ?? []).map((c) => ({ value: c.code, label: categoryLabel(c) }))} />
          </Form.Item>
          <Form.Item name="mine" valuePropName="checked">
            <Checkbox>{t('wo.mine')}</Checkbox>
          </Form.Item>
          <Form.Item name="open" valuePropName="checked">
            <Checkbox>{t('wo.openToGrab')}</Checkbox>
          </Form.Item>
          <Form.Item name="overdue" valuePropName="checked">
            <Checkbox>{t('wo.overdue')}</Checkbox>
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
      {list.isError && (
        <div role="alert" style={{ color: '#cf1322', marginBottom: 8 }}>
          {errorMessage(list.error)}
        </div>
      )}
      {view === 'board' ? (
        <Board items={list.data?.items ?? []} t={t} />
      ) : (
        <Card>
          <WorkOrderTable
            items={tableProps.dataSource}
            loading={tableProps.loading}
            pagination={{ current: page, pageSize, total: list.data?.total ?? 0, onChange: setPaging }}
          />
        </Card>
      )}
      <CategoriesModal open={sla} onClose={() => setSla(false)} />
      <CreateWorkOrderModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(w) => {
          setCreating(false);
          void qc.invalidateQueries({ queryKey: ['work-orders'] });
          nav(`/workorders/${w.id}`);
        }}
      />
    </>
  );
}
