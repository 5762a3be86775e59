// Turns at SQLite's write lock: a main-connection writer waits for the turn without blocking the
// event loop, and writes once it is given back; reads do not wait. (SQLite only: PostgreSQL has
// no single write lock.)
import { afterEach, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { untyped } from './index.js';

let t: TestDatabase | null = null;
afterEach(async () => {
  await t?.drop();
  t = null;
});

async function setup() {
  t = await createTestDatabase('sqlite');
  await t.database.db.schema.createTable('n').addColumn('v', 'integer').execute();
  return t.database;
}

it('a transaction and a lone write wait for the turn without blocking the event loop; reads do not wait', async () => {
  const d = await setup();
  const other = new SQLite(d.file!); // the second connection, as the ingest writer thread has
  other.pragma('busy_timeout = 5000');
  const give = await d.turns!.take();
  other.exec('begin immediate; insert into n (v) values (1)'); // the other connection holds the lock

  const order: string[] = [];
  const tx = d.db.transaction().execute(async (trx) => {
    await untyped(trx).insertInto('n').values({ v: 2 }).execute();
    order.push('tx');
  });
  const lone = untyped(d.db)
    .insertInto('n')
    .values({ v: 3 })
    .execute()
    .then(() => order.push('lone'));
  // while both wait, timers still fire, and a read is answered (from before the other's commit)
  await new Promise((r) => setTimeout(r, 50));
  order.push('timer');
  expect(await untyped(d.db).selectFrom('n').select('v').execute()).toEqual([]);
  expect(order).toEqual(['timer']);

  other.exec('commit');
  give();
  await Promise.all([tx, lone]);
  expect(order).toEqual(['timer', 'tx', 'lone']);
  expect((await untyped(d.db).selectFrom('n').select('v').orderBy('v').execute()).map((r) => r.v)).toEqual([1, 2, 3]);
  expect(d.turns!.busy).toBe(false);
  other.close();
});

it('a transaction that rolls back gives its turn back', async () => {
  const d = await setup();
  await expect(
    d.db.transaction().execute(async (trx) => {
      await untyped(trx).insertInto('n').values({ v: 1 }).execute();
      throw new Error('no');
    }),
  ).rejects.toThrow('no');
  expect(d.turns!.busy).toBe(false);
  await untyped(d.db).insertInto('n').values({ v: 2 }).execute();
  expect((await untyped(d.db).selectFrom('n').select('v').execute()).map((r) => r.v)).toEqual([2]);
});
