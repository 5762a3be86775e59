// A community staff member signs in, finds a resident by phone, reveals the ID number (and the
// audit log shows it), and imports an XLSX file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, startServer, step, type Running } from './support.js';
import { DEMO_PASSWORD } from '../server/src/seed/seed.js';
import { makeIdNumber } from '../server/src/modules/registry/standard/id-number.js';

let server: Running;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('signs in, finds a resident by phone, reveals the ID number, and sees it in the audit log', async () => {
  const k = server.kernel;
  const c1 = await k.db.selectFrom('places').select(['id']).where('name', '=', '花家地社区').executeTakeFirstOrThrow();
  const row = await k.db
    .selectFrom('residents')
    .selectAll()
    .where('community_id', '=', c1.id)
    .where('status', '=', 'active')
    .where('phone_enc', 'is not', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const phone = k.vault.decrypt(row.phone_enc!);
  const idNumber = k.vault.decrypt(row.id_number_enc);

  await step(page, 'login', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill('staff');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByLabel('密码').press('Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });

  await step(page, 'search-by-phone', async () => {
    await page.goto(`${server.url}/residents`);
    await page.getByLabel('手机号').fill(phone);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: row.name, exact: true }).first().click();
    await page.waitForURL(`**/residents/${row.id}`);
    // only the masked value is on the page
    await expect.poll(() => page.content()).toContain(idNumber.slice(0, 3) + '***********' + idNumber.slice(-4));
    expect(await page.content()).not.toContain(idNumber);
  });

  await step(page, 'reveal', async () => {
    await page.getByRole('button', { name: '查看 证件号码' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('查看原因').fill('核实低保申请材料');
    await dialog.getByRole('button', { name: '查看' }).click();
    await expect.poll(() => page.getByTestId('plain-idNumber').textContent()).toBe(idNumber);
  });

  await step(page, 'audit-log', async () => {
    await page.goto(`${server.url}/audit`);
    const entry = page.getByRole('row').filter({ hasText: '查看完整信息' }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain('李娜');
  });
});

it('imports residents from an XLSX file through the wizard', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(['姓名', '身份证号', '手机号', '小区', '楼栋', '单元', '房号', '身份', '与户主关系']);
  ws.addRow(['测试导入甲', makeIdNumber('110105', '1975-04-02', '123'), '13855550001', '花家地西里', '新1号楼', '1单元', '301', '业主', '户主']);
  ws.addRow(['测试导入乙', makeIdNumber('110105', '1978-09-09', '124'), '13855550002', '花家地西里', '新1号楼', '1单元', '301', '家庭成员', '配偶']);
  ws.addRow(['校验位错误', '110105197501011230', '13855550003', '花家地西里', '新1号楼', '1单元', '302', '业主', '户主']);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-xlsx-')), '居民导入.xlsx');
  await wb.xlsx.writeFile(file);

  await step(page, 'import-upload', async () => {
    await page.goto(`${server.url}/imports`);
    // choose the community (a staff member of one community may find it chosen already)
    await page.locator('.ant-form-item').filter({ hasText: '所属社区' }).locator('.ant-select').click();
    await page.locator('.ant-select-dropdown').getByTitle('花家地社区').first().click();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByText('字段对应', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
  });

  await step(page, 'import-dry-run', async () => {
    // the dry run lists the places a real run would create, before anything is written
    await page.locator('button', { hasText: /^\s*试运行\s*$/ }).click();
    await page.getByText('试运行完成', { exact: false }).waitFor({ timeout: 60_000 });
    await page.getByText('将新建的位置', { exact: false }).waitFor();
    await page.getByText('花家地社区 / 花家地西里 / 新1号楼', { exact: true }).waitFor();
    await page.getByText('花家地社区 / 花家地西里 / 新1号楼 / 1单元 / 301', { exact: true }).waitFor();
    await page.getByRole('button', { name: '正式导入' }).click();
  });

  await step(page, 'import-run', async () => {
    await page.locator('button', { hasText: /^\s*导入\s*$/ }).click();
    await page.getByText('导入完成').waitFor({ timeout: 60_000 });
    await page.getByText('下载错误报告').waitFor();
  });

  const imported = await server.kernel.db.selectFrom('residents').select('name').where('name', 'in', ['测试导入甲', '测试导入乙', '校验位错误']).execute();
  expect(imported.map((r) => r.name).sort()).toEqual(['测试导入乙', '测试导入甲']);
});

it("shows the server's validation error on the field it concerns", async () => {
  await step(page, 'field-error', async () => {
    await page.goto(`${server.url}/residents`);
    await page.getByRole('button', { name: /新增居民/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('校验测试');
    const good = makeIdNumber('110105', '1980-01-01', '111');
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await dialog.getByLabel('证件号码').fill(bad);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const item = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('证件号码') });
    await item.getByText('身份证号校验位不正确（GB 11643）').waitFor();
  });
});
