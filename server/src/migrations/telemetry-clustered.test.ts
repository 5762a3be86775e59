// Migration 0015 keeps every stored reading, rollup and latest value, and leaves SQLite's
// telemetry tables clustered on their keys (one B-tree each) with no index by time.
import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../test/db.js';
import { migrate } from '../kernel/db/migrator.js';
import { migrations } from './index.js';

describeEachDialect('migration 0015 (telemetry tables)', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => t?.drop());

  it('keeps the data and drops the time indexes', async () => {
    t = await createTestDatabase(dialect);
    const upTo14 = migrations.slice(
      0,
      migrations.findIndex((m) => m.name === '0015_telemetry_clustered'),
    );
    await migrate(t.database, upTo14);
    const db = t.database.db;
    const raw = Array.from({ length: 50 }, (_, i) => ({
      device_id: `dev_${i % 5}`,
      key: i % 2 ? 'flow' : 'pressure',
      ts: 1_700_000_000_000 + i * 1000,
      value: i / 10,
    }));
    await db.insertInto('telemetry_raw').values(raw).execute();
    await db.insertInto('telemetry_1m').values({ device_id: 'dev_1', key: 'flow', bucket: 1_700_000_000_000, min: 1, max: 2, sum: 3, count: 2 }).execute();
    await db.insertInto('telemetry_1h').values({ device_id: 'dev_1', key: 'flow', bucket: 1_699_999_200_000, min: 1, max: 2, sum: 3, count: 2 }).execute();
    await db.insertInto('telemetry_latest').values({ device_id: 'dev_1', key: 'flow', ts: 1_700_000_049_000, value: 4.9 }).execute();

    await migrate(t.database, migrations.slice(0, upTo14.length + 1));
    const rows = await db.selectFrom('telemetry_raw').selectAll().orderBy('device_id').orderBy('key').orderBy('ts').execute();
    expect(rows.map((r) => ({ ...r, ts: Number(r.ts), value: Number(r.value) }))).toEqual(
      [...raw].sort((a, b) => a.device_id.localeCompare(b.device_id) || a.key.localeCompare(b.key) || a.ts - b.ts),
    );
    expect((await db.selectFrom('telemetry_1m').selectAll().execute()).map((r) => Number(r.sum))).toEqual([3]);
    expect((await db.selectFrom('telemetry_1h').selectAll().execute()).map((r) => Number(r.count))).toEqual([2]);
    expect((await db.selectFrom('telemetry_latest').selectAll().execute()).map((r) => Number(r.value))).toEqual([4.9]);
    // a reading stored twice is still refused by the key
    await db
      .insertInto('telemetry_raw')
      .values(raw[0]!)
      .onConflict((oc) => oc.doNothing())
      .execute();
    expect(
      await db
        .selectFrom('telemetry_raw')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 50 });
    if (dialect === 'sqlite') {
      const ddl = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where tbl_name like 'telemetry_%'`.execute(db);
      const tables = ddl.rows.filter((r) => r.sql?.startsWith('CREATE TABLE') || r.sql?.startsWith('create table'));
      expect(tables.map((r) => r.name).sort()).toEqual(['telemetry_1h', 'telemetry_1m', 'telemetry_latest', 'telemetry_raw']);
      for (const r of tables) expect(r.sql.toLowerCase()).toContain('without rowid');
      expect(ddl.rows.filter((r) => r.sql?.toLowerCase().startsWith('create index')).map((r) => r.name)).toEqual([]);
    } else {
      const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename like 'telemetry_%' order by indexname`.execute(db);
      expect(idx.rows.map((r) => r.indexname)).toEqual(['telemetry_1h_pk', 'telemetry_1m_pk', 'telemetry_latest_pk', 'telemetry_raw_pk']);
    }
  });
});
