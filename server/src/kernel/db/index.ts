// Database access for the whole app: one Kysely instance over SQLite (embedded default)
// or PostgreSQL (scale-out), typed by the migrated schema (schema.generated.ts); modules see
// their own tables through kernel/db/tables.ts.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { pgDriver } from '../lazy.js';
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.js';
import { TurnTakingSqliteDialect, WriteTurns } from './sqlite-turns.js';
import { privateDir, privateFile, tightenFile } from '../private-fs.js';

export { WriteTurns } from './sqlite-turns.js';
import type { Schema } from './schema.generated.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;

/** Tables named at run time (vault key rotation over the encrypted columns, insertMany, kernel tests). */
export type GenericTables = Record<string, Record<string, unknown>>;
/** The database seen with tables named at run time: for code that works on any table, not a module's. */
export function untyped(db: Db | Tx): Kysely<GenericTables> {
  return db as unknown as Kysely<GenericTables>;
}

export interface Database {
  db: Db;
  dialect: Dialect;
  /** Path of the SQLite file, null on PostgreSQL. */
  file: string | null;
  /** The raw better-sqlite3 handle (SQLite only), for backups and benchmarks. */
  sqlite: SQLite.Database | null;
  /** SQLite: turns at the write lock for this process's connections (sqlite-turns.ts). */
  turns: WriteTurns | null;
  pool: pg.Pool | null;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The pg driver (loaded only when a PostgreSQL URL is configured). */
function pgClient() {
  const pg = pgDriver();
  // int8 (bigint, count(*)) arrives as string by default; every integer we store fits in 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  return pg;
}

export function openDatabase(opts: { url: string | null; sqliteFile?: string }): Database {
  if (opts.url) {
    const pool = new (pgClient().Pool)({ connectionString: opts.url, max: 10 });
    // An idle client whose server connection drops (restart, failover) must not crash the
    // process; the pool replaces it and the next query reconnects.
    pool.on('error', (err) => process.emitWarning(`postgres: idle connection lost: ${err.message}`));
    // A client that is checked out but between queries (inside a transaction) has no listener of the
    // pool's: a server restart resetting its socket then threw an unhandled 'error' and ended the
    // process (found by the cluster fault test). The query in flight fails on its own; this only
    // keeps the process alive, and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', (err) => process.emitWarning(`postgres: connection lost: ${err.message}`)));
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      file: null,
      sqlite: null,
      turns: null,
      pool,
      async ping() {
        await sql`select 1`.execute(db);
      },
      async close() {
        await db.destroy();
      },
    };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') {
    // the folder 0700 when created here, the database 0600 before SQLite opens it (its -wal and -shm take the same mode)
    if (!fs.existsSync(path.dirname(file))) privateDir(path.dirname(file));
    privateFile(file);
    for (const f of [`${file}-wal`, `${file}-shm`]) tightenFile(f);
  }
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');
  // Reads of a large registry stay off the syscall path: 64 MB page cache and memory-mapped I/O.
  raw.pragma('cache_size = -65536');
  raw.pragma('mmap_size = 268435456');
  // WAL checkpoints run on a worker thread (checkpointer.ts); a file database only
  const checkpointer =
    file === ':memory:'
      ? null
      : startCheckpointer(file, createRequire(import.meta.url).resolve('better-sqlite3'), 250, (msg) => process.emitWarning(`sqlite checkpoint: ${msg}`));
  if (checkpointer) raw.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const turns = new WriteTurns();
  const db = new Kysely<Schema>({ dialect: new TurnTakingSqliteDialect({ database: withStatementCache(raw) }, turns) });
  return {
    db,
    dialect: 'sqlite',
    file,
    sqlite: raw,
    turns,
    pool: null,
    async ping() {
      raw.prepare('select 1').get();
    },
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a
 * typical indexed lookup. Keep prepared statements by SQL text (bounded, oldest dropped first).
 * Hand-written: better-sqlite3 has no statement cache of its own.
 */
function withStatementCache(raw: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = raw.prepare.bind(raw);
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let st = cache.get(source);
          if (!st) {
            st = prepare(source);
            if (cache.size >= max) cache.delete(cache.keys().next().value!);
            cache.set(source, st);
          }
          return st;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Case-insensitive "contains" that works on both dialects. */
export function likeOp(dialect: Dialect): 'ilike' | 'like' {
  return dialect === 'postgres' ? 'ilike' : 'like';
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * `col LIKE pattern ESCAPE '\'` on both dialects (SQLite has no default escape character).
 * Build patterns with escapeLike() for the literal parts.
 */
export function like(col: string, pattern: string, caseInsensitive = false) {
  return sql<boolean>`${sql.ref(col)} ${sql.raw(caseInsensitive ? 'ilike' : 'like')} ${pattern} escape '\\'`;
}

/**
 * A condition no row meets (an empty reach). Not `eb.val(false)`: better-sqlite3 cannot bind a
 * boolean, so that would be a 500 on SQLite.
 */
export function noRows() {
  return sql<boolean>`1 = 0`;
}

/** Rows whose column starts with the given literal prefix (place paths and the like). */
export function startsWith(col: string, prefix: string) {
  return like(col, escapeLike(prefix) + '%');
}

/**
 * Insert many rows of one table inside the caller's transaction. On SQLite one cached prepared
 * statement runs per row on the same connection (Kysely's transaction is that connection), which
 * is several times faster than building large multi-row INSERTs; on PostgreSQL multi-row INSERTs
 * of 500 rows keep round trips few. All rows must have the same columns.
 */
export async function insertMany(database: Database, db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  if (database.sqlite) {
    const cols = Object.keys(rows[0]);
    const st = database.sqlite.prepare(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map((c) => '@' + c).join(', ')})`);
    for (const r of rows) st.run(Object.fromEntries(cols.map((c) => [c, r[c] ?? null])));
    return;
  }
  for (let i = 0; i < rows.length; i += 500)
    await untyped(db)
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .execute();
}
