// Types and calls of the alarms contract (docs/api/alarms.md).
import { api } from '../../shared/api';
import { useRefreshOnNotification } from '../../shared/notificationStream';

export type Severity = 'critical' | 'major' | 'minor' | 'warning';
export type AlarmStatus = 'active' | 'acknowledged' | 'cleared';

export interface Alarm {
  id: string;
  ruleId: string;
  ruleCode?: string;
  ruleName?: string | null;
  deviceId: string;
  deviceName?: string | null;
  deviceTypeCode?: string;
  communityId?: string;
  placePath?: string;
  severity: Severity;
  status: AlarmStatus;
  startedAt: string;
  lastValue?: unknown;
  details?: { key?: string; values?: Record<string, unknown>; condition?: string; upgradedFrom?: string | null } | null;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
  acknowledgedByName?: string | null;
  ackNote?: string | null;
  clearedAt?: string | null;
  clearedBy?: string | null;
  clearedByName?: string | null;
  clearReason?: string | null;
  createWorkOrder?: boolean;
  workOrderCategory?: string | null;
  createdAt?: string;
}

export interface AlarmList {
  items: Alarm[];
  total: number;
  page: number;
  pageSize: number;
  totals?: { open: number; active: number; acknowledged: number; bySeverity: Record<Severity, number> };
}

export interface AlarmRule {
  id: string;
  deviceTypeCode: string;
  deviceId: string | null;
  code: string;
  name: string;
  enabled: boolean;
  definition: unknown;
  schedule: unknown | null;
  createWorkOrder: boolean;
  workOrderCategory: string | null;
  placePath?: string;
  builtIn?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

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

export const ackAlarm = (id: string) => api.post<Alarm>(`/api/v1/alarms/${id}/acknowledge`, {});
export const clearAlarm = (id: string, reason: string) => api.post<Alarm>(`/api/v1/alarms/${id}/clear`, { reason });

/**
 * Refetch the alarm queries when the notification stream announces an alarm
 * (a notification whose link starts with /alarms/). EventSource reconnects by itself.
 */
export function useAlarmStream() {
  useRefreshOnNotification('/alarms/', ['alarms']);
}
