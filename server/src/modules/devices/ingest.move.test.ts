// The ingest pipeline moves raw readings to the series table by itself (SQLite, ingest.move.ts):
// after enough new readings, and on its timer. Readers see every reading once throughout, and a
// reading delivered again after it moved is refused. PostgreSQL has one table and no moves.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { buildWorld, type World } from '../../test/fixtures.js';
import { createDevice, IngestPipeline } from './index.js';
import { untyped } from '../../kernel/db/index.js';
import { eventually } from '../../test/wait.js';

describeEachDialect('raw readings moved by the pipeline', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
  });
  afterAll(async () => t?.close());

  const count = async (table: string) =>
    Number(
      (
        await untyped(t.kernel.db)
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('every reading is read once while it moves, and one delivered again afterwards is refused', async () => {
    const pumps = await Promise.all([0, 1, 2].map((i) => createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate1.id, name: `移动${i}` })));
    const p = new IngestPipeline(t.kernel, { ratePerSec: 10_000, burst: 10_000, move: { rows: 40, step: 7, everyMs: 50 } });
    for (const d of pumps) await p.authenticate(d.id, d.secret);
    const base = Date.now() - 60_000;
    const send = (from: number, n: number) => {
      for (let s = from; s < from + n; s++) for (const d of pumps) p.submit(d.id, 'telemetry', { ts: base + s * 100, values: { pressure: s, flow: s / 2 } });
    };
    const ids = pumps.map((d) => d.id);
    const stored = async () =>
      Number(
        (
          await t.kernel.db
            .selectFrom('telemetry_raw')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('device_id', 'in', ids)
            .executeTakeFirstOrThrow()
        ).n,
      );

    send(0, 30); // 180 readings, in turn; moves start after 40 new ones
    await p.flush();
    expect(await stored()).toBe(180);
    if (dialect === 'sqlite') {
      await eventually(async () => (await count('telemetry_raw_recent')) === 0);
      expect(await count('telemetry_raw_by_series')).toBeGreaterThanOrEqual(180);
    }
    expect(await stored()).toBe(180);

    // a redelivery of moved readings, and new ones
    const before = { ...p.stats };
    send(20, 20); // 10 rounds again, 10 new
    await p.flush();
    expect(p.stats.duplicates - before.duplicates).toBe(60);
    expect(p.stats.stored - before.stored).toBe(60);
    expect(await stored()).toBe(240);
    const series = await t.kernel.db
      .selectFrom('telemetry_raw')
      .select(['ts', 'value'])
      .where('device_id', '=', pumps[1]!.id)
      .where('key', '=', 'flow')
      .orderBy('ts')
      .execute();
    expect(series.map((r) => Number(r.value))).toEqual(Array.from({ length: 40 }, (_, s) => s / 2));
    await p.close();
  });
});
