// Doors: a resident opens the portal and shows the door QR (a controller lets them in with it),
// invites a visitor; the visitor opens the link and the QR on it opens the gate; the guard desk
// shows the visitor's entry and today's visitors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, startServer, step, type Running } from './support.js';
import { DEMO_PASSWORD } from '../server/src/seed/seed.js';
import { demoDeviceSecret } from '../server/src/modules/devices/index.js';
import { getDevice } from '../server/src/modules/devices/index.js';

let server: Running;
let browser: Browser;
let phone: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  phone = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What a door controller does when a QR is shown to its reader. */
async function controllerDecides(doorId: string, token: string) {
  const door = await server.kernel.db.selectFrom('access_points').select('controller_id').where('id', '=', doorId).executeTakeFirstOrThrow();
  const ctl = (await getDevice(server.kernel, door.controller_id))!;
  const auth = 'Basic ' + Buffer.from(`${ctl.id}:${demoDeviceSecret(server.kernel, ctl.id)}`).toString('base64');
  const res = await fetch(`${server.url}/api/v1/access/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify({ eventId: `e2e-${Date.now()}-${Math.random()}`, doorId, credentialType: 'qr', token }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { result: string; reason: string; holderName: string };
}

const qrToken = (page: Page) => page.getByRole('img', { name: '开门二维码' }).getAttribute('data-token');

it('resident shows a door QR and invites a visitor; the visitor gets in; the guard sees it', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  let gate = { id: '', name: '' };

  await step(phone, 'access-qr', async () => {
    await phone.goto(`${server.url}/portal/login`);
    await phone.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await phone.getByPlaceholder('请输入密码').fill(resident.password);
    await phone.getByRole('button', { name: '登录' }).first().click();
    await phone.getByText('家庭成员').waitFor();
    await phone.getByRole('navigation').getByRole('button', { name: '门禁' }).click();
    await phone.getByText('我可以通行的门').waitFor();
    const token = await qrToken(phone);
    expect(token).toBeTruthy();
    const doors = await phone.evaluate(() => fetch('/api/v1/access/me').then((r) => r.json()));
    gate = doors.doors.find((d: { kind: string }) => d.kind === 'estate_gate');
    await phone.getByText(gate.name).first().waitFor();
    expect(await controllerDecides(gate.id, token!)).toMatchObject({ result: 'allow', reason: 'resident' });
    // shown a second time (a screenshot), the same code is refused
    expect(await controllerDecides(gate.id, token!)).toMatchObject({ result: 'deny', reason: 'qr_replayed' });
  });

  let link = '';
  await step(phone, 'invite-visitor', async () => {
    await phone.getByRole('button', { name: '邀请访客' }).click();
    await phone.getByPlaceholder('如：王阿姨').fill('王阿姨');
    await phone.getByRole('button', { name: '生成访客通行证' }).click();
    await phone.getByText('已邀请 王阿姨').waitFor();
    link = await phone.getByTestId('visit-link').locator('input').inputValue();
    expect(link).toContain('/visit/');
  });

  const visitor = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true });
  await step(visitor, 'visitor-page', async () => {
    await visitor.goto(link);
    await visitor.getByText('王阿姨，欢迎来访').waitFor();
    const token = await qrToken(visitor);
    expect(await controllerDecides(gate.id, token!)).toMatchObject({ result: 'allow', reason: 'visitor', holderName: '王阿姨' });
  });

  const guard = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  await step(guard, 'guard-desk', async () => {
    await guard.goto(`${server.url}/login`);
    await guard.getByLabel('用户名').fill('guard');
    await guard.getByLabel('密码').fill(DEMO_PASSWORD);
    await guard.getByLabel('密码').press('Enter');
    await guard.getByRole('menuitem', { name: '安保值班' }).click();
    const live = guard.getByRole('region', { name: '实时通行' });
    await live.getByText('王阿姨').waitFor();
    await live.getByText('访客通行证').first().waitFor();
    await guard.getByRole('region', { name: '今日访客' }).getByText('王阿姨').waitFor();
  });
});
