// Devices data access: device types, devices, reject counters, telemetry reads.
// (The ingest writes live in telemetry.repository.ts.)
import { sql, type Insertable, type Updateable } from 'kysely';
import { startsWith, likeOp, escapeLike, type Db, type Dialect, type Tx, noRows } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { DeviceRow, DevicesDb, DevicesTables, DeviceStatus, DeviceTypeRow } from './devices.tables.js';

export type { DeviceRow, DeviceTypeRow } from './devices.tables.js';

export interface TelemetryKey {
  key: string;
  unit: string;
  min: number | null;
  max: number | null;
  zh: string;
  en: string;
}

export type DeviceWithType = DeviceRow & { type_code: string; type_name_zh: string; type_name_en: string; telemetry: string; heartbeat_s: number };

export interface DeviceFilter {
  reach?: Reachable;
  placePath?: string;
  typeCode?: string;
  status?: DeviceStatus;
  communityId?: string;
  q?: string;
}

export function parseKeys(json: string): TelemetryKey[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Rows whose column starts with one of the reach's prefixes (call only when not `reach.all`). */
function inReach(col: string, reach: Reachable) {
  if (!reach.prefixes.length) return noRows();
  return sql<boolean>`(${sql.join(
    reach.prefixes.map((p) => startsWith(col, p)),
    sql` or `,
  )})`;
}

export class DevicesRepository {
  private db: DevicesDb;
  constructor(
    db: Db,
    private dialect: Dialect,
  ) {
    this.db = tablesOf<DevicesTables>(db);
  }

  // ----- types -----
  types(): Promise<DeviceTypeRow[]> {
    return this.db.selectFrom('device_types').selectAll().orderBy('builtin', 'desc').orderBy('code').execute();
  }
  typeByCode(code: string): Promise<DeviceTypeRow | undefined> {
    return this.db.selectFrom('device_types').selectAll().where('code', '=', code).executeTakeFirst();
  }
  typeById(id: string): Promise<DeviceTypeRow | undefined> {
    return this.db.selectFrom('device_types').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** Inside the caller's transaction when one is given. */
  async insertType(row: Insertable<DevicesTables['device_types']>, t?: Tx) {
    await (t ? txOf<DevicesTables>(t) : this.db).insertInto('device_types').values(row).execute();
  }
  async updateType(id: string, patch: Updateable<DevicesTables['device_types']>, t: Tx) {
    await txOf<DevicesTables>(t).updateTable('device_types').set(patch).where('id', '=', id).execute();
  }

  // ----- devices -----
  private withType(db: DevicesDb = this.db) {
    return db
      .selectFrom('devices')
      .innerJoin('device_types', 'device_types.id', 'devices.type_id')
      .selectAll('devices')
      .select([
        'device_types.code as type_code',
        'device_types.name_zh as type_name_zh',
        'device_types.name_en as type_name_en',
        'device_types.telemetry',
        'device_types.heartbeat_s',
      ]);
  }
  /** The device's encrypted Digest HA1 (digest.ts), if it has one. */
  async digestHa1Enc(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('devices').select('digest_ha1_enc').where('id', '=', id).executeTakeFirst();
    return r?.digest_ha1_enc ?? null;
  }
  /** `db`: the caller's transaction, when it reads inside one. */
  byId(id: string, db?: Db | Tx): Promise<DeviceWithType | undefined> {
    return this.withType(db ? tablesOf<DevicesTables>(db) : this.db)
      .where('devices.id', '=', id)
      .executeTakeFirst();
  }
  async insert(row: Insertable<DevicesTables['devices']>, t?: Tx) {
    await (t ? txOf<DevicesTables>(t) : this.db).insertInto('devices').values(row).execute();
  }
  async update(id: string, patch: Updateable<DevicesTables['devices']>, t?: Tx) {
    await (t ? txOf<DevicesTables>(t) : this.db).updateTable('devices').set(patch).where('id', '=', id).execute();
  }

  private filtered(f: DeviceFilter, withStatus: boolean) {
    let q = this.withType();
    if (f.reach && !f.reach.all) q = q.where(inReach('devices.place_path', f.reach));
    if (f.placePath) q = q.where(startsWith('devices.place_path', f.placePath));
    if (f.typeCode) q = q.where('device_types.code', '=', f.typeCode);
    if (f.communityId) q = q.where('devices.community_id', '=', f.communityId);
    if (withStatus && f.status) q = q.where('devices.status', '=', f.status);
    if (f.q) {
      const pat = `%${escapeLike(f.q)}%`;
      const op = likeOp(this.dialect);
      q = q.where((eb) => eb.or([eb('devices.name', op, pat), eb('devices.public_area', op, pat)]));
    }
    return q;
  }

  async list(f: DeviceFilter, limit: number, offset: number) {
    const rows: DeviceWithType[] = await this.filtered(f, true)
      .orderBy('devices.place_path')
      .orderBy('devices.name')
      .orderBy('devices.id')
      .limit(limit)
      .offset(offset)
      .execute();
    const counts = await this.filtered(f, false)
      .clearSelect()
      .select(['devices.status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('devices.status')
      .execute();
    const online = Number(counts.find((c) => c.status === 'online')?.n ?? 0);
    const offline = Number(counts.find((c) => c.status === 'offline')?.n ?? 0);
    const total = f.status === 'online' ? online : f.status === 'offline' ? offline : f.status ? 0 : online + offline;
    return { rows, total, totals: { total: online + offline, online, offline } };
  }

  all(f: DeviceFilter): Promise<DeviceWithType[]> {
    return this.filtered(f, true).orderBy('devices.id').execute();
  }

  rejects(deviceId: string) {
    return this.db.selectFrom('device_rejects').selectAll().where('device_id', '=', deviceId).orderBy('count', 'desc').execute();
  }

  /** Raw readings stored per device whose id starts with the prefix. */
  async countRawByDevice(deviceIdPrefix: string): Promise<{ device_id: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('telemetry_raw')
      .select(['device_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('device_id', 'like', `${deviceIdPrefix}%`)
      .groupBy('device_id')
      .execute();
    return rows.map((r) => ({ device_id: r.device_id, n: Number(r.n) }));
  }

  // ----- telemetry reads -----
  latest(deviceId: string) {
    return this.db.selectFrom('telemetry_latest').select(['key', 'ts', 'value']).where('device_id', '=', deviceId).execute();
  }

  /** Raw readings stored (of devices whose id starts with the prefix): what the ingest pipeline has written. */
  async countRaw(deviceIdPrefix?: string): Promise<number> {
    let q = this.db.selectFrom('telemetry_raw').select((eb) => eb.fn.countAll<number>().as('n'));
    if (deviceIdPrefix) q = q.where('device_id', 'like', `${deviceIdPrefix}%`);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async raw(deviceId: string, keys: string[], from: number, to: number, limit: number) {
    const rows = await this.db
      .selectFrom('telemetry_raw')
      .select(['key', 'ts', 'value'])
      .where('device_id', '=', deviceId)
      .where('key', 'in', keys)
      .where('ts', '>=', from)
      .where('ts', '<', to)
      .orderBy('key')
      .orderBy('ts')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.key, ts: Number(r.ts), min: Number(r.value), max: Number(r.value), sum: Number(r.value), count: 1 }));
  }

  async rollup(table: 'telemetry_1m' | 'telemetry_1h', deviceId: string, keys: string[], from: number, to: number, limit: number) {
    const rows = await this.db
      .selectFrom(table)
      .select(['key', 'bucket', 'min', 'max', 'sum', 'count'])
      .where('device_id', '=', deviceId)
      .where('key', 'in', keys)
      .where('bucket', '>=', from)
      .where('bucket', '<', to)
      .orderBy('key')
      .orderBy('bucket')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      ts: Number(r.bucket),
      min: Number(r.min),
      max: Number(r.max),
      sum: Number(r.sum),
      count: Number(r.count),
    }));
  }
}
