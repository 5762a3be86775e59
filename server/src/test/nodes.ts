// Several app nodes in one test: NATS (the event bus between nodes) and a second app on the
// database of a test app. Used by the tests that check what one node's change does on another.
import net from 'node:net';
import pino from 'pino';
import { loadConfig } from '../config.js';
import { buildApp, type App } from '../app.js';
import type { Kernel } from '../kernel/index.js';
import type { Clock } from '../kernel/clock.js';
import { openDatabase, type Database } from '../kernel/db/index.js';
import type { TestApp } from './harness.js';

export const natsUrl = process.env.LINLI_TEST_NATS_URL || 'nats://127.0.0.1:4222';

/** Whether something answers on the NATS address (a TCP connect within a second). */
export function natsReachable(url = natsUrl): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

export interface SecondNode {
  app: App;
  kernel: Kernel;
  database: Database;
  close(): Promise<void>;
}

/** Another app node on `a`'s database and data directory (same vault key file), events over NATS (`nats: false`: none, as a restarted single node). */
export async function secondNode(a: TestApp, nodeId: string, opts: { clock?: Clock; nats?: boolean } = {}): Promise<SecondNode> {
  const db = a.kernel.database;
  const database =
    db.dialect === 'sqlite' ? openDatabase({ url: null, sqliteFile: db.file! }) : openDatabase({ url: (db.pool as any).options.connectionString });
  const config = loadConfig({
    LINLI_DATA_DIR: a.dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_MQTT_PORT: '0',
    ...(opts.nats === false ? {} : { LINLI_NATS_URL: natsUrl }),
    LINLI_NODE_ID: nodeId,
  });
  const { app, kernel } = await buildApp({ config, database, clock: opts.clock, logger: pino({ level: 'silent' }), rateLimit: 100000 });
  await app.ready();
  return {
    app,
    kernel,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
