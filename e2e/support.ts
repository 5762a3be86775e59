// A real Linli server on a free port with the demo data, and a headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { loadConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { DEMO_PASSWORD, seedDemo, type DemoLogin } from '../server/src/seed/seed.js';
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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

/** A phone: the portal as residents use it (zh-CN, touch, 390×844). */
export function phoneContext(browser: Browser, extra: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, ...extra });
}

/** A desktop browser of its own for one member of staff (no shared cookies), signed in to the console. */
export async function staffPage(browser: Browser, url: string, username: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
