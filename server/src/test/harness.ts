// Test harness: a real app on a fresh database (see db.ts for the databases themselves).
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import { buildApp, type App } from '../app.js';
import type { Kernel } from '../kernel/index.js';
import type { Clock } from '../kernel/clock.js';
import { createTestDatabase, tempDir } from './db.js';
import type { Dialect } from '../kernel/db/index.js';

export * from './db.js';

export interface TestApp {
  app: App;
  kernel: Kernel;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

export async function createTestApp(dialect: Dialect, opts: { clock?: Clock; env?: Record<string, string>; rateLimit?: number } = {}): Promise<TestApp> {
  const dir = tempDir();
  const tdb = await createTestDatabase(dialect, dir);
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0', ...opts.env });
  const { app, kernel } = await buildApp({
    config,
    database: tdb.database,
    clock: opts.clock,
    logger: pino({ level: 'silent' }),
    rateLimit: opts.rateLimit ?? 100000,
    validateResponses: true,
  });
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
