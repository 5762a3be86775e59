// The SQLite telemetry writer thread on its own: what a flush stores and reports back, that it
// takes turns with main-connection transactions, and that a dead worker is replaced at the next
// write. (The ingest tests run the whole pipeline through it on every SQLite test database.)
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../../kernel/db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { SMALL_FLUSH, ThreadWriter, type WriteBatch } from './telemetry.sqlite.js';

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
  const r1 = await w!.write(batch([['dev_a', 'p', 60_000, 1], ['dev_a', 'p', 61_000, 3], ['dev_a', 'p', 60_000, 1]]));
  expect([...r1.fresh]).toEqual([1, 1, 0]);
  const r2 = await w!.write(batch([['dev_a', 'p', 61_000, 3], ['dev_a', 'p', 125_000, 5]]));
  expect([...r2.fresh]).toEqual([0, 1]);
  expect(await d.db.selectFrom('telemetry_raw').select(['ts', 'value']).orderBy('ts').execute()).toEqual([{ ts: 60_000, value: 1 }, { ts: 61_000, value: 3 }, { ts: 125_000, value: 5 }]);
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
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toBe(false);
  });
  await new Promise((r) => setTimeout(r, 200));
  expect(written).toBe(true);
  expect((await d.db.selectFrom('telemetry_raw').select('ts').orderBy('ts').execute()).map((r) => r.ts)).toEqual([1, 2]);
});

it('a worker that died is replaced at the next write; the write it had is refused, not lost silently', async () => {
  const d = await setup();
  await w!.write(batch([['dev_a', 'p', 1, 1]]));
  const worker = w!.thread.worker!;
  const pending = w!.write(batch([['dev_a', 'p', 2, 2]]));
  await worker.terminate();
  // the batch in flight either made it before the worker ended or is refused (the pipeline retries it)
  const outcome = await pending.then(() => 'stored', () => 'refused');
  const r = await w!.write(batch([['dev_a', 'p', 2, 2], ['dev_a', 'p', 3, 3]]));
  expect([...r.fresh]).toEqual(outcome === 'stored' ? [0, 1] : [1, 1]);
  expect((await d.db.selectFrom('telemetry_raw').select('ts').orderBy('ts').execute()).map((x) => x.ts)).toEqual([1, 2, 3]);
});

it('small flushes run on the main connection, large ones on the thread, with the same results', async () => {
  const d = await setup();
  await w!.close();
  w = new ThreadWriter(d.file!, d.turns!, d.sqlite!);
  const small = await w.write(batch([['dev_a', 'p', 1, 1], ['dev_a', 'p', 1, 1]]));
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
