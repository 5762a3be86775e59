// Types and calls of the alarms contract (docs/api/alarms.md).
import { api, type ApiBody, type ApiOk, type ItemOf } from '../../shared/api';
import { useRefreshOnNotification } from '../../shared/notificationStream';

// The answers of the alarm routes, named from the generated OpenAPI types.
export type AlarmList = ApiOk<'/api/v1/alarms'>;
export type Alarm = ItemOf<AlarmList>;
export type Severity = Alarm['severity'];
export type AlarmStatus = Alarm['status'];
export type AlarmRule = ItemOf<ApiOk<'/api/v1/alarm-rules'>>;
export type NewAlarmRule = ApiBody<'/api/v1/alarm-rules'>;

export const severityColor: Record<string, string> = {
  critical: 'red',
  major: 'volcano',
  minor: 'gold',
  warning: 'blue',
};

export const alarmStatusColor: Record<string, string> = { active: 'error', acknowledged: 'warning', cleared: 'success' };

export const alarmTime = (a: Alarm) => a.startedAt ?? a.createdAt ?? '';

/** What fired: the condition and the value that broke it. */
export function alarmDetail(a: Alarm): string {
  const c = a.details?.condition;
  const v = a.lastValue;
  return [c, v !== null && v !== undefined ? `= ${String(v)}` : ''].filter(Boolean).join(' ');
}

export const ackAlarm = (id: string) => api.post('/api/v1/alarms/{id}/acknowledge', { path: { id }, body: {} });
export const clearAlarm = (id: string, reason: string) => api.post('/api/v1/alarms/{id}/clear', { path: { id }, body: { reason } });

/**
 * Refetch the alarm queries when the notification stream announces an alarm
 * (a notification whose link starts with /alarms/). EventSource reconnects by itself.
 */
export function useAlarmStream() {
  useRefreshOnNotification('/alarms/', ['alarms']);
}
