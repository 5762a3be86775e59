// The tables the devices migrations create (device types, devices, rejection counters and the
// telemetry tables), as migrated, with the columns whose values the module knows narrowed
// (kernel/db/tables.ts).
import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type DeviceStatus = 'online' | 'offline';

export type DevicesTables = ModuleTables<
  | 'device_types'
  | 'devices'
  | 'device_rejects'
  | 'telemetry_raw'
  | 'telemetry_raw_recent'
  | 'telemetry_raw_by_series'
  | 'telemetry_raw_moved'
  | 'telemetry_1m'
  | 'telemetry_1h'
  | 'telemetry_latest',
  {
    devices: { status: Generated<DeviceStatus> };
  }
>;
export type DevicesDb = Kysely<DevicesTables>;
export type DevicesTx = Transaction<DevicesTables>;

export type DeviceTypeRow = Selectable<DevicesTables['device_types']>;
export type DeviceRow = Selectable<DevicesTables['devices']>;
export type DeviceRejectRow = Selectable<DevicesTables['device_rejects']>;
