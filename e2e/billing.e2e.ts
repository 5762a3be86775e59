// Fees and payment as people walk them: a resident pays two bills through the sandbox payment
// gateway (a separate process speaking the real protocol) and downloads the receipt; the
// property manager sees the payment and the arrears go down by what was paid.
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, startServer, step, type Running } from './support.js';
import { DEMO_PASSWORD } from '../server/src/seed/seed.js';

let server: Running;
let browser: Browser;
let phone: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function staffLogin(username: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

const fenOf = (text: string) => Math.round(Number(/¥\s*([\d.]+)/.exec(text)![1]) * 100);

it('a resident pays two bills through the sandbox gateway and downloads the receipt; staff see the payment and the arrears change', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const pm = await staffLogin('property');
  let arrearsBefore = 0;
  await step(pm, 'billing-arrears-before', async () => {
    await pm.goto(`${server.url}/billing?tab=arrears`);
    await pm.getByText('欠费合计').waitFor();
    await pm.waitForFunction(
      () => document.querySelector('.ant-statistic-content-value')?.textContent?.includes('¥') && document.querySelectorAll('.ant-table-row').length > 0,
    );
    arrearsBefore = fenOf((await pm.locator('.ant-statistic-content-value').first().textContent())!);
    expect(arrearsBefore).toBeGreaterThan(0);
  });

  const rp = await phone.newPage();
  let paid = 0;
  await step(rp, 'billing-pay', async () => {
    await rp.goto(`${server.url}/portal/login`);
    await rp.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await rp.getByPlaceholder('请输入密码').fill(resident.password);
    await rp.getByRole('button', { name: '登录' }).first().click();
    await rp.getByText('家庭成员').waitFor();
    await rp.getByRole('navigation').getByRole('button', { name: '缴费' }).click();
    await rp.getByText('待缴账单').waitFor();
    const boxes = rp.locator('.adm-checkbox'); // the visible box (its input is visually hidden)
    await boxes.first().waitFor();
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    const button = rp.getByRole('button', { name: /去支付/ });
    await expect.poll(async () => (await button.textContent()) ?? '').toContain('2 笔');
    paid = fenOf((await button.textContent())!);
    await button.click();
    // the sandbox gateway's own page, on its own port
    await rp.waitForURL((u) => u.pathname === '/gateway.do');
    expect(fenOf((await rp.locator('#sandbox-amount').textContent())!)).toBe(paid);
    await rp.locator('#sandbox-pay').click();
    await rp.waitForURL((u) => u.pathname === '/portal/bills' && u.searchParams.has('payment'));
    await rp.getByText('支付成功').waitFor({ timeout: 20_000 });
  });

  await step(rp, 'billing-receipt', async () => {
    const link = rp.getByRole('link', { name: '下载收据' }).first();
    await link.waitFor();
    const [download] = await Promise.all([rp.waitForEvent('download'), link.click()]);
    const file = await download.path();
    const pdf = fs.readFileSync(file!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/^SJ\d{11}\.pdf$/);
  });

  await step(pm, 'billing-staff-sees', async () => {
    await pm.goto(`${server.url}/billing?tab=payments`);
    const row = pm.locator('.ant-table-row', { hasText: '网上支付' }).first();
    await row.waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('已到账');
    expect(await row.textContent()).toContain(`¥${(paid / 100).toFixed(2)}`);
    await pm.goto(`${server.url}/billing?tab=arrears`);
    await pm.getByText('欠费合计').waitFor();
    await expect
      .poll(async () => fenOf((await pm.locator('.ant-statistic-content-value').first().textContent()) ?? '¥0'), { timeout: 10_000 })
      .toBe(arrearsBefore - paid);
  });
}, 240_000);
