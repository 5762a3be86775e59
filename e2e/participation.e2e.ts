// Participation as people walk it: staff publish a notice from the console; a resident reads it
// on their phone and answers the demo survey (a conditional question appears, is required, and
// goes away again); staff see the response in the survey's results.
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
  phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});
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

it('a resident reads a notice and answers a survey; staff see the response in the results', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const title = '本周六上午小区停水检修';
  const sp = await staffLogin('staff');

  await step(sp, 'participation-notice-publish', async () => {
    await sp.getByRole('menuitem', { name: '通知公告' }).click();
    await sp.getByRole('button', { name: '发布通知' }).click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByLabel('标题').fill(title);
    await dialog.getByLabel('正文').fill('<p>因管道检修，周六 8:00–12:00 停水，请提前储水。</p><script>alert(1)</script>');
    await dialog.getByRole('button', { name: '发 布' }).or(dialog.getByRole('button', { name: '发布' })).click();
    await sp.getByText(/已发布，送达 \d+ 位居民/).waitFor();
    await sp.getByRole('cell', { name: title }).waitFor();
  });

  const rp = await phone.newPage();
  await step(rp, 'participation-notice-read', async () => {
    await rp.goto(`${server.url}/portal/login`);
    await rp.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await rp.getByPlaceholder('请输入密码').fill(resident.password);
    await rp.getByRole('button', { name: '登录' }).first().click();
    await rp.getByText('家庭成员').waitFor();
    await rp.getByRole('navigation').getByRole('button', { name: '参与' }).click();
    await rp.getByText('通知公告').click();
    await rp.getByText(title).click();
    await rp.getByText('因管道检修，周六 8:00–12:00 停水，请提前储水。').waitFor();
  });
  const noticeId = /\/notices\/(ntc_[A-Za-z0-9]+)/.exec(rp.url())![1];
  await expect.poll(async () => (await server.kernel.db.selectFrom('pt_notice_recipients').select('read_at').where('notice_id', '=', noticeId).where('read_at', 'is not', null).execute()).length).toBe(1);
  const stored = await server.kernel.db.selectFrom('pt_notices').select('body_html').where('id', '=', noticeId).executeTakeFirstOrThrow();
  expect(stored.body_html).not.toContain('<script');

  await step(rp, 'participation-survey-answer', async () => {
    await rp.getByRole('navigation').getByRole('button', { name: '参与' }).click();
    await rp.getByText('问卷调查').click();
    await rp.getByText('社区环境满意度调查').click();
    await rp.getByRole('radio', { name: '4' }).tap();
    await rp.getByText('是', { exact: true }).click();
    // the conditional question appears; it is required, and the server says so
    await rp.getByText('您希望增加哪些宠物设施').waitFor();
    await rp.getByRole('button', { name: '提交' }).click();
    await rp.getByRole('alert').filter({ hasText: '此题必答' }).waitFor();
    // answering 否 hides it again
    await rp.getByText('否', { exact: true }).click();
    await rp.getByText('您希望增加哪些宠物设施').waitFor({ state: 'detached' });
    await rp.getByRole('button', { name: '提交' }).click();
    await rp.getByText('您（或您的家庭）已经填写过这份问卷').waitFor();
  });

  await step(sp, 'participation-survey-results', async () => {
    await sp.getByRole('menuitem', { name: '问卷调查' }).click();
    await sp.getByRole('link', { name: '社区环境满意度调查' }).click();
    await sp.getByText('各楼栋回收率').waitFor();
    const q2 = sp.getByTestId('result-q2');
    await q2.getByText('1 人作答').waitFor();
    await sp.getByTestId('result-q1').getByText('平均分: 4').waitFor();
    await expect.poll(async () => sp.locator('.ant-statistic').filter({ hasText: '答卷数' }).locator('.ant-statistic-content-value').innerText()).toBe('1');
  });
});
