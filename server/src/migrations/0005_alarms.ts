import type { LinliMigration } from '../kernel/db/migrator.js';
import { newId } from '../kernel/ids.js';

// Alarms: rules per device type (or per device, overriding the type rule with the same code),
// the rules' evaluation state per device (so durations and counters survive a restart), and the
// alarms themselves. One open alarm per (device, rule) is guaranteed by `open_key`, which holds
// "<deviceId>|<ruleId>" while the alarm is active or acknowledged and NULL once cleared; a plain
// UNIQUE constraint on it works alike on SQLite and PostgreSQL (NULLs are distinct on both).
export const m0005: LinliMigration = {
  name: '0005_alarms',
  async up(db) {
    await db.schema
      .createTable('alarm_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_key', 'text', (c) => c.notNull().unique()) // "type:<typeCode>:<code>" | "dev:<deviceId>:<code>"
      .addColumn('device_type_code', 'text', (c) => c.notNull()) // "*" = every type
      .addColumn('device_id', 'text') // set = per-device override
      .addColumn('place_path', 'text', (c) => c.notNull()) // "/" for type rules, the device's path for overrides
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('definition', 'text', (c) => c.notNull()) // JSON
      .addColumn('schedule', 'text') // JSON or NULL
      .addColumn('create_work_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('work_order_category', 'text')
      .addColumn('built_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alarm_rules_type').on('alarm_rules').columns(['device_type_code', 'code']).execute();
    await db.schema.createIndex('alarm_rules_device').on('alarm_rules').columns(['device_id']).execute();

    await db.schema
      .createTable('alarm_rule_state')
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // JSON
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('alarm_rule_state_pk', ['rule_id', 'device_id'])
      .execute();

    await db.schema
      .createTable('alarms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('device_name', 'text')
      .addColumn('device_type_code', 'text')
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull()) // critical | major | minor | warning
      .addColumn('status', 'text', (c) => c.notNull()) // active | acknowledged | cleared
      .addColumn('open_key', 'text', (c) => c.unique()) // deviceId|ruleId while open, NULL when cleared
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('last_value', 'real')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}')) // JSON
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_by_name', 'text')
      .addColumn('ack_note', 'text')
      .addColumn('cleared_at', 'text')
      .addColumn('cleared_by', 'text')
      .addColumn('cleared_by_name', 'text')
      .addColumn('clear_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alarms_place').on('alarms').columns(['place_path', 'created_at']).execute();
    await db.schema.createIndex('alarms_device').on('alarms').columns(['device_id', 'created_at']).execute();
    await db.schema.createIndex('alarms_status').on('alarms').columns(['status', 'severity']).execute();

    // Default rules of the built-in device types (see docs/api/alarms.md for the format).
    const now = new Date().toISOString();
    const rule = (typeCode: string, code: string, name: string, definition: unknown, wo: string | null = null) => ({
      id: newId('rul'),
      rule_key: `type:${typeCode}:${code}`,
      device_type_code: typeCode,
      device_id: null,
      place_path: '/',
      code,
      name,
      enabled: 1,
      definition: JSON.stringify(definition),
      schedule: null,
      create_work_order: wo ? 1 : 0,
      work_order_category: wo,
      built_in: 1,
      created_at: now,
      updated_at: now,
    });
    const simple = { type: 'simple' };
    await db
      .insertInto('alarm_rules')
      .values([
        rule(
          'elevator',
          'fault',
          '电梯故障',
          {
            type: 'condition',
            create: { critical: { condition: { key: 'fault_code', op: '!=', value: 0 }, spec: simple } },
            clear: { condition: { key: 'fault_code', op: '==', value: 0 }, spec: simple },
          },
          'elevator',
        ),
        rule('elevator', 'door_open', '电梯门长时间未关', {
          type: 'condition',
          create: { major: { condition: { key: 'door_open', op: '==', value: 1 }, spec: { type: 'duration', seconds: 120 } } },
          clear: { condition: { key: 'door_open', op: '==', value: 0 }, spec: simple },
        }),
        rule('water_pump', 'low_pressure', '水泵压力过低', {
          type: 'condition',
          create: { major: { condition: { key: 'pressure', op: '<', value: 0.15 }, spec: { type: 'duration', seconds: 60 } } },
          clear: { condition: { key: 'pressure', op: '>=', value: 0.15 }, spec: simple },
        }),
        rule('water_pump', 'overheat', '水泵温度过高', {
          type: 'condition',
          create: { critical: { condition: { key: 'temperature', op: '>', value: 80 }, spec: simple } },
          clear: { condition: { key: 'temperature', op: '<=', value: 80 }, spec: simple },
        }),
        rule('smoke_detector', 'smoke', '烟雾报警', {
          type: 'condition',
          create: { critical: { condition: { key: 'obscuration', op: '>', value: 10 }, spec: simple } },
          clear: { condition: { key: 'obscuration', op: '<=', value: 10 }, spec: { type: 'duration', seconds: 60 } },
        }),
        rule('electricity_meter', 'voltage', '电压异常', {
          type: 'condition',
          create: {
            minor: {
              condition: {
                any: [
                  { key: 'voltage', op: '>', value: 253 },
                  { key: 'voltage', op: '<', value: 187 },
                ],
              },
              spec: { type: 'repeating', count: 3 },
            },
          },
          clear: {
            condition: {
              all: [
                { key: 'voltage', op: '<=', value: 253 },
                { key: 'voltage', op: '>=', value: 187 },
              ],
            },
            spec: simple,
          },
        }),
        rule('*', 'no_data', '设备无数据', { type: 'no_data', seconds: 300, severity: 'warning' }),
      ])
      .execute();
  },
};
