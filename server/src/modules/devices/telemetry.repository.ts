// Telemetry writes for the ingest pipeline: one transaction per flush. Raw readings are
// insert-or-ignore on (device_id, key, ts); only the rows that were actually inserted feed the
// rollups and the latest values, so a reading delivered N times counts once everywhere. On SQLite
// the flush runs on a writer thread (telemetry.sqlite.ts); on PostgreSQL through Kysely, one
// statement per table.
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Database, Db, Dialect } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { parseKeys } from './devices.repository.js';
import type { DevicesDb, DevicesTables, DevicesTx } from './devices.tables.js';
import { mainThreadWriter, ThreadWriter, type MoveResult, type TelemetryWriter } from './telemetry.sqlite.js';

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

const CHUNK = 500; // ids per statement when marking devices seen (well under both drivers' parameter limits)

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** A row of telemetry_1m / telemetry_1h. */
type RollupRow = Selectable<DevicesTables['telemetry_1m']>;

/**
 * On PostgreSQL each flush writes each table with ONE statement whose parameters are arrays
 * (`unnest`): a multi-row VALUES list costs a parameter per cell to build, send and parse, and
 * 500 rows per statement meant a dozen round trips per flush.
 */
const pgFast = {
  async insertRaw(t: DevicesTx, readings: RawReading[]): Promise<RawReading[]> {
    const r = await sql<{ device_id: string; key: string; ts: number; value: number }>`
      insert into telemetry_raw (device_id, key, ts, value)
      select * from unnest(${readings.map((x) => x.deviceId)}::text[], ${readings.map((x) => x.key)}::text[], ${readings.map((x) => x.ts)}::bigint[], ${readings.map((x) => x.value)}::float8[])
      on conflict do nothing
      returning device_id, key, ts, value`.execute(t);
    return r.rows.map((x) => ({ deviceId: x.device_id, key: x.key, ts: Number(x.ts), value: Number(x.value) }));
  },
  async addRollup(t: DevicesTx, table: 'telemetry_1m' | 'telemetry_1h', rows: RollupRow[]): Promise<void> {
    const tb = sql.table(table);
    const col = (c: string) => sql.ref(`${table}.${c}`);
    await sql`
      insert into ${tb} (device_id, key, bucket, min, max, sum, count)
      select * from unnest(${rows.map((x) => x.device_id)}::text[], ${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.bucket)}::bigint[],
        ${rows.map((x) => x.min)}::float8[], ${rows.map((x) => x.max)}::float8[], ${rows.map((x) => x.sum)}::float8[], ${rows.map((x) => x.count)}::int[])
      on conflict (device_id, key, bucket) do update set min = least(${col('min')}, excluded.min), max = greatest(${col('max')}, excluded.max),
        sum = ${col('sum')} + excluded.sum, count = ${col('count')} + excluded.count`.execute(t);
  },
  async upsertLatest(t: DevicesTx, rows: { device_id: string; key: string; ts: number; value: number }[]): Promise<void> {
    await sql`
      insert into telemetry_latest (device_id, key, ts, value)
      select * from unnest(${rows.map((x) => x.device_id)}::text[], ${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.ts)}::bigint[], ${rows.map((x) => x.value)}::float8[])
      on conflict (device_id, key) do update set ts = excluded.ts, value = excluded.value where excluded.ts > telemetry_latest.ts`.execute(t);
  },
};

export interface FlushInput<T extends RawReading> {
  readings: T[];
  /** Devices that sent something valid: mark seen at `at`, online if they were not. */
  seen: string[];
  at: string;
  offline: string[];
  rejects: RejectDelta[];
}

export interface FlushOutput<T> {
  /** The readings that were new (the same objects), in the order given. */
  fresh: T[];
  online: string[];
  wentOffline: string[];
}

