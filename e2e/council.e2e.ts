// The residents' council as people walk it: a resident co-signs a proposal and votes on their
// phone; staff close the vote in the console and see the published result with the rule that
// decided it.
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

it('a resident co-signs a proposal and votes; staff close the vote and see the published result', async () => {
  const resident = server.logins.find((l) => l.role === 'resident')!;
  const proposalTitle = '在地面停车场增设电动自行车充电桩';
  const voteTitle = '《小区停车管理办法（试行）》表决';
  const rp = await phone.newPage();

  await step(rp, 'council-cosign', async () => {
    await rp.goto(`${server.url}/portal/login`);
    await rp.getByPlaceholder('11 位手机号').first().fill(resident.phone!);
    await rp.getByPlaceholder('请输入密码').fill(resident.password);
    await rp.getByRole('button', { name: '登录' }).first().click();
    await rp.getByText('家庭成员').waitFor();
    await rp.getByRole('navigation').getByRole('button', { name: '议事' }).click();
    await rp.getByText('居民提案').click();
    await rp.getByText(proposalTitle).click();
    await rp.getByText('联署 2/5').waitFor();
    await rp.getByRole('button', { name: '我要联署' }).click();
    await rp.getByText('联署 3/5').waitFor();
  });

  await step(rp, 'council-vote', async () => {
    await rp.getByRole('navigation').getByRole('button', { name: '议事' }).click();
    await rp.getByText('表决投票').click();
    await rp.getByText(voteTitle).click();
    await rp.getByRole('button', { name: '同意' }).click();
    await rp.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await rp.getByText('已投票').first().waitFor();
    // results stay hidden until the vote closes
    await rp.getByText('结果在结束前隐藏').waitFor();
  });
  // the roll knows who voted; the ballot does not
  const vote = await server.kernel.db.selectFrom('council_votes').select(['id', 'ballots_cast']).where('title', '=', voteTitle).executeTakeFirstOrThrow();
  expect(vote.ballots_cast).toBe(1);
  const ballots = await server.kernel.db.selectFrom('council_ballots').selectAll().where('vote_id', '=', vote.id).execute();
  expect(ballots.map((b) => [b.choice, b.voter_key])).toEqual([['yes', null]]);

  const sp = await staffLogin('staff');
  await step(sp, 'council-close', async () => {
    await sp.getByRole('menuitem', { name: '议事表决' }).click();
    await sp.getByRole('cell', { name: voteTitle }).click();
    await sp.getByRole('button', { name: '结束并计票' }).click();
    await sp.getByRole('button', { name: /确\s?定/ }).click();
    const result = sp.getByTestId('vote-result');
    await result.getByText('通过', { exact: true }).waitFor();
    await result.getByText('同意票超过投票总数的一半').first().waitFor();
    await result.getByText(/简单多数/).waitFor();
  });

  await step(rp, 'council-result-portal', async () => {
    await rp.reload();
    await rp.getByText('表决结果（已冻结）').waitFor();
    await rp.getByText('通过', { exact: true }).waitFor();
  });
});
