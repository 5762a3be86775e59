// The transactional outbox on both databases: an event recorded in a transaction is published
// only if that transaction commits, once by the node that wrote it, and by the sweep when that
// node died before publishing.
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../test/db.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { FixedClock } from '../clock.js';
import type { Tx } from '../db/index.js';
import { createEventBus, defineEvent, type DomainEvent, type EventBus } from './index.js';
import { ORPHAN_AFTER_MS, Outbox } from './outbox.js';
import { eventually } from '../../test/wait.js';

const log = pino({ level: 'silent' });
const DONE = defineEvent<{ n: number }>('test.outbox.done');
const MARKER = defineEvent<{ n: number }>('test.outbox.marker');

describeEachDialect('events outbox', (dialect) => {
  let t: TestDatabase;
  let bus: EventBus;
  const seen: DomainEvent<{ n: number }>[] = [];
  const clock = new FixedClock(new Date('2026-11-25T08:00:00Z'));

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await migrate(t.database, migrations);
    bus = await createEventBus({ natsUrl: null, nodeId: 'n1', log });
    bus.subscribe<{ n: number }>('test.outbox.*', (e) => void seen.push(e));
  });
  afterAll(async () => {
    await bus?.close();
    await t?.drop();
  });

  const rows = async () => (await t.database.db.selectFrom('event_outbox').selectAll().execute()).length;
  const payloads = (n: number) => seen.filter((e) => e.payload.n === n);
  let markers = 0;
  /** Everything published before now has been delivered: the bus delivers in order, so a marker published now arrives after it. */
  const delivered = async () => {
    const n = -++markers;
    await bus.publish(MARKER, { n });
    await eventually(() => payloads(n).length === 1);
  };

  it('publishes an event recorded in a committed transaction once, under its recorded id', async () => {
    const outbox = new Outbox(t.database.db, bus, clock, log);
    const id = await t.database.db.transaction().execute((trx) => outbox.add(trx, DONE, { n: 1 }));
    expect(await rows()).toBe(1);
    await outbox.relay([id]);
    await eventually(() => payloads(1).length === 1);
    expect(payloads(1).map((e) => e.id)).toEqual([id]);
    expect(await rows()).toBe(0);
    await outbox.relay([id]); // a second relay finds nothing left to publish
    await delivered();
    expect(payloads(1)).toHaveLength(1);
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    const outbox = new Outbox(t.database.db, bus, clock, log);
    let id = '';
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        id = await outbox.add(trx, DONE, { n: 2 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await outbox.relay([id]);
    await delivered();
    expect(payloads(2)).toHaveLength(0);
    expect(await rows()).toBe(0);
  });

  it('the sweep publishes what a node that died after its commit left behind, once it is old enough', async () => {
    const dead = new Outbox(t.database.db, bus, clock, log);
    await t.database.db.transaction().execute((trx) => dead.add(trx, DONE, { n: 3 })); // never relayed
    const survivor = new Outbox(t.database.db, bus, clock, log);
    expect(await survivor.sweep(clock.now())).toBe(0); // young: its writer may still relay it
    clock.advance(ORPHAN_AFTER_MS + 1000);
    expect(await survivor.sweep(clock.now())).toBe(1);
    await delivered();
    expect(payloads(3)).toHaveLength(1);
    expect(await survivor.sweep(clock.now())).toBe(0);
    expect(await rows()).toBe(0);
  });

  it('records only a token, with a payload of its type (checked by the compiler)', () => {
    const outbox = new Outbox(t.database.db, bus, clock, log);
    const never = (trx: Tx) => {
      // @ts-expect-error a plain string is not a token
      void outbox.add(trx, 'test.outbox.done', { n: 1 });
      // @ts-expect-error the payload must be of the token's type
      void outbox.add(trx, DONE, { n: 'one' });
    };
    expect(never).toBeTypeOf('function'); // never called: the lines above only have to fail to compile
  });

  it('keeps an event whose publish failed, for the sweep', async () => {
    const closed = await createEventBus({ natsUrl: null, nodeId: 'n2', log });
    await closed.close(); // publishing on a closed bus throws
    const outbox = new Outbox(t.database.db, closed, clock, log);
    const id = await t.database.db.transaction().execute((trx) => outbox.add(trx, DONE, { n: 4 }));
    await outbox.relay([id]);
    expect(await rows()).toBe(1);
    clock.advance(ORPHAN_AFTER_MS + 1000);
    await new Outbox(t.database.db, bus, clock, log).sweep(clock.now());
    await delivered();
    expect(payloads(4).map((e) => e.id)).toEqual([id]);
  });
});
