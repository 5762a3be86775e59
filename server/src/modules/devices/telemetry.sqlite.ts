// The ingest pipeline's writes on SQLite, on a worker thread with a connection of its own.
// better-sqlite3 runs statements synchronously: a flush of 2,000 readings is ~8,000 statements,
// and at half the maximum load these took ~40 % of the main thread, which then answered MQTT
// sockets and evaluated alarm rules late (docs/performance.md, alarm latency). On the worker the
// same transaction (raw readings insert-or-ignore into the time table, both rollups and the latest
// values from the rows that were new, device status and rejections) runs beside the event loop,
// and so do the steps that move raw readings to the series table (migration 0016); SQLite's WAL
// lets the main connection read meanwhile, and its writers take turns with this one at the write
// lock without blocking the event loop (kernel/db/sqlite-turns.ts).
// An in-memory database has no second connection: the same code runs on the main thread.
// The thread itself (start, restart after death, close) is kernel/db/sqlite-thread.ts.
import type SQLite from 'better-sqlite3';
import type { WriteTurns } from '../../kernel/db/index.js';
import { SqliteThread, writerOnThisThread } from '../../kernel/db/sqlite-thread.js';

/** One flush: readings as parallel columns (cheap to copy to the worker), plus device status and rejections. */
export interface WriteBatch {
  ids: string[];
  keys: string[];
  ts: Float64Array;
  values: Float64Array;
  /** Devices to mark seen at `at` (and online). */
  seen: string[];
  at: string;
  offline: string[];
  rejects: { deviceId: string; count: number; lastError: string; at: string; throttledUntil: string | null; reasons: [string, number, string][] }[];
}

export interface WriteResult {
  /** fresh[i] = 1 when reading i was new (a reading delivered twice is stored and counted once). */
  fresh: Uint8Array;
  /** Devices that were offline and are now online; devices that went offline. */
  online: string[];
  wentOffline: string[];
}

