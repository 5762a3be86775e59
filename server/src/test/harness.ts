// Test harness: one test body over every database dialect, and a real app on a fresh database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { describe, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database, type Dialect } from '../kernel/db/index.js';
import { buildApp, type App } from '../app.js';
import type { Kernel } from '../kernel/index.js';
import type { Clock } from '../kernel/clock.js';

export const pgUrl = process.env.LINLI_TEST_PG_URL || '';
export const requireAll = process.env.LINLI_TEST_REQUIRE_ALL === '1';
export const dialects: Dialect[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

/** Run the same body on SQLite and, when LINLI_TEST_PG_URL is set, on PostgreSQL. */
export function describeEachDialect(name: string, body: (dialect: Dialect) => void) {
  if (!pgUrl && requireAll) {
    describe(name, () => {
      it('needs PostgreSQL (LINLI_TEST_REQUIRE_ALL=1 but LINLI_TEST_PG_URL is not set)', () => {
        throw new Error('LINLI_TEST_PG_URL is required when LINLI_TEST_REQUIRE_ALL=1');
      });
    });
  }
  for (const d of dialects) describe(`${name} [${d}]`, () => body(d));
}

export function tempDir(prefix = 'linli-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestDatabase {
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect, dir = tempDir()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const database = openDatabase({ url: null, sqliteFile: path.join(dir, 'linli.db') });
    return { database, url: null, drop: async () => { await database.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `linli_t_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = '/' + name;
  const database = openDatabase({ url: u.toString() });
  return {
    database,
    url: u.toString(),
    async drop() {
      await database.close();
      await new Promise((r) => setTimeout(r, 100)); // let the pool's sockets finish closing
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: App;
  kernel: Kernel;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

export async function createTestApp(dialect: Dialect, opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dir = tempDir();
  const tdb = await createTestDatabase(dialect, dir);
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0', ...opts.env });
  const { app, kernel } = await buildApp({ config, database: tdb.database, clock: opts.clock, logger: pino({ level: 'silent' }), rateLimit: 100000 });
  await app.ready();
  return {
    app,
    kernel,
    config,
    dir,
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
}
