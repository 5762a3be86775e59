// Migration 0016 on a database that already holds readings: they stay readable through the
// telemetry_raw view, sit in the series table, and a reading stored again is still refused.
import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../test/db.js';
import { migrate } from '../kernel/db/migrator.js';
import { migrations } from './index.js';

describeEachDialect('migration 0016 (raw readings in time order)', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => t?.drop());

  it('keeps the stored readings, and refuses one stored again', async () => {
    t = await createTestDatabase(dialect);
    await migrate(
      t.database,
      migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '0016_telemetry_recent'),
      ),
    );
    const db = t.database.db;
    const raw = Array.from({ length: 30 }, (_, i) => ({ device_id: `dev_${i % 3}`, key: 'p', ts: 1_700_000_000_000 + i * 1000, value: i }));
    await db.insertInto('telemetry_raw').values(raw).execute();
    await db
      .insertInto('telemetry_latest')
      .values([0, 1, 2].map((d) => ({ device_id: `dev_${d}`, key: 'p', ts: 1_700_000_027_000 + d * 1000, value: 27 + d })))
      .execute();

    await migrate(t.database, migrations);
    const rows = await db.selectFrom('telemetry_raw').selectAll().orderBy('ts').execute();
    expect(rows.map((r) => Number(r.value))).toEqual(raw.map((r) => r.value));
    // stored again (the view's insert trigger on SQLite, the key on PostgreSQL)
    if (dialect === 'sqlite')
      await db
        .insertInto('telemetry_raw')
        .values([raw[4]!, { ...raw[4]!, ts: 1_700_000_100_000 }])
        .execute();
    else
      await db
        .insertInto('telemetry_raw')
        .values([raw[4]!, { ...raw[4]!, ts: 1_700_000_100_000 }])
        .onConflict((oc) => oc.doNothing())
        .execute();
    expect(
      Number(
        (
          await db
            .selectFrom('telemetry_raw')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(31);
    if (dialect === 'sqlite') {
      const n = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
      expect(await n('telemetry_raw_by_series')).toBe(30);
      expect(await n('telemetry_raw_recent')).toBe(1);
      expect((await sql<{ max_ts: number }>`select max_ts from telemetry_raw_moved`.execute(db)).rows).toEqual([{ max_ts: 1_700_000_029_000 }]);
    }
  });
});
