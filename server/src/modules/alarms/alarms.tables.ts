// The tables the alarms module owns (migrations 0005_alarms and 0014_alarm_event_rules), typed from
// the migrated schema with the columns it knows more about narrowed.
import type { Kysely, Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { Severity } from './alarms.rules.js';

export type AlarmStatus = 'active' | 'acknowledged' | 'cleared';

export type AlarmsTables = ModuleTables<
  'alarm_rules' | 'alarm_rule_state' | 'alarms',
  {
    alarms: { severity: Severity; status: AlarmStatus };
  }
>;
export type AlarmsDb = Kysely<AlarmsTables>;

/** A rule as stored (its definition and schedule are JSON text). */
export type RuleRow = Selectable<AlarmsTables['alarm_rules']>;
/** A rule's evaluation state on one device (JSON text). */
export type StateRow = Selectable<AlarmsTables['alarm_rule_state']>;
/** An alarm as stored. */
export type AlarmRow = Selectable<AlarmsTables['alarms']>;
