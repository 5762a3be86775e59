// A resident signs in to the portal on a phone-sized screen and switches on elder mode, which
// is remembered after a reload.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, startServer, step, type Running } from './support.js';

let server: Running;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('signs in by phone, shows the household, and keeps elder mode on after a reload', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  await step(page, 'portal-login', async () => {
    await page.goto(`${server.url}/portal/login`);
    await page.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await page.getByPlaceholder('请输入密码').fill(resident.password);
    await page.getByRole('button', { name: '登录' }).first().click();
    await page.getByText('家庭成员').waitFor();
  });

  await step(page, 'elder-mode', async () => {
    await page.getByRole('navigation').getByRole('button', { name: '我的' }).click();
    const sw = page.getByRole('switch');
    await sw.click();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder-mode'))).toBe(true);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(size).toBeGreaterThanOrEqual(20);
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder-mode'))).toBe(true);
  });

  await step(page, 'masked-profile', async () => {
    await page.getByRole('navigation').getByRole('button', { name: '我的' }).click();
    await page.getByText(resident.phone!.slice(0, 3) + '****' + resident.phone!.slice(7)).waitFor();
    expect(await page.content()).not.toContain(resident.phone!);
  });
});