export class TelemetryRepository {
  /** SQLite: the writer thread (telemetry.sqlite.ts); PostgreSQL writes through Kysely. */
  private writer: TelemetryWriter | null = null;
  private db: DevicesDb;
  constructor(
    db: Db,
    private dialect: Dialect,
    database?: Database,
  ) {
    this.db = tablesOf<DevicesTables>(db);
    if (dialect === 'sqlite' && database?.sqlite) {
      this.writer =
        database.file && database.file !== ':memory:' ? new ThreadWriter(database.file, database.turns!, database.sqlite) : mainThreadWriter(database.sqlite);
    }
  }

  /** One flush in one transaction: raw readings (insert-or-ignore), rollups and latest values of the new ones, device status, rejections. */
  async flush<T extends RawReading>(x: FlushInput<T>): Promise<FlushOutput<T>> {
    if (this.writer) {
      const n = x.readings.length;
      const ts = new Float64Array(n);
      const values = new Float64Array(n);
      const ids = new Array<string>(n);
      const keys = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const r = x.readings[i]!;
        ids[i] = r.deviceId;
        keys[i] = r.key;
        ts[i] = r.ts;
        values[i] = r.value;
      }
      const rejects = x.rejects.map((d) => ({
        deviceId: d.deviceId,
        count: d.count,
        lastError: d.lastError,
        at: d.at,
        throttledUntil: d.throttledUntil,
        reasons: [...d.byReason].map(([k, v]): [string, number, string] => [k, v.count, v.detail]),
      }));
      const r = await this.writer.write({ ids, keys, ts, values, seen: x.seen, at: x.at, offline: x.offline, rejects });
      return { fresh: x.readings.filter((_, i) => r.fresh[i] === 1), online: r.online, wentOffline: r.wentOffline };
    }
    if (this.dialect !== 'postgres') throw new Error('telemetry: a SQLite database without its handle');
    return this.db.transaction().execute(async (t) => {
      const fresh = x.readings.length ? await this.insertRawPg(t, x.readings) : [];
      if (fresh.length) {
        await this.addRollupPg(t, 'telemetry_1m', MINUTE, fresh);
        await this.addRollupPg(t, 'telemetry_1h', HOUR, fresh);
        await this.upsertLatestPg(t, fresh);
      }
      const online = await this.markSeen(t, x.seen, x.at);
      const wentOffline = await this.markOffline(t, x.offline);
      await this.addRejects(t, x.rejects);
      return { fresh, online, wentOffline };
    });
  }

  /**
   * SQLite: one step of moving raw readings from the time table to the series table (migration
   * 0016), at most `rows` readings per move and `step` per transaction. PostgreSQL has one table: done at once.
   */
  moveStep(rows: number, step: number): Promise<MoveResult> {
    return this.writer ? this.writer.move({ move: { rows, step } }) : Promise.resolve({ done: true, moved: 0 });
  }

  /** Stop the writer thread (after the last flush). */
  close(): Promise<void> {
    return this.writer?.close() ?? Promise.resolve();
  }

  private async insertRawPg<T extends RawReading>(t: DevicesTx, readings: T[]): Promise<T[]> {
    const given = new Map(readings.map((r) => [`${r.deviceId}\u0000${r.key}\u0000${r.ts}`, r]));
    return (await pgFast.insertRaw(t, readings)).map((r) => given.get(`${r.deviceId}\u0000${r.key}\u0000${r.ts}`)!);
  }

  /** Add new readings to a rollup table (bucket = start of the minute/hour in ms). */
  private async addRollupPg(t: DevicesTx, table: 'telemetry_1m' | 'telemetry_1h', size: number, fresh: RawReading[]): Promise<void> {
    const agg = new Map<string, RollupRow>();
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
    await pgFast.addRollup(t, table, [...agg.values()]);
  }

  /** Keep the newest value per (device, key). */
  private async upsertLatestPg(t: DevicesTx, fresh: RawReading[]): Promise<void> {
    const newest = new Map<string, RawReading>();
    for (const r of fresh) {
      const id = `${r.deviceId}\u0000${r.key}`;
      const cur = newest.get(id);
      if (!cur || r.ts > cur.ts) newest.set(id, r);
    }
    await pgFast.upsertLatest(
      t,
      [...newest.values()].map((r) => ({ device_id: r.deviceId, key: r.key, ts: r.ts, value: r.value })),
    );
  }

  /** Mark devices seen; returns the ids that were offline and are now online. */
  async markSeen(t: DevicesTx, ids: string[], at: string): Promise<string[]> {
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
  async markOffline(t: DevicesTx | DevicesDb, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await t.updateTable('devices').set({ status: 'offline' }).where('id', 'in', ids).where('status', '=', 'online').returning('id').execute();
    return rows.map((r) => r.id);
  }

  /** Online devices whose heartbeat window passed: mark them offline; returns those that changed. */
  async markStaleOffline(nowMs: number): Promise<string[]> {
    return this.markOffline(this.db, await this.staleOnline(nowMs));
  }

  async addRejects(t: DevicesTx, deltas: RejectDelta[]): Promise<void> {
    for (const d of deltas) {
      await t
        .updateTable('devices')
        .set({
          rejected_count: sql<number>`rejected_count + ${d.count}`,
          last_error: d.lastError.slice(0, 300),
          last_error_at: d.at,
          ...(d.throttledUntil ? { throttled_until: d.throttledUntil } : {}),
        })
        .where('id', '=', d.deviceId)
        .execute();
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
    return rows.filter((r) => !r.last_seen_at || Date.parse(r.last_seen_at) < nowMs - Number(r.heartbeat_s) * 1000).map((r) => r.id);
  }

  /** The newest raw reading of a key at or before `atMs`. */
  async valueAt(deviceId: string, key: string, atMs: number): Promise<{ ts: number; value: number } | null> {
    const r = await this.db
      .selectFrom('telemetry_raw')
      .select(['ts', 'value'])
      .where('device_id', '=', deviceId)
      .where('key', '=', key)
      .where('ts', '<=', atMs)
      .orderBy('ts', 'desc')
      .limit(1)
      .executeTakeFirst();
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
    const devices = await this.db
      .selectFrom('devices')
      .innerJoin('device_types', 'device_types.id', 'devices.type_id')
      .select(['devices.id', 'device_types.telemetry'])
      .execute();
    for (const d of devices) for (const k of parseKeys(d.telemetry)) byId.set(`${d.id}\u0000${k.key}`, { device_id: d.id, key: k.key });
    const pairs = [...byId.values()];
    let raw = 0;
    let minute = 0;
    // on SQLite telemetry_raw is a view of two tables (migration 0016); the time table by time. (A
    // row purged while a move holds it in its plan is copied anyway and goes at the next purge.)
    const rawTable = this.dialect === 'sqlite' ? 'telemetry_raw_by_series' : 'telemetry_raw';
    if (this.dialect === 'sqlite')
      raw += Number((await this.db.deleteFrom('telemetry_raw_recent').where('ts', '<', rawBefore).executeTakeFirst()).numDeletedRows ?? 0n);
    for (let i = 0; i < pairs.length; i += 200) {
      const part = pairs.slice(i, i + 200);
      const inPairs = (eb: ExpressionBuilder<DevicesTables, typeof rawTable | 'telemetry_1m'>) =>
        eb.or(part.map((p) => eb.and([eb('device_id', '=', p.device_id), eb('key', '=', p.key)])));
      const a = await this.db.deleteFrom(rawTable).where(inPairs).where('ts', '<', rawBefore).executeTakeFirst();
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
      .select([
        'devices.id',
        'devices.secret_hash',
        'devices.community_id',
        'devices.place_path',
        'devices.status',
        'device_types.code as type_code',
        'device_types.telemetry',
      ])
      .where('devices.id', '=', id)
      .executeTakeFirst();
  }
}
