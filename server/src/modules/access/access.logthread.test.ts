// The access-log writer thread on its own: queued rows are committed and visible to readers that
// wait for them, an event is stored once, nothing queued is lost when the thread dies or at close.
// (The decision tests run every SQLite-file decision through it.)
import { afterEach, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../../kernel/db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { AccessLogQueue } from './access.logthread.js';
import type { LogRow } from './access.log.repository.js';

let t: TestDatabase | null = null;
let q: AccessLogQueue | null = null;
afterEach(async () => {
  await q?.close();
  await t?.drop();
  q = null;
  t = null;
});

const row = (eventId: string, result: 'allow' | 'deny' = 'allow'): LogRow => ({
  id: `alg_${eventId}`,
  community_id: 'plc_c',
  place_path: '/c/',
  point_id: 'acp_1',
  point_name: '东门',
  controller_id: 'dev_1',
  event_id: eventId,
  at: '2026-11-25T08:00:00.000Z',
  recorded_at: '2026-11-25T08:00:00.000Z',
  credential_type: 'card',
  credential_id: null,
  resident_id: null,
  visitor_pass_id: null,
  holder_name: null,
  direction: 'in',
  result,
  reason: result === 'allow' ? 'resident' : 'unknown_credential',
  open_seconds: 5,
  offline: 0,
});

async function setup() {
  t = await createTestDatabase('sqlite');
  await migrate(t.database, migrations);
  q = new AccessLogQueue(t.database.file!, t.database.turns!, pino({ level: 'silent' }));
  return t.database;
}

const events = async (d: TestDatabase['database']) =>
  (await d.db.selectFrom('access_log').select(['event_id', 'result']).orderBy('event_id').execute()).map((r) => `${r.event_id}:${r.result}`);

it('rows queued together are committed, and a reader that waits for flushed() sees them', async () => {
  const d = await setup();
  for (let i = 0; i < 50; i++) q!.push(row(`e${String(i).padStart(2, '0')}`));
  await q!.flushed();
  const stored = await events(d);
  expect(stored).toHaveLength(50);
  expect(stored[0]).toBe('e00:allow');
  expect(await d.db.selectFrom('access_log').select('open_seconds').where('event_id', '=', 'e49').executeTakeFirst()).toEqual({ open_seconds: 5 });
});

it('an event queued twice is stored once, with the first answer', async () => {
  const d = await setup();
  q!.push(row('e1', 'allow'));
  await q!.flushed();
  q!.push({ ...row('e1', 'deny'), id: 'alg_other' });
  q!.push(row('e2', 'deny'));
  await q!.flushed();
  expect(await events(d)).toEqual(['e1:allow', 'e2:deny']);
});

it('a row the database refuses is left out and reported; the rows around it are stored', async () => {
  const d = await setup();
  const errors: unknown[] = [];
  await q!.close();
  q = new AccessLogQueue(d.file!, d.turns!, { error: (o: unknown) => errors.push(o) } as never);
  q.push(row('e1'));
  q.push({ ...row('e2'), point_name: null as never });
  q.push(row('e3'));
  await q.flushed();
  expect(await events(d)).toEqual(['e1:allow', 'e3:allow']);
  expect(errors).toEqual([expect.objectContaining({ eventId: 'e2', error: expect.stringContaining('NOT NULL') })]);
});

it('waits while a main-connection transaction has the turn, then writes', async () => {
  const d = await setup();
  q!.push(row('e1'));
  await q!.flushed(); // the thread is up
  let done = false;
  await d.db.transaction().execute(async (trx) => {
    await trx.insertInto('access_apb').values({ group_id: 'g', holder: 'h', direction: 'in', at: '2026-11-25T08:00:00.000Z' }).execute();
    q!.push(row('e2'));
    void q!.flushed().then(() => (done = true));
    // a statement of the transaction runs; the queued row still waits for the turn
    expect(await trx.selectFrom('access_apb').select('holder').execute()).toEqual([{ holder: 'h' }]);
    expect(done).toBe(false);
  });
  await q!.flushed();
  expect(await events(d)).toEqual(['e1:allow', 'e2:allow']);
});

it('rows the thread had when it died are written again by a new thread, once', async () => {
  const d = await setup();
  q!.push(row('e1'));
  await q!.flushed();
  const worker = q!.thread.worker!;
  q!.push(row('e2'));
  q!.push(row('e3'));
  await worker.terminate();
  await q!.flushed(10_000);
  expect(await events(d)).toEqual(['e1:allow', 'e2:allow', 'e3:allow']);
});

it('close() writes what is still queued', async () => {
  const d = await setup();
  for (let i = 0; i < 20; i++) q!.push(row(`c${String(i).padStart(2, '0')}`));
  await q!.close();
  q = null;
  expect(await events(d)).toHaveLength(20);
});
