// Cameras and incidents as a guard walks them: a Hikvision camera posts an intrusion alert
// (ISAPI EventNotificationAlert XML) to the webhook; the guard, already looking at the incidents
// page, sees it arrive through the live feed, opens it, starts investigating and closes it with a
// note; the timeline keeps who did what.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, staffPage, startServer, step, type Running } from './support.js';
import { createDevice, listDevices } from '../server/src/modules/devices/index.js';
import { setCameraExtras } from '../server/src/modules/incidents/index.js';

let server: Running;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const staffLogin = (username: string) => staffPage(browser, server.url, username);

const alert = (mac: string, at: string) => `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<ipAddress>10.20.1.200</ipAddress>
<portNo>80</portNo>
<protocol>HTTP</protocol>
<macAddress>${mac}</macAddress>
<channelID>1</channelID>
<dateTime>${at}</dateTime>
<activePostCount>1</activePostCount>
<eventType>linedetection</eventType>
<eventState>active</eventState>
<eventDescription>Line crossing alarm</eventDescription>
</EventNotificationAlert>`;

it('a camera event arrives by webhook (Hikvision XML); a guard sees the incident, investigates and closes it with a note', async () => {
  // a camera next to the demo cameras of 花家地社区, with a credential we know and its MAC configured
  const demoCam = (await listDevices(server.kernel, { typeCode: 'camera' }))[0]!;
  const cam = await createDevice(server.kernel, { typeCode: 'camera', placeId: demoCam.placeId, name: '东侧围墙摄像头' });
  await setCameraExtras(server.kernel, cam.id, { location: '东侧围墙 3 号立杆', mac: '44:19:b6:e2:e2:01', channel: 1 });

  const gp = await staffLogin('guard');
  await step(gp, 'incidents-list', async () => {
    await gp.getByRole('menuitem', { name: '安防事件' }).click();
    await gp.waitForURL((u) => u.pathname === '/incidents');
    await gp.getByRole('heading', { name: '安防事件' }).waitFor();
  });

  const res = await fetch(`${server.url}/api/v1/incidents/camera-events/hikvision`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml; charset="UTF-8"', authorization: 'Basic ' + Buffer.from(`${cam.id}:${cam.secret}`).toString('base64') },
    body: alert('44:19:B6:E2:E2:01', new Date().toISOString()),
  });
  expect(res.status).toBe(201);
  const { incidentId } = (await res.json()) as { incidentId: string };

  await step(gp, 'incidents-live', async () => {
    // no reload: the notification stream brings it in
    await gp.getByRole('link', { name: '东侧围墙摄像头：区域入侵' }).click();
    await gp.waitForURL((u) => u.pathname === `/incidents/${incidentId}`);
    await gp.getByText('东侧围墙 3 号立杆').first().waitFor();
    await gp.getByText('海康 ISAPI').waitFor();
  });

  await step(gp, 'incidents-investigate', async () => {
    await gp.getByRole('button', { name: '开始处理' }).click();
    await gp.locator('.page-head').getByText('处理中').waitFor();
  });

  await step(gp, 'incidents-close', async () => {
    await gp.getByRole('button', { name: '关闭：已解决' }).click();
    const dialog = gp.getByRole('dialog');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.getByText('请填写处理说明').waitFor(); // a note is required
    await dialog.getByLabel('处理说明').fill('调取录像：快递员翻越围墙送件，已登记并提醒');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await gp.locator('.page-head').getByText('已解决').waitFor();
    await gp.getByTestId('incident-timeline-entry').getByText('调取录像：快递员翻越围墙送件，已登记并提醒').waitFor();
  });

  const entries = await gp.getByTestId('incident-timeline-entry').allInnerTexts();
  expect(entries.map((e) => e.split('\n')[0])).toEqual(['事件创建 → 新事件', '开始处理 → 处理中', '已解决 → 已解决']);
  expect(entries[2]).toContain('保安 孙伟');
  // the server agrees
  const inc = await server.kernel.db.selectFrom('incidents').select(['status', 'closed_by']).where('id', '=', incidentId).executeTakeFirstOrThrow();
  expect(inc.status).toBe('resolved');
});
