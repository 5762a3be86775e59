import { Badge, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../shared/format';
import { alarmDetail, alarmStatusColor, alarmTime, severityColor, type Alarm } from './api';
import { AlarmActions } from './AlarmActions';

export function SeverityTag({ severity }: { severity: string }) {
  const { t } = useTranslation();
  return <Tag color={severityColor[severity] ?? 'default'}>{t(`severity.${severity}`, { defaultValue: severity })}</Tag>;
}

export function AlarmTable({
  items,
  loading,
  showDevice = true,
  actions = true,
}: {
  items: Alarm[];
  loading?: boolean;
  showDevice?: boolean;
  actions?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Table<Alarm>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={items.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 900 }}
      rowClassName={(a) => `alarm-row alarm-${a.severity}`}
      columns={[
        { title: t('alarms.severity'), dataIndex: 'severity', width: 100, render: (v) => <SeverityTag severity={v} /> },
        {
          title: t('alarms.rule'),
          dataIndex: 'ruleName',
          render: (v, a) => (
            <>
              <div>{v ?? a.ruleCode ?? a.ruleId}</div>
              {alarmDetail(a) && <div style={{ color: '#888' }}>{alarmDetail(a)}</div>}
            </>
          ),
        },
        ...(showDevice
          ? [
              {
                title: t('alarms.device'),
                dataIndex: 'deviceName',
                render: (v: string | null, a: Alarm) => <Link to={`/devices/${a.deviceId}`}>{v ?? a.deviceId}</Link>,
              },
            ]
          : []),
        { title: t('alarms.startedAt'), key: 'at', render: (_, a) => fmtTime(alarmTime(a)) },
        {
          title: t('alarms.status'),
          dataIndex: 'status',
          render: (v, a) => (
            <>
              <Badge status={(alarmStatusColor[v] ?? 'default') as any} text={t(`alarmStatus.${v}`, { defaultValue: v })} />
              {a.status === 'acknowledged' && a.acknowledgedByName && (
                <div style={{ color: '#888' }}>
                  {a.acknowledgedByName} · {fmtTime(a.acknowledgedAt)}
                </div>
              )}
              {a.clearReason && (
                <div style={{ color: '#888' }}>
                  {t(`clearReason.${a.clearReason}`, { defaultValue: a.clearReason })}
                  {a.clearedByName ? ` · ${a.clearedByName}` : ''}
                </div>
              )}
            </>
          ),
        },
        ...(actions ? [{ title: t('common.actions'), key: 'act', render: (_: unknown, a: Alarm) => <AlarmActions alarm={a} /> }] : []),
      ]}
    />
  );
}
