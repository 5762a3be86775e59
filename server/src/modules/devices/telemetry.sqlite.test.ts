// The SQLite telemetry writer thread on its own: what a flush stores and reports back, that it
// takes turns with main-connection transactions, and that a dead worker is replaced at the next
// write, and the moves of raw readings to the series table. (The ingest tests run the whole
// pipeline through it on every SQLite test database.)
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../../kernel/db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { SMALL_FLUSH, ThreadWriter, type WriteBatch } from './telemetry.sqlite.js';
import { TelemetryRepository } from './telemetry.repository.js';
import { untyped } from '../../kernel/db/index.js';
import { eventually } from '../../test/wait.js';

let t: TestDatabase | null = null;
let w: ThreadWriter | null = null;
afterEach(async () => {
  await w?.close();
  await t?.drop();
  w = null;
  t = null;
});

const batch = (rows: [string, string, number, number][]): WriteBatch => ({
  ids: rows.map((r) => r[0]),
  keys: rows.map((r) => r[1]),
  ts: Float64Array.from(rows.map((r) => r[2])),
  values: Float64Array.from(rows.map((r) => r[3])),
  seen: [],
  at: new Date(0).toISOString(),
  offline: [],
  rejects: [],
});

async function setup() {
  t = await createTestDatabase('sqlite');
  await migrate(t.database, migrations);
  w = new ThreadWriter(t.database.file!, t.database.turns!);
  return t.database;
}

it('stores new readings once, rolls up and keeps the latest of the new ones, and says which were new', async () => {
  const d = await setup();
  const r1 = await w!.write(
    batch([
      ['dev_a', 'p', 60_000, 1],
      ['dev_a', 'p', 61_000, 3],
      ['dev_a', 'p', 60_000, 1],
    ]),
  );
  expect([...r1.fresh]).toEqual([1, 1, 0]);
  const r2 = await w!.write(
    batch([
      ['dev_a', 'p', 61_000, 3],
      ['dev_a', 'p', 125_000, 5],
    ]),
  );
  expect([...r2.fresh]).toEqual([0, 1]);
  expect(await d.db.selectFrom('telemetry_raw').select(['ts', 'value']).orderBy('ts').execute()).toEqual([
    { ts: 60_000, value: 1 },
    { ts: 61_000, value: 3 },
    { ts: 125_000, value: 5 },
  ]);
  expect(await d.db.selectFrom('telemetry_1m').select(['bucket', 'min', 'max', 'sum', 'count']).orderBy('bucket').execute()).toEqual([
    { bucket: 60_000, min: 1, max: 3, sum: 4, count: 2 },
    { bucket: 120_000, min: 5, max: 5, sum: 5, count: 1 },
  ]);
  expect(await d.db.selectFrom('telemetry_1h').select(['bucket', 'count', 'sum']).execute()).toEqual([{ bucket: 0, count: 3, sum: 9 }]);
  expect(await d.db.selectFrom('telemetry_latest').select(['ts', 'value']).execute()).toEqual([{ ts: 125_000, value: 5 }]);
});

it('waits while a main-connection transaction has the turn, then writes', async () => {
  const d = await setup();
  await w!.write(batch([['dev_a', 'p', 1, 1]])); // the worker is up
  let written = false;
  await d.db.transaction().execute(async (trx) => {
    await trx.insertInto('telemetry_latest').values({ device_id: 'dev_b', key: 'p', ts: 1, value: 9 }).execute();
    void w!.write(batch([['dev_a', 'p', 2, 2]])).then(() => (written = true));
    // the write was queued behind this transaction's turn: a statement of the transaction runs, the write still waits
    expect((await trx.selectFrom('telemetry_raw').select('ts').execute()).map((r) => r.ts)).toEqual([1]);
    expect(written).toBe(false);
  });
  await eventually(() => written);
  expect((await d.db.selectFrom('telemetry_raw').select('ts').orderBy('ts').execute()).map((r) => r.ts)).toEqual([1, 2]);
});

