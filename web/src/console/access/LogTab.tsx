import dayjs from 'dayjs';
import { Button, DatePicker, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { api, downloadUrl } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { usePoints, type LogEntry } from './api';

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
  // the search lives in the URL (?tab=log&pointId=…&result=…&from=…&until=…)
  const {
    filters: f,
    setFilters: setF,
    query,
    tableProps,
  } = useListPage({
    filters: { pointId: 'text', result: 'text', from: 'text', until: 'text' },
    queryKey: ['access', 'log'],
    pageSize: 50,
    fetch: (q) => api.get('/api/v1/access/log', { query: q }),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('doors.door')}
          style={{ width: 200 }}
          options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={f.pointId}
          onChange={(v) => setF({ ...f, pointId: v })}
        />
        <Select
          allowClear
          placeholder={t('doors.result')}
          style={{ width: 120 }}
          options={['allow', 'deny'].map((r) => ({ value: r, label: t(`doors.results.${r}`) }))}
          value={f.result}
          onChange={(v) => setF({ ...f, result: v })}
        />
        <DatePicker.RangePicker
          showTime
          value={f.from && f.until ? [dayjs(f.from), dayjs(f.until)] : null}
          onChange={(v) => setF({ ...f, from: v?.[0]?.toISOString(), until: v?.[1]?.toISOString() })}
        />
        {canExport && <Button href={downloadUrl('/api/v1/access/log/export.xlsx', { query: { ...query, page: 1, pageSize: 50 } })}>{t('doors.export')}</Button>}
      </Space>
      <Table<LogEntry> {...tableProps} size="small" columns={logColumns(t)} />
    </>
  );
}
