// Participation as people walk it: staff publish a notice from the console; a resident reads it
// on their phone and answers the demo survey (a conditional question appears, is required, and
// goes away again); staff see the response in the survey's results.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, phoneContext, staffPage, startServer, step, type Running } from './support.js';

let server: Running;
let browser: Browser;
let phone: BrowserContext;
let rp: Page;
let sp: Page;

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

it('a resident reads a notice and answers a survey; staff see the response in the results', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const title = '本周六上午小区停水检修';
  sp = await staffLogin('staff');

  await step(sp, 'participation-notice-publish', async () => {
    await sp.getByRole('menuitem', { name: '通知公告' }).click();
    await sp.getByRole('button', { name: '发布通知' }).click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByLabel('标题').fill(title);
    await dialog.getByLabel('正文').fill('<p>因管道检修，周六 8:00–12:00 停水，请提前储水。</p><script>alert(1)</script>');
    await dialog
      .getByRole('button', { name: '发 布' })
      .or(dialog.getByRole('button', { name: '发布' }))
      .click();
    await sp.getByText(/已发布，送达 \d+ 位居民/).waitFor();
    await sp.getByRole('cell', { name: title }).waitFor();
  });

  rp = await phone.newPage();
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
  await expect
    .poll(
      async () =>
        (
          await server.kernel.db
            .selectFrom('pt_notice_recipients')
            .select('read_at')
            .where('notice_id', '=', noticeId)
            .where('read_at', 'is not', null)
            .execute()
        ).length,
    )
    .toBe(1);
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

it('staff publish an event; a resident registers and shows the QR ticket; staff check them in and the resident earns points', async () => {
  await step(sp, 'participation-event-create', async () => {
    await sp.getByRole('menuitem', { name: '社区活动' }).click();
    await sp.getByRole('button', { name: '发布活动' }).click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByLabel('活动名称').fill('楼道清洁志愿日');
    await dialog.getByLabel('地点', { exact: true }).fill('1号楼大堂');
    const range = dialog.locator('.ant-picker-range');
    await range.click();
    const start = new Date(Date.now() + 2 * 86400_000);
    const fmt = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} 09:00:00`;
    const end = new Date(start);
    await range.locator('input').first().fill(fmt(start));
    await range.locator('input').first().press('Enter');
    await range.locator('input').nth(1).fill(fmt(end).replace('09:00:00', '11:00:00'));
    await range.locator('input').nth(1).press('Enter');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await sp.getByText('楼道清洁志愿日').waitFor();
  });

  await step(rp, 'participation-event-register', async () => {
    await rp.getByRole('navigation').getByRole('button', { name: '参与' }).click();
    await rp.getByText('社区活动').click();
    await rp.getByText('楼道清洁志愿日').click();
    await rp.getByRole('button', { name: '我要报名' }).click();
    await rp.getByText('到场时请出示此二维码签到').waitFor();
    await rp
      .locator('svg')
      .filter({ has: rp.locator('path') })
      .first()
      .waitFor();
  });
  const eventId = /\/events\/(evn_[A-Za-z0-9]+)/.exec(rp.url())![1];
  // the door scanner reads the QR code; here the same token comes from the resident's own ticket
  const token = await rp.evaluate(async (id) => (await (await fetch(`/api/v1/events/${id}/ticket`)).json()).token as string, eventId);

  await step(sp, 'participation-event-checkin', async () => {
    await sp.getByText('楼道清洁志愿日').click();
    await sp.getByPlaceholder('扫描居民的签到二维码（或粘贴签到码）').fill(token);
    await sp
      .getByRole('button', { name: '签 到' })
      .or(sp.getByRole('button', { name: '签到' }))
      .click();
    await sp
      .getByText(/已签到/)
      .first()
      .waitFor();
  });

  await step(rp, 'participation-points', async () => {
    await rp.getByRole('navigation').getByRole('button', { name: '参与' }).click();
    await rp.getByText('我的积分与荣誉').click();
    await expect.poll(async () => rp.getByText('参加活动').count(), { timeout: 5000 }).toBeGreaterThan(0);
    await rp.getByText('本楼积分榜').waitFor();
  });
});
