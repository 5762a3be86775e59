// Telemetry writes for the ingest pipeline: one transaction per flush. Raw readings are
// insert-or-ignore on (device_id, key, ts); only the rows that were actually inserted
// (RETURNING, which SQLite ≥ 3.35 and PostgreSQL both answer with the new rows only) feed the
// rollups and the latest values, so a reading delivered N times counts once everywhere.
import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database, Db, Dialect, Tx } from '../../kernel/db/index.js';
import { parseKeys } from './devices.repository.js';

export interface RawReading {
  deviceId: string;
  key: string;
  ts: number;
  value: number;
}

export interface RejectDelta {
  deviceId: string;
  count: number;
  lastError: string;
  at: string;
  byReason: Map<string, { count: number; detail: string }>;
  throttledUntil: string | null;
}

const CHUNK = 500; // rows per multi-row insert (4–6 parameters each, well under both drivers' limits)

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/**
 * On SQLite the flush runs prepared statements on the raw better-sqlite3 handle, inside the
 * Kysely transaction (one connection, so they share it): building a 500-row insert through the
 * query builder costs more than running 500 prepared statements.
 */
class SqliteFast {
  private raw: SQLite.Statement;
  private rollup: Record<string, SQLite.Statement>;
  private latest: SQLite.Statement;
  constructor(h: SQLite.Database) {
    this.raw = h.prepare('insert into telemetry_raw (device_id, key, ts, value) values (?, ?, ?, ?) on conflict do nothing');
    const r = (t: string) =>
      h.prepare(`insert into ${t} (device_id, key, bucket, min, max, sum, count) values (?, ?, ?, ?, ?, ?, ?)
        on conflict (device_id, key, bucket) do update set min = min(${t}.min, excluded.min), max = max(${t}.max, excluded.max),
        sum = ${t}.sum + excluded.sum, count = ${t}.count + excluded.count`);
    this.rollup = { telemetry_1m: r('telemetry_1m'), telemetry_1h: r('telemetry_1h') };
    this.latest = h.prepare(`insert into telemetry_latest (device_id, key, ts, value) values (?, ?, ?, ?)
      on conflict (device_id, key) do update set ts = excluded.ts, value = excluded.value where excluded.ts > telemetry_latest.ts`);
  }
  insertRaw<T extends RawReading>(readings: T[]): T[] {
    const fresh: T[] = [];
    for (const r of readings) if (this.raw.run(r.deviceId, r.key, r.ts, r.value).changes === 1) fresh.push(r);
    return fresh;
  }
  addRollup(table: string, rows: { device_id: string; key: string; bucket: number; min: number; max: number; sum: number; count: number }[]) {
    const st = this.rollup[table];
    for (const a of rows) st.run(a.device_id, a.key, a.bucket, a.min, a.max, a.sum, a.count);
  }
  upsertLatest(rows: { device_id: string; key: string; ts: number; value: number }[]) {
    for (const a of rows) this.latest.run(a.device_id, a.key, a.ts, a.value);
  }
}

type RollupRow = { device_id: string; key: string; bucket: number; min: number; max: number; sum: number; count: number };

/**
 * On PostgreSQL each flush writes each table with ONE statement whose parameters are arrays
 * (`unnest`): a multi-row VALUES list costs a parameter per cell to build, send and parse, and
 * 500 rows per statement meant a dozen round trips per flush.
 */
const pgFast = {
  async insertRaw(t: Tx, readings: RawReading[]): Promise<RawReading[]> {
    const r = await sql<{ device_id: string; key: string; ts: number; value: number }>`
      insert into telemetry_raw (device_id, key, ts, value)
      select * from unnest(${readings.map((x) => x.deviceId)}::text[], ${readings.map((x) => x.key)}::text[], ${readings.map((x) => x.ts)}::bigint[], ${readings.map((x) => x.value)}::float8[])
      on conflict do nothing
      returning device_id, key, ts, value`.execute(t);
    return r.rows.map((x) => ({ deviceId: x.device_id, key: x.key, ts: Number(x.ts), value: Number(x.value) }));
  },
  async addRollup(t: Tx, table: 'telemetry_1m' | 'telemetry_1h', rows: RollupRow[]): Promise<void> {
    const tb = sql.table(table);
    const col = (c: string) => sql.ref(`${table}.${c}`);
    await sql`
      insert into ${tb} (device_id, key, bucket, min, max, sum, count)
      select * from unnest(${rows.map((x) => x.device_id)}::text[], ${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.bucket)}::bigint[],
        ${rows.map((x) => x.min)}::float8[], ${rows.map((x) => x.max)}::float8[], ${rows.map((x) => x.sum)}::float8[], ${rows.map((x) => x.count)}::int[])
      on conflict (device_id, key, bucket) do update set min = least(${col('min')}, excluded.min), max = greatest(${col('max')}, excluded.max),
        sum = ${col('sum')} + excluded.sum, count = ${col('count')} + excluded.count`.execute(t);
  },
  async upsertLatest(t: Tx, rows: { device_id: string; key: string; ts: number; value: number }[]): Promise<void> {
    await sql`
      insert into telemetry_latest (device_id, key, ts, value)
      select * from unnest(${rows.map((x) => x.device_id)}::text[], ${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.ts)}::bigint[], ${rows.map((x) => x.value)}::float8[])
      on conflict (device_id, key) do update set ts = excluded.ts, value = excluded.value where excluded.ts > telemetry_latest.ts`.execute(t);
  },
};

