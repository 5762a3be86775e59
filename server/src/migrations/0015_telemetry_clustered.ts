import { sql } from 'kysely';
import type { LinliMigration } from '../kernel/db/migrator.js';

// Telemetry tables with one B-tree each on SQLite. A rowid table with a composite primary key is
// two B-trees (rows, and the key's index), and the raw readings had a third (by time, for the
// retention job): every stored reading meant three B-tree inserts and three sets of dirty pages
// in the commit. WITHOUT ROWID tables are clustered on their primary key, and retention now
// deletes by (device, key, time) ranges, which that key serves (devices/telemetry.repository.ts).
// On PostgreSQL only the time indexes go (its tables are heaps with a separate key index anyway).
const tables: Record<string, string> = {
  telemetry_raw: 'device_id text not null, key text not null, ts integer not null, value real not null, primary key (device_id, key, ts)',
  telemetry_1m:
    'device_id text not null, key text not null, bucket integer not null, min real not null, max real not null, sum real not null, count integer not null, primary key (device_id, key, bucket)',
  telemetry_1h:
    'device_id text not null, key text not null, bucket integer not null, min real not null, max real not null, sum real not null, count integer not null, primary key (device_id, key, bucket)',
  telemetry_latest: 'device_id text not null, key text not null, ts integer not null, value real not null, primary key (device_id, key)',
};

export const m0015: LinliMigration = {
  name: '0015_telemetry_clustered',
  async up(db, dialect) {
    if (dialect === 'postgres') {
      await sql`drop index if exists telemetry_raw_ts`.execute(db);
      await sql`drop index if exists telemetry_1m_bucket`.execute(db);
      return;
    }
    for (const [name, columns] of Object.entries(tables)) {
      await sql.raw(`create table ${name}_new (${columns}) without rowid`).execute(db);
      await sql.raw(`insert into ${name}_new select * from ${name}`).execute(db);
      await sql.raw(`drop table ${name}`).execute(db); // and its indexes
      await sql.raw(`alter table ${name}_new rename to ${name}`).execute(db);
    }
  },
};