// Plain JavaScript, so that the worker (eval'd) and the main thread run the same code.
// (The fresh flags are copied back to the main thread with the result: a byte per reading.)
const WRITER_JS = String.raw`
function makeWriter(db) {
  const MINUTE = 60000, HOUR = 3600000;
  // Raw readings are appended to telemetry_raw_recent (time order) and moved to the series table
  // in batches (migration 0016). A reading newer than everything moved cannot be there already.
  const raw = db.prepare('insert into telemetry_raw_recent (device_id, key, ts, value) values (?, ?, ?, ?) on conflict do nothing');
  const rawChecked = db.prepare('insert into telemetry_raw_recent (device_id, key, ts, value) select ?, ?, ?, ? ' +
    'where not exists (select 1 from telemetry_raw_by_series where device_id = ? and key = ? and ts = ?) on conflict do nothing');
  const movedMax = db.prepare('select max_ts from telemetry_raw_moved where id = 1').pluck();
  const rollupSql = (t) => 'insert into ' + t + ' (device_id, key, bucket, min, max, sum, count) values (?, ?, ?, ?, ?, ?, ?) ' +
    'on conflict (device_id, key, bucket) do update set min = min(' + t + '.min, excluded.min), max = max(' + t + '.max, excluded.max), ' +
    'sum = ' + t + '.sum + excluded.sum, count = ' + t + '.count + excluded.count';
  const rollup1m = db.prepare(rollupSql('telemetry_1m'));
  const rollup1h = db.prepare(rollupSql('telemetry_1h'));
  const latest = db.prepare('insert into telemetry_latest (device_id, key, ts, value) values (?, ?, ?, ?) ' +
    'on conflict (device_id, key) do update set ts = excluded.ts, value = excluded.value where excluded.ts > telemetry_latest.ts');
  const flip = db.prepare("update devices set status = 'online' where id = ? and status != 'online'");
  const seenAt = db.prepare('update devices set last_seen_at = ? where id = ?');
  const off = db.prepare("update devices set status = 'offline' where id = ? and status = 'online'");
  const reject = db.prepare('update devices set rejected_count = rejected_count + ?, last_error = ?, last_error_at = ?, throttled_until = coalesce(?, throttled_until) where id = ?');
  const reason = db.prepare('insert into device_rejects (device_id, reason, count, last_at, last_detail) values (?, ?, ?, ?, ?) ' +
    'on conflict (device_id, reason) do update set count = device_rejects.count + excluded.count, last_at = excluded.last_at, last_detail = excluded.last_detail');

  function addRollup(st, size, b, fresh) {
    const agg = new Map();
    for (let i = 0; i < fresh.length; i++) {
      if (!fresh[i]) continue;
      const bucket = Math.floor(b.ts[i] / size) * size;
      const id = b.ids[i] + '\u0000' + b.keys[i] + '\u0000' + bucket;
      const v = b.values[i];
      const a = agg.get(id);
      if (!a) agg.set(id, [b.ids[i], b.keys[i], bucket, v, v, v, 1]);
      else {
        if (v < a[3]) a[3] = v;
        if (v > a[4]) a[4] = v;
        a[5] += v;
        a[6]++;
      }
    }
    for (const a of agg.values()) st.run(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  }

  const write = db.transaction((b) => {
    const n = b.ts.length;
    const fresh = new Uint8Array(n);
    let any = false;
    const moved = n ? (movedMax.get() ?? Infinity) : Infinity;
    for (let i = 0; i < n; i++) {
      const id = b.ids[i], key = b.keys[i], ts = b.ts[i];
      const r = ts > moved ? raw.run(id, key, ts, b.values[i]) : rawChecked.run(id, key, ts, b.values[i], id, key, ts);
      if (r.changes === 1) fresh[i] = any = 1;
    }
    if (any) {
      addRollup(rollup1m, MINUTE, b, fresh);
      addRollup(rollup1h, HOUR, b, fresh);
      const newest = new Map();
      for (let i = 0; i < n; i++) {
        if (!fresh[i]) continue;
        const id = b.ids[i] + '\u0000' + b.keys[i];
        const j = newest.get(id);
        if (j === undefined || b.ts[i] > b.ts[j]) newest.set(id, i);
      }
      for (const i of newest.values()) latest.run(b.ids[i], b.keys[i], b.ts[i], b.values[i]);
    }
    const online = [];
    for (const id of b.seen) {
      if (flip.run(id).changes === 1) online.push(id);
      seenAt.run(b.at, id);
    }
    const wentOffline = [];
    for (const id of b.offline) if (off.run(id).changes === 1) wentOffline.push(id);
    for (const r of b.rejects) {
      reject.run(r.count, r.lastError.slice(0, 300), r.at, r.throttledUntil, r.deviceId);
      for (const [why, count, detail] of r.reasons) reason.run(r.deviceId, why, count, r.at, detail.slice(0, 300));
    }
    return { fresh, online, wentOffline };
  }).immediate;

  // ----- moving raw readings from the time table to the series table, a bounded step per call -----
  const page = db.prepare('select device_id, key, ts, value from telemetry_raw_recent order by ts, device_id, key limit ?').raw();
  const pageAfter = db.prepare('select device_id, key, ts, value from telemetry_raw_recent where (ts, device_id, key) > (?, ?, ?) order by ts, device_id, key limit ?').raw();
  const toSeries = db.prepare('insert into telemetry_raw_by_series (device_id, key, ts, value) values (?, ?, ?, ?) on conflict do nothing');
  const raiseMoved = db.prepare('update telemetry_raw_moved set max_ts = max(max_ts, ?) where id = 1');
  const fromRecent = db.prepare('delete from telemetry_raw_recent where ts = ? and device_id = ? and key = ?');
  let plan = null;
  const insertRows = db.transaction((p, upTo) => {
    if (p.next === 0) raiseMoved.run(p.maxTs);
    for (; p.next < upTo; p.next++) {
      const r = p.rows[p.order[p.next]];
      toSeries.run(r[0], r[1], r[2], r[3]);
    }
  }).immediate;
  const deleteRows = db.transaction((p, upTo) => {
    for (; p.gone < upTo; p.gone++) {
      const r = p.rows[p.gone];
      fromRecent.run(r[2], r[0], r[1]);
    }
  }).immediate;

  // One step: read a page of the oldest readings, or copy a part of them to the series table in
  // series order, or delete a part of the copied ones from the time table. Returns done when the
  // move is complete. Safe to stop anywhere: copies are idempotent and only copied rows are deleted.
  function move(o) {
    if (!plan) plan = { rows: [], order: null, maxTs: -Infinity, next: 0, gone: 0, read: false };
    const p = plan;
    if (!p.read) {
      const last = p.rows[p.rows.length - 1];
      const want = Math.min(o.step, o.rows - p.rows.length);
      const got = last ? pageAfter.all(last[2], last[0], last[1], want) : page.all(want);
      for (const r of got) p.rows.push(r);
      if (got.length < want || p.rows.length >= o.rows) {
        p.read = true;
        if (!p.rows.length) {
          plan = null;
          return { done: true, moved: 0 };
        }
        p.maxTs = p.rows[p.rows.length - 1][2];
        // series order: the rows of a series were read in time order
        const bySeries = new Map();
        for (let i = 0; i < p.rows.length; i++) {
          const s = p.rows[i][0] + '\u0000' + p.rows[i][1];
          const l = bySeries.get(s);
          if (l) l.push(i);
          else bySeries.set(s, [i]);
        }
        p.order = [];
        for (const s of [...bySeries.keys()].sort()) for (const i of bySeries.get(s)) p.order.push(i);
      }
      return { done: false, moved: 0 };
    }
    if (p.next < p.rows.length) {
      insertRows(p, Math.min(p.rows.length, p.next + o.step));
      return { done: false, moved: 0 };
    }
    deleteRows(p, Math.min(p.rows.length, p.gone + o.step));
    if (p.gone < p.rows.length) return { done: false, moved: 0 };
    plan = null;
    return { done: true, moved: p.rows.length };
  }

  return (arg) => (arg.move ? move(arg.move) : write(arg));
}
`;