it('a worker that died is replaced at the next write; the write it had is refused, not lost silently', async () => {
  const d = await setup();
  await w!.write(batch([['dev_a', 'p', 1, 1]]));
  const worker = w!.thread.worker!;
  const pending = w!.write(batch([['dev_a', 'p', 2, 2]]));
  await worker.terminate();
  // the batch in flight either made it before the worker ended or is refused (the pipeline retries it)
  const outcome = await pending.then(
    () => 'stored',
    () => 'refused',
  );
  const r = await w!.write(
    batch([
      ['dev_a', 'p', 2, 2],
      ['dev_a', 'p', 3, 3],
    ]),
  );
  expect([...r.fresh]).toEqual(outcome === 'stored' ? [0, 1] : [1, 1]);
  expect((await d.db.selectFrom('telemetry_raw').select('ts').orderBy('ts').execute()).map((x) => x.ts)).toEqual([1, 2, 3]);
});

it('small flushes run on the main connection, large ones on the thread, with the same results', async () => {
  const d = await setup();
  await w!.close();
  w = new ThreadWriter(d.file!, d.turns!, d.sqlite!);
  const small = await w.write(
    batch([
      ['dev_a', 'p', 1, 1],
      ['dev_a', 'p', 1, 1],
    ]),
  );
  expect(w.thread.worker).toBeNull(); // no thread was needed
  const rows: [string, string, number, number][] = Array.from({ length: SMALL_FLUSH + 1 }, (_, i) => ['dev_b', 'q', i, i]);
  const large = await w.write(batch([...rows, ['dev_a', 'p', 1, 1]]));
  expect(w.thread.worker).not.toBeNull();
  expect([...small.fresh]).toEqual([1, 0]);
  expect(large.fresh.reduce((a, b) => a + b, 0)).toBe(SMALL_FLUSH + 1);
  expect(large.fresh[SMALL_FLUSH + 1]).toBe(0);
  expect(await d.db.selectFrom('telemetry_1h').select(['device_id', 'count']).orderBy('device_id').execute()).toEqual([
    { device_id: 'dev_a', count: 1 },
    { device_id: 'dev_b', count: SMALL_FLUSH + 1 },
  ]);
});

// ----- raw readings moved from the time table to the series table (migration 0016): whatever
// point a move is at, or stopped at, every reading is read once, a reading delivered again is
// refused, and a later move finishes the job -----

type Row = [string, string, number, number];

/** 4 devices × 2 keys reporting in turn, `n` rounds from `from` (ms). */
const rounds = (from: number, n: number): Row[] => {
  const out: Row[] = [];
  for (let s = 0; s < n; s++) for (const d of ['dev_a', 'dev_b', 'dev_c', 'dev_d']) for (const k of ['p', 'q']) out.push([d, k, from + s * 1000, s]);
  return out;
};

