import type { LinliMigration } from '../kernel/db/migrator.js';
import { newId } from '../kernel/ids.js';

// Built-in alarm rules for device events (not telemetry): `alarms.rule_id` is NOT NULL and the
// alarms API shows the rule's code and name, so an event alarm needs a rule. A rule of type
// "event" names the event kind and the severity; raiseEventAlarm() (alarms module) opens at most
// one alarm per (device, rule) through the same `open_key` as telemetry alarms. Disabling the
// rule (or a per-device override with the same code) stops the alarms. First users: door
// controllers (access module).
export const m0014: LinliMigration = {
  name: '0014_alarm_event_rules',
  async up(db) {
    const now = new Date().toISOString();
    const rule = (typeCode: string, code: string, name: string, severity: string) => ({
      id: newId('rul'),
      rule_key: `type:${typeCode}:${code}`,
      device_type_code: typeCode,
      device_id: null,
      place_path: '/',
      code,
      name,
      enabled: 1,
      definition: JSON.stringify({ type: 'event', event: code, severity }),
      schedule: null,
      create_work_order: 0,
      work_order_category: null,
      built_in: 1,
      created_at: now,
      updated_at: now,
    });
    await db
      .insertInto('alarm_rules')
      .values([
        rule('door_controller', 'door_forced', '门被强行打开', 'critical'),
        rule('door_controller', 'door_held_open', '门长时间未关', 'major'),
        rule('door_controller', 'repeated_denials', '同一门多次拒绝通行', 'minor'),
        rule('door_controller', 'tamper', '门禁控制器被拆', 'critical'),
      ])
      .onConflict((oc) => oc.column('rule_key').doNothing())
      .execute();
  },
};
