// The events the alarms module publishes (kernel/events): the alarm lifecycle and rule changes.
// Subscribers import these tokens from the module's index.ts; the payload types are declared here once.
import { defineEvent } from '../../kernel/events/index.js';
import type { Severity } from './alarms.rules.js';

/** A new alarm opened (telemetry rule or device event); workorders may raise an order for it. */
export interface AlarmCreated {
  alarmId: string;
  deviceId: string;
  deviceName: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  communityId: string;
  placePath: string;
  createWorkOrder: boolean;
  workOrderCategory: string | null;
  at: string;
}

/** An open alarm rose to a higher severity. */
export interface AlarmUpgraded {
  alarmId: string;
  deviceId: string;
  ruleId: string;
  severity: Severity;
  previousSeverity: Severity;
  communityId: string;
  placePath: string;
  at: string;
}

/** Someone acknowledged an active alarm. */
export interface AlarmAcknowledged {
  alarmId: string;
  deviceId: string;
  ruleId: string;
  communityId: string;
  placePath: string;
  by: string;
  at: string;
}

/** An alarm was cleared: by someone (`by`), or by the engine or a device event (`by` null). */
export interface AlarmCleared {
  alarmId: string;
  deviceId: string;
  ruleId: string;
  communityId: string;
  placePath: string;
  reason: string;
  by: string | null;
  at: string;
}

/** Alarm rules changed on some node: every node reloads (and forgets the state of `resetRuleId`). */
export interface RulesChanged {
  resetRuleId: string | null;
  at: string;
}

export const ALARM_CREATED = defineEvent<AlarmCreated>('alarms.alarm.created');
export const ALARM_UPGRADED = defineEvent<AlarmUpgraded>('alarms.alarm.upgraded');
export const ALARM_ACKNOWLEDGED = defineEvent<AlarmAcknowledged>('alarms.alarm.acknowledged');
export const ALARM_CLEARED = defineEvent<AlarmCleared>('alarms.alarm.cleared');
export const RULES_CHANGED = defineEvent<RulesChanged>('alarms.rules.changed');