const count = async (table: string) =>
  Number(
    (
      await untyped(t!.database.db)
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const viewRows = async () =>
  (
    await t!.database.db.selectFrom('telemetry_raw').select(['device_id', 'key', 'ts', 'value']).orderBy('device_id').orderBy('key').orderBy('ts').execute()
  ).map((r) => [r.device_id, r.key, Number(r.ts), Number(r.value)]);
const sorted = (rows: Row[]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[2] - b[2]);

async function moveAll(writer: ThreadWriter, rows: number, step: number): Promise<number> {
  let moved = 0;
  for (let i = 0; i < 1000; i++) {
    const r = await writer.move({ move: { rows, step } });
    if (r.done) {
      if (r.moved === 0) return moved;
      moved += r.moved;
    }
  }
  throw new Error('the move did not finish');
}

it('moves every reading to the series table once; readings delivered again are refused afterwards', async () => {
  await setup();
  const rows = rounds(1_700_000_000_000, 10); // 80 readings
  await w!.write(batch(rows.slice(0, 50)));
  await w!.write(batch(rows.slice(50)));
  expect(await count('telemetry_raw_recent')).toBe(80);

  expect(await moveAll(w!, 30, 7)).toBe(80); // three moves of at most 30, 7 per transaction
  expect(await count('telemetry_raw_recent')).toBe(0);
  expect(await count('telemetry_raw_by_series')).toBe(80);
  expect(await viewRows()).toEqual(sorted(rows));

  // the same readings again (a QoS 1 redelivery), and one new reading per series
  const again = await w!.write(batch([...rows.slice(0, 8), ...rounds(1_700_000_010_000, 1)]));
  expect([...again.fresh]).toEqual([...Array(8).fill(0), ...Array(8).fill(1)]);
  expect(await count('telemetry_raw')).toBe(88);
  // rolled up once: 10 readings per series in the first moves, plus the new one
  expect(
    (await t!.database.db.selectFrom('telemetry_1h').select(['count']).where('device_id', '=', 'dev_a').where('key', '=', 'p').execute()).map((r) =>
      Number(r.count),
    ),
  ).toEqual([11]);
});

it('a move stopped half-way (copied, not yet deleted) reads each reading once, and the next writer finishes it', async () => {
  const d = await setup();
  const rows = rounds(1_700_000_000_000, 10);
  await w!.write(batch(rows));
  // read the plan (80 rows in pages of 20), then copy 2 of its 4 parts
  for (let i = 0; i < 4 + 1 + 2; i++) expect((await w!.move({ move: { rows: 100, step: 20 } })).done).toBe(false);
  expect(await count('telemetry_raw_by_series')).toBe(40);
  expect(await count('telemetry_raw_recent')).toBe(80);
  expect(await viewRows()).toEqual(sorted(rows));
  // a redelivered reading that is in both tables is still refused
  const dup = await w!.write(batch([rows[0]!, rows[79]!]));
  expect([...dup.fresh]).toEqual([0, 0]);

  // the process ends mid-move; a new writer starts its own move from the beginning
  await w!.close();
  w = new ThreadWriter(d.file!, d.turns!);
  expect(await moveAll(w, 100, 20)).toBe(80);
  expect(await count('telemetry_raw_recent')).toBe(0);
  expect(await count('telemetry_raw_by_series')).toBe(80);
  expect(await viewRows()).toEqual(sorted(rows));
});

it('reads by series and time see both tables during a move, and retention deletes from both', async () => {
  const d = await setup();
  const repo = new TelemetryRepository(d.db, 'sqlite', d);
  const old = rounds(1_000_000_000_000, 3);
  const rows = rounds(1_700_000_000_000, 10);
  await w!.write(batch([...old, ...rows.slice(0, 40)]));
  await moveAll(w!, 1000, 50);
  await w!.write(batch(rows.slice(40)));
  // rounds 0–4 are in the series table, rounds 5–9 in the time table
  expect(await repo.valueAt('dev_b', 'q', 1_700_000_004_500)).toEqual({ ts: 1_700_000_004_000, value: 4 });
  expect(await repo.valueAt('dev_b', 'q', 1_700_000_009_000)).toEqual({ ts: 1_700_000_009_000, value: 9 });
  const series = await d.db
    .selectFrom('telemetry_raw')
    .select('ts')
    .where('device_id', '=', 'dev_c')
    .where('key', '=', 'p')
    .where('ts', '>=', 1_700_000_003_000)
    .where('ts', '<', 1_700_000_007_000)
    .orderBy('ts')
    .execute();
  expect(series.map((r) => Number(r.ts) - 1_700_000_000_000)).toEqual([3000, 4000, 5000, 6000]);

  await w!.write(batch(rounds(1_000_000_100_000, 1))); // an old reading arriving late: time table
  const purged = await repo.purge(1_500_000_000_000, 0);
  expect(purged.raw).toBe(old.length + 8);
  expect(await viewRows()).toEqual(sorted(rows));
  await repo.close();
});
