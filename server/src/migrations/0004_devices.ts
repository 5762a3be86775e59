import type { LinliMigration } from '../kernel/db/migrator.js';

// Devices: device types (profiles with telemetry keys), devices with a hashed credential,
// raw telemetry (idempotent on device, key, ts), per-minute and per-hour rollups, latest values,
// and per-device reject counters.

interface Key {
  key: string;
  unit: string;
  min: number | null;
  max: number | null;
  zh: string;
  en: string;
}
const k = (key: string, unit: string, min: number | null, max: number | null, zh: string, en: string): Key => ({ key, unit, min, max, zh, en });

export const builtinDeviceTypes: { code: string; zh: string; en: string; heartbeatS: number; keys: Key[] }[] = [
  {
    code: 'elevator',
    zh: '电梯',
    en: 'Elevator',
    heartbeatS: 120,
    keys: [
      k('floor', '', -5, 100, '所在楼层', 'Floor'),
      k('speed', 'm/s', 0, 10, '运行速度', 'Speed'),
      k('door_open', '0/1', 0, 1, '轿门开启', 'Door open'),
      k('load_kg', 'kg', 0, 3000, '载重', 'Load'),
      k('fault_code', '', 0, 9999, '故障码', 'Fault code'),
    ],
  },
  {
    code: 'water_pump',
    zh: '水泵',
    en: 'Water pump',
    heartbeatS: 120,
    keys: [
      k('pressure', 'MPa', 0, 2.5, '出水压力', 'Outlet pressure'),
      k('flow', 'm³/h', 0, 500, '流量', 'Flow'),
      k('running', '0/1', 0, 1, '运行中', 'Running'),
      k('temperature', '°C', -20, 120, '电机温度', 'Motor temperature'),
    ],
  },
  { code: 'water_meter', zh: '水表', en: 'Water meter', heartbeatS: 3600, keys: [k('total', 'm³', 0, null, '累计用水量', 'Total volume')] },
  {
    code: 'electricity_meter',
    zh: '电表',
    en: 'Electricity meter',
    heartbeatS: 600,
    keys: [k('total', 'kWh', 0, null, '累计电量', 'Total energy'), k('power', 'kW', 0, 1000, '功率', 'Power'), k('voltage', 'V', 0, 450, '电压', 'Voltage')],
  },
  {
    code: 'smoke_detector',
    zh: '烟感',
    en: 'Smoke detector',
    heartbeatS: 600,
    keys: [k('obscuration', '%/m', 0, 100, '烟雾遮蔽率', 'Smoke obscuration'), k('battery', '%', 0, 100, '电池电量', 'Battery')],
  },
  {
    code: 'env_sensor',
    zh: '环境传感器',
    en: 'Environment sensor',
    heartbeatS: 300,
    keys: [
      k('temperature', '°C', -40, 80, '温度', 'Temperature'),
      k('humidity', '%', 0, 100, '湿度', 'Humidity'),
      k('pm25', 'µg/m³', 0, 1000, 'PM2.5', 'PM2.5'),
      k('co2', 'ppm', 0, 10000, '二氧化碳', 'CO₂'),
    ],
  },
  { code: 'camera', zh: '摄像头', en: 'Camera', heartbeatS: 120, keys: [k('online', '0/1', 0, 1, '在线', 'Online')] },
  { code: 'door_controller', zh: '门禁控制器', en: 'Door controller', heartbeatS: 120, keys: [k('online', '0/1', 0, 1, '在线', 'Online')] },
  { code: 'gateway', zh: '网关', en: 'Gateway', heartbeatS: 120, keys: [k('uptime', 's', 0, null, '运行时长', 'Uptime')] },
];

export const m0004: LinliMigration = {
  name: '0004_devices',
  async up(db) {
    await db.schema
      .createTable('device_types')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('telemetry', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{key, unit, min, max, zh, en}]
      .addColumn('heartbeat_s', 'integer', (c) => c.notNull().defaultTo(120))
      .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type_id', 'text', (c) => c.notNull().references('device_types.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('public_area', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('secret_rotated_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline')) // online | offline
      .addColumn('last_seen_at', 'text')
      .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('last_error_at', 'text')
      .addColumn('throttled_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_path').on('devices').columns(['place_path', 'id']).execute();
    await db.schema.createIndex('devices_type').on('devices').columns(['type_id']).execute();
    await db.schema.createIndex('devices_status').on('devices').columns(['status', 'last_seen_at']).execute();

    await db.schema
      .createTable('telemetry_raw')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('telemetry_raw_pk', ['device_id', 'key', 'ts'])
      .execute();
    await db.schema.createIndex('telemetry_raw_ts').on('telemetry_raw').column('ts').execute();

    for (const t of ['telemetry_1m', 'telemetry_1h']) {
      await db.schema
        .createTable(t)
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('bucket', 'bigint', (c) => c.notNull())
        .addColumn('min', 'double precision', (c) => c.notNull())
        .addColumn('max', 'double precision', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${t}_pk`, ['device_id', 'key', 'bucket'])
        .execute();
    }
    await db.schema.createIndex('telemetry_1m_bucket').on('telemetry_1m').column('bucket').execute();

    await db.schema
      .createTable('telemetry_latest')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('telemetry_latest_pk', ['device_id', 'key'])
      .execute();

    await db.schema
      .createTable('device_rejects')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('last_detail', 'text')
      .addPrimaryKeyConstraint('device_rejects_pk', ['device_id', 'reason'])
      .execute();

    const at = new Date().toISOString();
    await db
      .insertInto('device_types')
      .values(
        builtinDeviceTypes.map((t) => ({
          id: `dty_${t.code}`,
          code: t.code,
          name_zh: t.zh,
          name_en: t.en,
          telemetry: JSON.stringify(t.keys),
          heartbeat_s: t.heartbeatS,
          builtin: 1,
          created_by: null,
          created_at: at,
        })),
      )
      .execute();
  },
};
