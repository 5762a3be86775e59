import { sql } from 'kysely';
import type { LinliMigration } from '../kernel/db/migrator.js';

// Raw readings on SQLite in two tables: new readings are appended to a table in time order, and
// moved in large batches into the table in (device, key, time) order that reads use. Devices
// report in turn, so the readings of one batch belong to as many series as the batch has
// readings: inserted straight into the table by series, each one dirtied a page of its own
// (measured at 1,000 devices reporting in turn: ~16 µs of the writer thread per reading, more
// CPU than the event loop itself). Appending in time order dirties a page per ~50 readings, and
// a move of tens of thousands of readings writes each series' rows together.
// `telemetry_raw` becomes a view of both, so readers do not change; a row is read from the time
// table only while it is not yet in the series table (a move copies first and deletes after).
// `telemetry_raw_moved.max_ts`: no reading in the series table is newer, so a new reading needs
// no look-up there to be refused as a duplicate (devices/telemetry.sqlite.ts).
// PostgreSQL keeps its single table (a heap with a separate key index).
export const m0016: LinliMigration = {
  name: '0016_telemetry_recent',
  async up(db, dialect) {
    if (dialect === 'postgres') return;
    await sql`alter table telemetry_raw rename to telemetry_raw_by_series`.execute(db);
    await sql`create table telemetry_raw_recent (device_id text not null, key text not null, ts integer not null, value real not null, primary key (ts, device_id, key)) without rowid`.execute(
      db,
    );
    await sql`create table telemetry_raw_moved (id integer primary key check (id = 1), max_ts integer not null) without rowid`.execute(db);
    // the latest values hold the newest reading of every series
    await sql`insert into telemetry_raw_moved (id, max_ts) values (1, coalesce((select max(ts) from telemetry_latest), 0))`.execute(db);
    await sql`
      create view telemetry_raw as
        select device_id, key, ts, value from telemetry_raw_by_series
        union all
        select r.device_id, r.key, r.ts, r.value from telemetry_raw_recent r
        where not exists (select 1 from telemetry_raw_by_series s where s.device_id = r.device_id and s.key = r.key and s.ts = r.ts)`.execute(db);
    // A reading written to the view is stored as the ingest pipeline stores one.
    await sql`
      create trigger telemetry_raw_insert instead of insert on telemetry_raw begin
        insert into telemetry_raw_recent (device_id, key, ts, value)
          select new.device_id, new.key, new.ts, new.value
          where not exists (select 1 from telemetry_raw_by_series s where s.device_id = new.device_id and s.key = new.key and s.ts = new.ts)
          on conflict do nothing;
      end`.execute(db);
  },
};