export class TelemetryRepository {
  private fast: SqliteFast | null = null;
  private readonly pg: boolean;
  constructor(private db: Db, private dialect: Dialect, database?: Database) {
    if (dialect === 'sqlite' && database?.sqlite) this.fast = new SqliteFast(database.sqlite);
    this.pg = dialect === 'postgres';
  }

  transaction<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** Insert readings, ignoring ones already stored; returns the ones that were new (the same objects). */
  async insertRaw<T extends RawReading>(t: Tx, readings: T[]): Promise<T[]> {
    if (this.fast) return this.fast.insertRaw(readings);
    const given = new Map(readings.map((r) => [`${r.deviceId}\u0000${r.key}\u0000${r.ts}`, r]));
    const same = (rows: RawReading[]) => rows.map((r) => given.get(`${r.deviceId}\u0000${r.key}\u0000${r.ts}`)!);
    if (this.pg) return readings.length ? same(await pgFast.insertRaw(t, readings)) : [];
    const fresh: RawReading[] = [];
    for (let i = 0; i < readings.length; i += CHUNK) {
      const part = readings.slice(i, i + CHUNK);
      const rows = await t
        .insertInto('telemetry_raw')
        .values(part.map((r) => ({ device_id: r.deviceId, key: r.key, ts: r.ts, value: r.value })))
        .onConflict((oc) => oc.columns(['device_id', 'key', 'ts']).doNothing())
        .returning(['device_id', 'key', 'ts', 'value'])
        .execute();
      for (const r of rows) fresh.push({ deviceId: r.device_id, key: r.key, ts: Number(r.ts), value: Number(r.value) });
    }
    return same(fresh);
  }

