// Moving the demo install from its SQLite file to PostgreSQL: every row arrives once, the audit log
// verifies there, personal data decrypts and is found by its blind index, a second move needs
// --overwrite and does not double anything, and a database being written to is refused.
import path from 'node:path';
import pino from 'pino';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { buildApp } from '../app.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../test/db.js';
import { pgUrl, requireAll } from '../test/db.js';
import { seedDemo, DEMO_PASSWORD } from '../seed/seed.js';
import { generateDemo } from '../seed/demo-data.js';
import { auditChain } from '../kernel/audit/verify.js';
import { login } from '../test/session.js';
import { moveToPostgres, MoveRefused } from './move-to-postgres.js';

// PostgreSQL is the target: without LINLI_TEST_PG_URL (a developer's machine) the move cannot run; CI sets it and requires it
const suite = pgUrl || requireAll ? describe : describe.skip;

suite('linli move-to-postgres on the demo install', () => {
  let dir: string;
  let config: Config;
  let target: TestDatabase;
  let residents: number;
  const file = () => path.join(dir, 'linli.db');

  beforeAll(async () => {
    dir = tempDir('linli-move-');
    config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_MQTT_PORT: '0' });
    const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }) });
    await app.ready();
    await seedDemo(kernel);
    await login(app, 'admin', DEMO_PASSWORD); // an audited sign-in
    await kernel.checkpoints.get(auditChain.name).checkpoint(1); // a signed checkpoint to verify on the target
    residents = Number(
      (
        await kernel.db
          .selectFrom('residents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await app.close();
    target = await createTestDatabase('postgres', tempDir());
    await target.database.close(); // the move opens its own connections
  }, 240_000);

  afterAll(async () => {
    await target?.drop().catch(() => {});
  });

  it('copies every table, row counts equal, the audit log verifies and personal data decrypts', async () => {
    const lines: string[] = [];
    const r = await moveToPostgres({ sqliteFile: file(), targetUrl: target.url!, config, progress: (l) => lines.push(l) });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tables.find((t) => t.name === 'residents')).toEqual({ name: 'residents', source: residents, target: residents });
    expect(r.tables.find((t) => t.name === 'places')!.target).toBeGreaterThan(0);
    for (const t of r.tables) expect(t.target, t.name).toBe(t.source);
    expect(r.audit.ok).toBe(true);
    expect(r.audit.entries).toBeGreaterThan(0);
    expect(r.audit.checkpoints).toBeGreaterThan(0);
    const ids = r.decrypted.find((d) => d.table === 'residents' && d.column === 'id_number_enc')!;
    expect(ids.checked).toBeGreaterThan(0);
    expect(ids.failed).toBe(0);
    expect(r.configuration).toContain(`LINLI_DATABASE_URL=${target.url}`);
    expect(lines.some((l) => l.startsWith('residents:'))).toBe(true);
  }, 240_000);

  it('the app starts on PostgreSQL with the moved data: sign-in, and a resident found by ID number', async () => {
    const pgConfig = loadConfig({ LINLI_DATA_DIR: dir, LINLI_MQTT_PORT: '0', LINLI_DATABASE_URL: target.url! });
    const { app } = await buildApp({ config: pgConfig, logger: pino({ level: 'silent' }) });
    await app.ready();
    try {
      const admin = await login(app, 'admin', DEMO_PASSWORD);
      const someone = generateDemo().residents[3];
      const found = await admin.get(`/api/v1/residents?idNumber=${someone.idNumber}`);
      expect(found.status).toBe(200);
      expect(found.json.items.map((x: { name: string }) => x.name)).toEqual([someone.name]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('a second move is refused without --overwrite, and with it replaces the copy without doubling a row', async () => {
    await expect(moveToPostgres({ sqliteFile: file(), targetUrl: target.url!, config })).rejects.toThrow(/already holds data.*--overwrite/);
    const r = await moveToPostgres({ sqliteFile: file(), targetUrl: target.url!, config, overwrite: true, batchRows: 333 });
    expect(r.ok).toBe(true);
    expect(r.tables.find((t) => t.name === 'residents')!.target).toBe(residents);
    for (const t of r.tables) expect(t.target, t.name).toBe(t.source);
  }, 240_000);

  it('refuses while something holds the write lock of the SQLite file (the app is running)', async () => {
    const other = new SQLite(file());
    other.exec('begin immediate');
    try {
      const attempt = moveToPostgres({ sqliteFile: file(), targetUrl: target.url!, config, overwrite: true });
      await expect(attempt).rejects.toBeInstanceOf(MoveRefused);
      await expect(attempt).rejects.toThrow(/stop the app first/);
    } finally {
      other.exec('rollback');
      other.close();
    }
  }, 60_000);
});
