import { Badge, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { priorityColor, statusColor, type WorkOrder } from './api';

export function WoStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColor[status] ?? 'default'}>{t(`woStatus.${status}`, { defaultValue: status })}</Tag>;
}

export function PriorityTag({ priority }: { priority: string }) {
  const { t } = useTranslation();
  return <Tag color={priorityColor[priority] ?? 'default'}>{t(`priority.${priority}`, { defaultValue: priority })}</Tag>;
}

export function WorkOrderTable(props: {
  items: WorkOrder[];
  loading?: boolean;
  pagination?: false | { current: number; pageSize: number; total: number; onChange: (p: number, s: number) => void };
}) {
  const { t } = useTranslation();
  return (
    <Table<WorkOrder>
      rowKey="id"
      size="middle"
      loading={props.loading}
      dataSource={props.items}
      scroll={{ x: 1100 }}
      pagination={props.pagination ? { ...props.pagination, showSizeChanger: true, showTotal: (n) => t('common.total', { count: n }) } : false}
      columns={[
        { title: t('wo.number'), dataIndex: 'number', fixed: 'left', render: (v, w) => <Link to={`/workorders/${w.id}`}>{v}</Link> },
        { title: t('wo.title'), dataIndex: 'title', ellipsis: true },
        { title: t('wo.category'), dataIndex: 'categoryName' },
        { title: t('wo.priority'), dataIndex: 'priority', render: (v) => <PriorityTag priority={v} /> },
        {
          title: t('wo.status'),
          dataIndex: 'status',
          render: (v, w) => (
            <>
              <WoStatusTag status={v} />
              {w.overdue && <Badge status="error" text={t('wo.overdue')} />}
            </>
          ),
        },
        { title: t('wo.place'), dataIndex: 'placeLabel' },
        { title: t('wo.assignee'), dataIndex: 'assigneeName', render: (v) => v ?? '—' },
        { title: t('wo.source'), dataIndex: 'source', render: (v) => t(`woSource.${v}`, { defaultValue: v }) },
        { title: t('wo.resolveBy'), dataIndex: 'resolveBy', render: (v) => fmtTime(v) },
        { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v) => fmtTime(v) },
      ]}
    />
  );
}
