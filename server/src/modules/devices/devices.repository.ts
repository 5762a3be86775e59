// Devices data access: device types, devices, reject counters, telemetry reads.
// (The ingest writes live in telemetry.repository.ts.)
import { startsWith, likeOp, escapeLike, type Db, type Dialect, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';

export interface TelemetryKey {
  key: string;
  unit: string;
  min: number | null;
  max: number | null;
  zh: string;
  en: string;
}

export interface DeviceTypeRow {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  telemetry: string;
  heartbeat_s: number;
  builtin: number;
  created_by: string | null;
  created_at: string;
}

export interface DeviceRow {
  id: string;
  type_id: string;
  community_id: string;
  place_id: string;
  place_path: string;
  public_area: string | null;
  name: string;
  secret_hash: string;
  /** MD5(id:realm:secret) for HTTP Digest, vault-encrypted (digest.ts); null for devices whose secret predates it */
  digest_ha1_enc?: string | null;
  secret_rotated_at: string;
  status: 'online' | 'offline';
  last_seen_at: string | null;
  rejected_count: number;
  last_error: string | null;
  last_error_at: string | null;
  throttled_until: string | null;
  created_at: string;
  updated_at: string;
}

export type DeviceWithType = DeviceRow & { type_code: string; type_name_zh: string; type_name_en: string; telemetry: string; heartbeat_s: number };

export interface DeviceFilter {
  reach?: Reachable;
  placePath?: string;
  typeCode?: string;
  status?: string;
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

function whereReach<Q extends { where: (...a: any[]) => Q }>(q: Q, col: string, reach: Reachable): Q {
  if (reach.all) return q;
  return q.where((eb: any) => {
    const ors = reach.prefixes.map((p) => startsWith(col, p));
    return ors.length ? eb.or(ors) : noRows();
  });
}

export class DevicesRepository {
  constructor(
    private db: Db,
    private dialect: Dialect,
  ) {}

  // ----- types -----
  types() {
    return this.db.selectFrom('device_types').selectAll().orderBy('builtin', 'desc').orderBy('code').execute() as Promise<DeviceTypeRow[]>;
  }
  typeByCode(code: string) {
    return this.db.selectFrom('device_types').selectAll().where('code', '=', code).executeTakeFirst() as Promise<DeviceTypeRow | undefined>;
  }
  typeById(id: string) {
    return this.db.selectFrom('device_types').selectAll().where('id', '=', id).executeTakeFirst() as Promise<DeviceTypeRow | undefined>;
  }
  async insertType(row: DeviceTypeRow, db: Db = this.db) {
    await db.insertInto('device_types').values(row).execute();
  }

  // ----- devices -----
  private withType(db: Db = this.db) {
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
    return (r?.digest_ha1_enc as string | null | undefined) ?? null;
  }
  byId(id: string, db: Db = this.db) {
    return this.withType(db).where('devices.id', '=', id).executeTakeFirst() as Promise<DeviceWithType | undefined>;
  }
  async insert(row: DeviceRow, db: Db = this.db) {
    await db.insertInto('devices').values(row).execute();
  }
  async update(id: string, patch: Partial<DeviceRow>, db: Db = this.db) {
    await db.updateTable('devices').set(patch).where('id', '=', id).execute();
  }

  private filtered(f: DeviceFilter, withStatus: boolean) {
    let q = this.withType();
    if (f.reach) q = whereReach(q, 'devices.place_path', f.reach);
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
    const rows = (await this.filtered(f, true)
      .orderBy('devices.place_path')
      .orderBy('devices.name')
      .orderBy('devices.id')
      .limit(limit)
      .offset(offset)
      .execute()) as DeviceWithType[];
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

  all(f: DeviceFilter) {
    return this.filtered(f, true).orderBy('devices.id').execute() as Promise<DeviceWithType[]>;
  }

  rejects(deviceId: string) {
    return this.db.selectFrom('device_rejects').selectAll().where('device_id', '=', deviceId).orderBy('count', 'desc').execute() as Promise<
      { device_id: string; reason: string; count: number; last_at: string; last_detail: string | null }[]
    >;
  }

  // ----- telemetry reads -----
  latest(deviceId: string) {
    return this.db.selectFrom('telemetry_latest').select(['key', 'ts', 'value']).where('device_id', '=', deviceId).execute() as Promise<
      { key: string; ts: number; value: number }[]
    >;
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
    return rows.map((r) => ({ key: r.key as string, ts: Number(r.ts), min: Number(r.value), max: Number(r.value), sum: Number(r.value), count: 1 }));
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
      key: r.key as string,
      ts: Number(r.bucket),
      min: Number(r.min),
      max: Number(r.max),
      sum: Number(r.sum),
      count: Number(r.count),
    }));
  }
}
