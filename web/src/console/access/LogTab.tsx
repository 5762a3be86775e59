import { useState } from 'react';
import { Button, DatePicker, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { downloadUrl } from '../../shared/api';
import { useLog, usePoints, type LogEntry } from './api';

export const ResultTag = ({ r }: { r: LogEntry }) => <Tag color={r.result === 'allow' ? 'green' : 'red'}>{r.reasonText}</Tag>;

export function logColumns(t: (k: string) => string) {
  return [
    { title: t('doors.time'), dataIndex: 'at', render: fmtTime },
    { title: t('doors.door'), dataIndex: 'doorName' },
    {
      title: t('doors.person'),
      render: (_: unknown, r: LogEntry) => (
        <>
          {r.holderName ?? ''}
          {r.visitorPassId && <Tag style={{ marginLeft: 4 }}>{t('doors.visitor')}</Tag>}
        </>
      ),
    },
    { title: t('doors.credType'), dataIndex: 'credentialType', render: (x: string) => t(`doors.credTypes.${x}`) },
    { title: t('doors.direction'), dataIndex: 'direction', render: (d: string) => t(`doors.directions.${d}`) },
    { title: t('doors.result'), render: (_: unknown, r: LogEntry) => <ResultTag r={r} /> },
    { title: '', dataIndex: 'offline', render: (o: boolean) => (o ? <Tag>{t('doors.offline')}</Tag> : null) },
  ];
}

/** 通行记录: search by door, time and result; export (audited). */
export function LogTab({ canExport }: { canExport: boolean }) {
  const { t } = useTranslation();
  const points = usePoints();
  const [f, setF] = useState<{ pointId?: string; result?: string; from?: string; until?: string }>({});
  const [page, setPage] = useState(1);
  const q = useLog({ ...f, page, pageSize: 50 });
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('doors.door')}
          style={{ width: 200 }}
          options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          onChange={(v) => setF({ ...f, pointId: v })}
        />
        <Select
          allowClear
          placeholder={t('doors.result')}
          style={{ width: 120 }}
          options={['allow', 'deny'].map((r) => ({ value: r, label: t(`doors.results.${r}`) }))}
          onChange={(v) => setF({ ...f, result: v })}
        />
        <DatePicker.RangePicker showTime onChange={(v) => setF({ ...f, from: v?.[0]?.toISOString(), until: v?.[1]?.toISOString() })} />
        {canExport && <Button href={downloadUrl('/api/v1/access/log/export.xlsx', { query: { ...f, page: 1, pageSize: 50 } })}>{t('doors.export')}</Button>}
      </Space>
      <Table<LogEntry>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items}
        columns={logColumns(t)}
        pagination={{ current: page, pageSize: 50, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      />
    </>
  );
}
