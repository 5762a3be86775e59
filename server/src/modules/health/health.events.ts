// The events the health module publishes. Payloads carry the pseudonymous patient id only.
import { defineEvent } from '../../kernel/events/index.js';
import type { AlertRule, AlertSeverity, ReadingKind, ReadingSource } from './health.tables.js';

export interface ReadingRecorded {
  readingId: string;
  patientId: string;
  kind: ReadingKind;
  source: ReadingSource;
  ts: number;
  level: 'normal' | 'high' | 'urgent';
  shared: boolean;
}
export interface AlertRaised {
  alertId: string;
  patientId: string;
  teamId: string;
  rule: AlertRule;
  severity: AlertSeverity;
  /** when the reading that raised it was taken (ms), for latency measurements */
  readingTs: number | null;
}

export const READING_RECORDED = defineEvent<ReadingRecorded>('health.reading.recorded');
export const ALERT_RAISED = defineEvent<AlertRaised>('health.alert.raised');

/** A home device bound to (patientId) or unbound from (null) a patient: other nodes update their map. */
export interface DeviceBindingChanged {
  deviceId: string;
  patientId: string | null;
}
export const DEVICE_BINDING_CHANGED = defineEvent<DeviceBindingChanged>('health.device.binding_changed');
