// Property operations as people walk them: a resident files a repair request with a photo, a
// technician resolves it, the resident rates it; a property manager acknowledges an alarm from
// the live feed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launch, phoneContext, staffPage, startServer, step, type Running } from './support.js';
import { createDevice, ingestPipeline } from '../server/src/modules/devices/index.js';

let server: Running;
let browser: Browser;
let phone: BrowserContext;

// a tiny valid PNG, as a phone camera would hand over a photo
const png = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082',
  'hex',
);

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

it('a resident files a repair with a photo, a technician resolves it, the resident rates it', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-photo-')), '漏水.png');
  fs.writeFileSync(photo, png);
  const rp = await phone.newPage();
  let orderId = '';

  await step(rp, 'repair-file', async () => {
    await rp.goto(`${server.url}/portal/login`);
    await rp.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await rp.getByPlaceholder('请输入密码').fill(resident.password);
    await rp.getByRole('button', { name: '登录' }).first().click();
    await rp.getByText('家庭成员').waitFor();
    await rp.getByRole('navigation').getByRole('button', { name: '报修' }).click();
    await rp.getByRole('button', { name: '我要报修' }).click();
    await rp.getByText('水电', { exact: true }).first().click();
    await rp.getByLabel('问题描述').fill('厨房水龙头一直滴水');
    await rp.getByLabel('添加照片').setInputFiles(photo);
    await rp.locator('.photo-thumb img').first().waitFor();
    await rp.getByRole('button', { name: '提交报修' }).click();
    await rp.getByText('处理进度').waitFor();
    orderId = /\/portal\/repairs\/(wo_[A-Za-z0-9]+)/.exec(rp.url())![1];
  });

  const tp = await staffLogin('tech');
  await step(tp, 'repair-technician', async () => {
    await tp.goto(`${server.url}/tech/${orderId}`);
    await tp.getByRole('button', { name: '抢单' }).click();
    await tp.getByRole('button', { name: '开始处理' }).click();
    await tp.getByRole('button', { name: '完成维修' }).first().click();
    const dialog = tp.getByRole('dialog');
    await dialog.getByLabel('备注').fill('更换了阀芯，已不再滴水');
    await dialog.getByLabel('添加照片').setInputFiles(photo);
    await dialog.getByRole('button', { name: '完成维修' }).click();
    await tp.getByText('已完成').first().waitFor();
  });

  await step(rp, 'repair-rate', async () => {
    await rp.goto(`${server.url}/portal/repairs/${orderId}`);
    await rp.getByRole('radio', { name: '4' }).tap(); // antd-mobile's Rate follows touch gestures
    await rp.getByLabel('评价内容').fill('师傅来得很快');
    await rp.getByRole('button', { name: '提交评价' }).click();
    await rp.getByText('我的评价').waitFor();
  });

  const row = await server.kernel.db.selectFrom('work_orders').select(['status', 'rating', 'source']).where('id', '=', orderId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ rating: 4, source: 'resident' });
  expect(['closed', 'resolved']).toContain(row.status);
});

it('a property manager acknowledges an alarm from the live feed', async () => {
  const k = server.kernel;
  const unit = await k.db
    .selectFrom('places')
    .select('id')
    .where('kind', '=', 'unit')
    .where('path', 'like', `%${(await k.db.selectFrom('places').select('id').where('name', '=', '花家地社区').executeTakeFirstOrThrow()).id}%`)
    .limit(1)
    .executeTakeFirstOrThrow();
  const pump = await createDevice(k, { typeCode: 'water_pump', placeId: unit.id, name: '测试水泵' });
  const page = await staffLogin('property');
  await step(page, 'alarm-ack', async () => {
    await page.goto(`${server.url}/alarms`);
    // a rule-breaking reading arrives while the feed is open
    const pipeline = ingestPipeline(k);
    pipeline.submit(pump.id, 'telemetry', { ts: Date.now(), values: { temperature: 95 } });
    await pipeline.flush();
    const ack = page.getByRole('button', { name: /^确认告警/ }).first();
    await ack.waitFor({ timeout: 30_000 });
    await ack.click();
    await page.getByText('告警已确认').waitFor();
  });
  const alarm = await k.db.selectFrom('alarms').select(['status', 'acknowledged_by']).where('device_id', '=', pump.id).executeTakeFirstOrThrow();
  expect(alarm.status).toBe('acknowledged');
});