  /** Add new readings to a rollup table (bucket = start of the minute/hour in ms). */
  async addRollup(t: Tx, table: 'telemetry_1m' | 'telemetry_1h', size: number, fresh: RawReading[]): Promise<void> {
    const agg = new Map<string, { device_id: string; key: string; bucket: number; min: number; max: number; sum: number; count: number }>();
    for (const r of fresh) {
      const bucket = Math.floor(r.ts / size) * size;
      const id = `${r.deviceId}\u0000${r.key}\u0000${bucket}`;
      const a = agg.get(id);
      if (!a) agg.set(id, { device_id: r.deviceId, key: r.key, bucket, min: r.value, max: r.value, sum: r.value, count: 1 });
      else {
        if (r.value < a.min) a.min = r.value;
        if (r.value > a.max) a.max = r.value;
        a.sum += r.value;
        a.count++;
      }
    }
    const rows = [...agg.values()];
    if (this.fast) return this.fast.addRollup(table, rows);
    if (this.pg) return rows.length ? pgFast.addRollup(t, table, rows) : undefined;
    const least = this.dialect === 'postgres' ? 'least' : 'min';
    const greatest = this.dialect === 'postgres' ? 'greatest' : 'max';
    for (let i = 0; i < rows.length; i += CHUNK) {
      await t
        .insertInto(table)
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(['device_id', 'key', 'bucket']).doUpdateSet({
            min: sql`${sql.raw(least)}(${sql.ref(`${table}.min`)}, excluded.min)`,
            max: sql`${sql.raw(greatest)}(${sql.ref(`${table}.max`)}, excluded.max)`,
            sum: sql`${sql.ref(`${table}.sum`)} + excluded.sum`,
            count: sql`${sql.ref(`${table}.count`)} + excluded.count`,
          }),
        )
        .execute();
    }
  }

  /** Keep the newest value per (device, key). */
  async upsertLatest(t: Tx, fresh: RawReading[]): Promise<void> {
    const newest = new Map<string, RawReading>();
    for (const r of fresh) {
      const id = `${r.deviceId}\u0000${r.key}`;
      const cur = newest.get(id);
      if (!cur || r.ts > cur.ts) newest.set(id, r);
    }
    const rows = [...newest.values()].map((r) => ({ device_id: r.deviceId, key: r.key, ts: r.ts, value: r.value }));
    if (this.fast) return this.fast.upsertLatest(rows);
    if (this.pg) return rows.length ? pgFast.upsertLatest(t, rows) : undefined;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await t
        .insertInto('telemetry_latest')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc
            .columns(['device_id', 'key'])
            .doUpdateSet({ ts: sql`excluded.ts`, value: sql`excluded.value` })
            .where(sql.ref('excluded.ts'), '>', sql.ref('telemetry_latest.ts')),
        )
        .execute();
    }
  }

  /** Mark devices seen; returns the ids that were offline and are now online. */
  async markSeen(t: Tx, ids: string[], at: string): Promise<string[]> {
    if (!ids.length) return [];
    const flipped: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = await t.updateTable('devices').set({ status: 'online' }).where('id', 'in', part).where('status', '!=', 'online').returning('id').execute();
      for (const r of rows) flipped.push(r.id);
      await t.updateTable('devices').set({ last_seen_at: at }).where('id', 'in', part).execute();
    }
    return flipped;
  }

  /** A device reported itself offline (status topic, last will). Returns true when it changed. */
  async markOffline(t: Tx | Db, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await t.updateTable('devices').set({ status: 'offline' }).where('id', 'in', ids).where('status', '=', 'online').returning('id').execute();
    return rows.map((r) => r.id as string);
  }

  async addRejects(t: Tx, deltas: RejectDelta[]): Promise<void> {
    for (const d of deltas) {
      const patch: Record<string, unknown> = {
        rejected_count: sql`rejected_count + ${d.count}`,
        last_error: d.lastError.slice(0, 300),
        last_error_at: d.at,
      };
      if (d.throttledUntil) patch.throttled_until = d.throttledUntil;
      await t.updateTable('devices').set(patch).where('id', '=', d.deviceId).execute();
      for (const [reason, v] of d.byReason) {
        await t
          .insertInto('device_rejects')
          .values({ device_id: d.deviceId, reason, count: v.count, last_at: d.at, last_detail: v.detail.slice(0, 300) })
          .onConflict((oc) =>
            oc.columns(['device_id', 'reason']).doUpdateSet({
              count: sql`device_rejects.count + excluded.count`,
              last_at: sql`excluded.last_at`,
              last_detail: sql`excluded.last_detail`,
            }),
          )
          .execute();
      }
    }
  }

  /** Online devices whose last message is older than their type's heartbeat window. */
  async staleOnline(nowMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('devices')
      .innerJoin('device_types', 'device_types.id', 'devices.type_id')
      .select(['devices.id', 'devices.last_seen_at', 'device_types.heartbeat_s'])
      .where('devices.status', '=', 'online')
      .execute();
    return rows
      .filter((r) => !r.last_seen_at || Date.parse(r.last_seen_at) < nowMs - Number(r.heartbeat_s) * 1000)
      .map((r) => r.id as string);
  }

  /** The newest raw reading of a key at or before `atMs`. */
  async valueAt(deviceId: string, key: string, atMs: number): Promise<{ ts: number; value: number } | null> {
    const r = await this.db.selectFrom('telemetry_raw').select(['ts', 'value']).where('device_id', '=', deviceId).where('key', '=', key).where('ts', '<=', atMs).orderBy('ts', 'desc').limit(1).executeTakeFirst();
    return r ? { ts: Number(r.ts), value: Number(r.value) } : null;
  }

  /**
   * Retention: raw readings before `rawBefore`, minute rollups before `minuteBefore`. Deleted per
   * (device, key) range of the tables' primary keys (there is no index by time: migration 0015),
   * for every pair that has a latest value (every stored reading updates it) and every key in
   * the profile of every device, a few hundred pairs per statement.
   */
  async purge(rawBefore: number, minuteBefore: number): Promise<{ raw: number; minute: number }> {
    const byId = new Map<string, { device_id: string; key: string }>();
    for (const p of await this.db.selectFrom('telemetry_latest').select(['device_id', 'key']).execute()) byId.set(`${p.device_id}\u0000${p.key}`, p);
    const devices = await this.db.selectFrom('devices').innerJoin('device_types', 'device_types.id', 'devices.type_id').select(['devices.id', 'device_types.telemetry']).execute();
    for (const d of devices) for (const k of parseKeys(d.telemetry)) byId.set(`${d.id}\u0000${k.key}`, { device_id: d.id, key: k.key });
    const pairs = [...byId.values()];
    let raw = 0;
    let minute = 0;
    for (let i = 0; i < pairs.length; i += 200) {
      const part = pairs.slice(i, i + 200);
      const inPairs = (eb: any) => eb.or(part.map((p) => eb.and([eb('device_id', '=', p.device_id), eb('key', '=', p.key)])));
      const a = await this.db.deleteFrom('telemetry_raw').where(inPairs).where('ts', '<', rawBefore).executeTakeFirst();
      const b = await this.db.deleteFrom('telemetry_1m').where(inPairs).where('bucket', '<', minuteBefore).executeTakeFirst();
      raw += Number(a.numDeletedRows ?? 0n);
      minute += Number(b.numDeletedRows ?? 0n);
    }
    return { raw, minute };
  }

  /** Devices (with type code and profile) for the pipeline's cache. */
  deviceForCache(id: string) {
    return this.db
      .selectFrom('devices')
      .innerJoin('device_types', 'device_types.id', 'devices.type_id')
      .select(['devices.id', 'devices.secret_hash', 'devices.community_id', 'devices.place_path', 'devices.status', 'device_types.code as type_code', 'device_types.telemetry'])
      .where('devices.id', '=', id)
      .executeTakeFirst();
  }
}
