// Test databases: one test body over every dialect, on a fresh SQLite file or PostgreSQL database.
// Kept apart from the app so kernel tests need nothing but the database layer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { openDatabase, type Database, type Dialect } from '../kernel/db/index.js';

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
    return {
      database,
      url: null,
      drop: async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
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