/** A step of moving raw readings to the series table: at most `rows` readings in all, `step` per call. */
export interface MoveStep {
  move: { rows: number; step: number };
}
export interface MoveResult {
  done: boolean;
  /** Readings moved, when done. */
  moved: number;
}

export interface TelemetryWriter {
  write(b: WriteBatch): Promise<WriteResult>;
  move(m: MoveStep): Promise<MoveResult>;
  close(): Promise<void>;
}

type Writer = (arg: WriteBatch | MoveStep) => WriteResult | MoveResult;

/** The same writer on the main connection (an in-memory database). */
export function mainThreadWriter(db: SQLite.Database): TelemetryWriter {
  const run = writerOnThisThread<WriteBatch | MoveStep, WriteResult | MoveResult>(WRITER_JS, db);
  return { write: async (b) => run(b) as WriteResult, move: async (m) => run(m) as MoveResult, close: async () => {} };
}

/** Below this many readings a flush runs on the main connection: the hop to the thread would cost more. */
export const SMALL_FLUSH = 100;

/** The writer on a worker thread for a database file (kernel/db/sqlite-thread.ts). */
export class ThreadWriter implements TelemetryWriter {
  readonly thread: SqliteThread<WriteBatch | MoveStep, WriteResult | MoveResult>;
  private small: Writer | null = null;

  /** `main`: the main connection, for small flushes (device status only, a few readings). */
  constructor(
    file: string,
    private readonly turns: WriteTurns,
    private readonly main?: SQLite.Database,
  ) {
    this.thread = new SqliteThread(file, WRITER_JS, 'telemetry writer');
  }

  /** Write a batch on the worker, in this process's turn at the write lock (kernel/db/sqlite-turns.ts). */
  async write(batch: WriteBatch): Promise<WriteResult> {
    const give = await this.turns.take();
    try {
      // in the turn, no Kysely transaction is open on the main connection
      if (this.main && batch.ts.length < SMALL_FLUSH) return (this.small ??= writerOnThisThread(WRITER_JS, this.main))(batch) as WriteResult;
      return (await this.thread.post(batch)) as WriteResult;
    } finally {
      give();
    }
  }

  /** A step of a move, on the worker (where its plan is kept), in this process's turn. */
  async move(m: MoveStep): Promise<MoveResult> {
    const give = await this.turns.take();
    try {
      return (await this.thread.post(m)) as MoveResult;
    } finally {
      give();
    }
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
