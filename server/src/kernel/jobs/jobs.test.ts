import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventually } from '../../test/wait.js';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type Database } from '../db/index.js';
import { FixedClock } from '../clock.js';
import { Scheduler, type JobDef } from './index.js';

const log = pino({ level: 'silent' });
const MIN = 60_000;

describeEachDialect('Scheduler', (dialect) => {
  let tdb: TestDatabase;
  let second: Database; // a second connection to the same database: the "other node"
  let clock: FixedClock;

  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    second = dialect === 'sqlite' ? openDatabase({ url: null, sqliteFile: tdb.database.file! }) : openDatabase({ url: tdb.url });
    clock = new FixedClock(new Date('2025-03-01T08:00:30Z'));
  });
  afterEach(async () => {
    await second.close();
    await tdb.drop();
  });

  function counting(name: string, everyMs: number, counts: Map<string, string[]>, fail = false): JobDef {
    return {
      name,
      everyMs,
      // no pause here: the nodes' runDue calls start together, so their claims of a slot are in
      // flight at once; what each runDue returns shows which node ran it
      async run({ slot }) {
        counts.set(name, [...(counts.get(name) ?? []), slot]);
        if (fail) throw new Error('printer on fire');
      },
    };
  }

  it('two nodes on one database run each job once per slot', async () => {
    const counts = new Map<string, string[]>();
    const a = new Scheduler(tdb.database, clock, 'node-a', log);
    const b = new Scheduler(second, clock, 'node-b', log);
    for (const s of [a, b]) {
      s.register(counting('minutely', MIN, counts));
      s.register(counting('hourly', 60 * MIN, counts));
    }

    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    expect([...ra, ...rb].sort()).toEqual(['hourly', 'minutely']);
    expect(counts.get('minutely')).toEqual([String(Math.floor(clock.now().getTime() / MIN))]);
    expect(counts.get('hourly')).toHaveLength(1);

    // same slot again: nothing to do on either node
    expect(await Promise.all([a.runDue(), b.runDue()])).toEqual([[], []]);

    // past everyMs: the minutely job runs again (once), the hourly one does not
    clock.advance(MIN);
    const again = await Promise.all([b.runDue(), a.runDue()]);
    expect(again.flat()).toEqual(['minutely']);
    expect(counts.get('minutely')).toHaveLength(2);
    expect(counts.get('hourly')).toHaveLength(1);

    const runs = await a.runs('minutely');
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.status).toBe('ok');
      expect(r.error).toBeNull();
      expect(r.finishedAt).toMatch(/^2025-03-01T08:0\d:30.000Z$/);
      expect(['node-a', 'node-b']).toContain(r.node);
    }
    const rows = await tdb.database.db.selectFrom('job_runs').selectAll().execute();
    expect(rows).toHaveLength(3);
  });

  it('many concurrent ticks still run a slot once', async () => {
    const counts = new Map<string, string[]>();
    const nodes = [new Scheduler(tdb.database, clock, 'n1', log), new Scheduler(second, clock, 'n2', log), new Scheduler(second, clock, 'n3', log)];
    for (const n of nodes) n.register(counting('sweep', MIN, counts));
    const results = await Promise.all([...nodes, ...nodes].map((n) => n.runDue()));
    expect(results.flat()).toEqual(['sweep']);
    expect(counts.get('sweep')).toHaveLength(1);
  });

  it('a failing job records status failed and the error', async () => {
    const counts = new Map<string, string[]>();
    const a = new Scheduler(tdb.database, clock, 'node-a', log);
    a.register(counting('broken', MIN, counts, true));
    a.register(counting('fine', MIN, counts));
    expect((await a.runDue()).sort()).toEqual(['broken', 'fine']);
    const [broken] = await a.runs('broken');
    expect(broken.status).toBe('failed');
    expect(broken.error).toContain('printer on fire');
    expect(broken.finishedAt).not.toBeNull();
    const [fine] = await a.runs('fine');
    expect(fine.status).toBe('ok');
    // the failed slot is not retried by another node
    const b = new Scheduler(second, clock, 'node-b', log);
    b.register(counting('broken', MIN, counts, true));
    expect(await b.runDue()).toEqual([]);
  });

  it('prunes the record of runs older than a given time, and a pruned slot is not run again', async () => {
    const a = new Scheduler(tdb.database, clock, 'node-a', log);
    const counts = new Map<string, string[]>();
    a.register(counting('tick', MIN, counts));
    await a.runDue();
    clock.advance(MIN);
    await a.runDue();
    clock.advance(MIN);
    await a.runDue();
    expect((await a.runs('tick')).length).toBe(3);
    expect(await a.prune(new Date(clock.now().getTime() - MIN / 2))).toBe(2);
    expect((await a.runs('tick')).map((r) => r.slot)).toEqual([counts.get('tick')![2]]);
    // the current slot is still claimed: a tick in it does not run the job again
    expect(await a.runDue()).toEqual([]);
  });

  it('refuses bad definitions and ticks with start()/stop()', async () => {
    const a = new Scheduler(tdb.database, clock, 'node-a', log);
    expect(() => a.register({ name: 'x', everyMs: 10, run: async () => {} })).toThrow(/everyMs/);
    let ran = 0;
    let minutely = 0;
    // x's slots are 3 minutes (08:00–08:03); y's are minutes, so y runs on every tick after the clock moves
    a.register({ name: 'x', everyMs: 3 * MIN, run: async () => void ran++ });
    expect(() => a.register({ name: 'x', everyMs: MIN, run: async () => {} })).toThrow(/already/);
    a.register({ name: 'y', everyMs: MIN, run: async () => void minutely++ });
    a.start();
    await eventually(() => ran === 1 && minutely === 1, 10_000);
    // two later ticks in x's slot (each proven by y's run): x is not run again
    clock.advance(MIN);
    await eventually(() => minutely === 2, 10_000);
    clock.advance(MIN);
    await eventually(() => minutely === 3, 10_000);
    a.stop();
    expect(ran).toBe(1);
    expect(await a.runs('x')).toHaveLength(1);
  });
});
