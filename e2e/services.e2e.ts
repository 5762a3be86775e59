// Household services as people walk them: a resident books housekeeping on the phone, the
// provider confirms it and marks it done in the provider workspace, the resident pays the bill it
// made through billing (sandbox gateway), and rates the service.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launch, phoneContext, staffPage, startServer, step, type Running } from './support.js';

let server: Running;
let browser: Browser;
let phone: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  phone = await phoneContext(browser);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const staffLogin = (username: string) => staffPage(browser, server.url, username);

it('a resident books housekeeping, the provider confirms and completes it, the resident pays and rates it', { timeout: 240_000 }, async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const rp = await phone.newPage();
  let bookingId = '';
  let number = '';

  await step(rp, 'services-book', async () => {
    await rp.goto(`${server.url}/portal/login`);
    await rp.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await rp.getByPlaceholder('请输入密码').fill(resident.password);
    await rp.getByRole('button', { name: '登录' }).first().click();
    await rp.getByText('家庭成员').waitFor();
    await rp.getByRole('navigation').getByRole('button', { name: '家政' }).click();
    await rp.getByText('好帮手家政').waitFor();
    await rp.getByText('日常保洁（2小时）').click();
    await rp.getByText('开始前 24 小时免费取消，之后收取 ¥30.00').waitFor();
    // the first free slot of the first day with one
    await rp
      .locator('.adm-selector-item:not(.adm-selector-item-disabled)', { hasText: /\d{2}:\d{2}–\d{2}:\d{2}/ })
      .first()
      .click();
    await rp.getByLabel('备注').fill('家里有猫，请带鞋套');
    await rp.getByRole('button', { name: '提交预约' }).click();
    await rp.getByText('进度').waitFor();
    bookingId = /\/portal\/services\/bookings\/(sbk_[A-Za-z0-9]+)/.exec(rp.url())![1];
    await rp.getByText('待确认').first().waitFor();
    number = (await rp.getByText(/^SB-\d{8}-\w{6} · /).textContent())!.split(' · ')[0];
  });

  const pp = await staffLogin('provider');
  await step(pp, 'services-provider', async () => {
    await pp.getByRole('menuitem', { name: '服务商工作台' }).click();
    await pp.getByText('服务商工作台 好帮手家政').waitFor();
    const row = pp.getByRole('row', { name: new RegExp(number) });
    await row.getByRole('button', { name: '确认' }).click();
    await pp.getByText('已确认预约').waitFor();
    await pp.getByText('已确认', { exact: true }).first().click(); // the filter
    await pp
      .getByRole('row', { name: new RegExp(number) })
      .getByRole('button', { name: '服务完成' })
      .click();
    await pp.getByText('已标记完成').waitFor();
  });

  // the resident pays the bill the booking made, through billing's portal page and the sandbox gateway
  await step(rp, 'services-pay', async () => {
    await rp.goto(`${server.url}/portal/services/bookings/${bookingId}`);
    await rp.getByText('已完成待付款').first().waitFor();
    await rp.getByRole('button', { name: '去付款 ¥120.00' }).click();
    await rp.waitForURL((u) => u.pathname === '/portal/bills' && u.searchParams.has('bill'));
    const button = rp.getByRole('button', { name: /去支付/ });
    await expect.poll(async () => (await button.textContent()) ?? '').toContain('¥120.00');
    await button.click();
    await rp.waitForURL((u) => u.pathname === '/gateway.do');
    await rp.locator('#sandbox-pay').click();
    await rp.waitForURL((u) => u.pathname === '/portal/bills' && u.searchParams.has('payment'));
    await rp.getByText('支付成功').waitFor({ timeout: 20_000 });
  });

  await step(rp, 'services-rate', async () => {
    await rp.goto(`${server.url}/portal/services/bookings/${bookingId}`);
    await rp.getByText('评价本次服务').waitFor();
    await rp.getByLabel('评价内容').fill('打扫得很干净，准时');
    await rp.getByRole('button', { name: '提交评价' }).click();
    await rp.getByText('我的评价').waitFor();
    await rp.getByText('已评价').first().waitFor();
  });

  await step(pp, 'services-provider-sees-rating', async () => {
    await pp.getByText('全部', { exact: true }).click();
    await pp
      .getByRole('row', { name: new RegExp(number) })
      .getByText('已评价')
      .waitFor();
  });
});

it('community staff see the providers with their services and hours, and add a service', async () => {
  const sp = await staffLogin('staff');
  await step(sp, 'services-staff', async () => {
    await sp.getByRole('menuitem', { name: '家政服务' }).click();
    await sp.getByRole('link', { name: '康乐居家养老' }).waitFor();
    await sp.getByRole('link', { name: '好帮手家政' }).click();
    await sp.getByText('日常保洁（2小时）').waitFor();
    await sp.getByText('开始前 24 小时免费取消，之后收取 ¥30.00').first().waitFor();
    await sp
      .getByText(/周一 09:00–17:00 ×3/)
      .first()
      .waitFor();
    await sp.getByText('家政服务 郑丽').waitFor(); // the linked provider account
    await sp.getByRole('button', { name: '新增服务' }).click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByLabel('中文名称').fill('擦玻璃');
    await dialog.getByLabel('英文名称').fill('Window cleaning');
    await dialog.getByLabel('价格（元）').fill('80');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await sp
      .getByRole('row', { name: /擦玻璃/ })
      .getByRole('cell', { name: '¥80.00' })
      .waitFor();
  });
});

it('provider staff change the hours of one of their services', async () => {
  const pp = await staffLogin('provider');
  await step(pp, 'services-provider-hours', async () => {
    await pp.goto(`${server.url}/provider`);
    const row = pp.getByRole('row', { name: /深度保洁/ });
    await row.getByText(/周一 09:00–17:00 ×1/).waitFor();
    await row.getByRole('button', { name: '营业时间' }).click();
    const dialog = pp.getByRole('dialog');
    await dialog.getByLabel('每个时段可接单数').fill('2');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await row.getByText(/周一 09:00–17:00 ×2/).waitFor();
  });
});
