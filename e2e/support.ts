// A real Linli server on a free port with the demo data, and a headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { seedDemo, type DemoLogin } from '../server/src/seed/seed.js';
import type { Kernel } from '../server/src/kernel/index.js';

export interface Running {
  url: string;
  kernel: Kernel;
  logins: DemoLogin[];
  close(): Promise<void>;
}

export async function startServer(): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'));
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_MQTT_PORT: '0', LINLI_PORT: '0', LINLI_LOG_LEVEL: 'silent' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 100_000 });
  const logins = await seedDemo(kernel);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    kernel,
    logins,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LINLI_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Run a step; on failure save a screenshot under e2e/screenshots and rethrow. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    fs.mkdirSync('e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `e2e/screenshots/${name.replace(/[^\w-]+/g, '_')}.png`, fullPage: true }).catch(() => {});
    throw e;
  }
}
