// Proposals through the real HTTP app on SQLite and PostgreSQL: co-signatures to the agenda
// threshold, comments and moderation, staff answers on a timeline, attachments, scope.
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from '../participation/index.js';

const T0 = '2026-11-25T02:00:00.000Z';
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);

describeEachDialect('council proposals', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff: Client, staffC2: Client, author: Client, child: Client, outsider: Client;
  const signers: Client[] = [];
  const actions: ParticipationAction[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock: new FixedClock(new Date(T0)) });
    w = await buildWorld(t.kernel);
    const mk = async (house: typeof w.house1, community: typeof w.c1, phone: string, o: Parameters<typeof buildResident>[2] = {}) => {
      const r = await buildResident(t.kernel, house, { phone, ...o });
      await buildResidentUser(t.kernel, r, community);
      return loginResident(t.app, phone, PASSWORD);
    };
    author = await mk(w.house1, w.c1, '13922220000', { name: '提案人' });
    for (let i = 1; i <= 6; i++) signers.push(await mk(i % 2 ? w.house1 : w.house1b, w.c1, `1392222000${i}`, { name: `联署人${i}` }));
    child = await mk(w.house1, w.c1, '13922220009', { name: '少年', birthDate: '2012-01-01', role: 'family' });
    outsider = await mk(w.house2, w.c2, '13922220010', { name: '外社区' });
    await buildStaff(t.kernel, 'cp_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'cp_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'cp_staff', PASSWORD);
    staffC2 = await login(t.app, 'cp_staff2', PASSWORD);
    t.kernel.events.subscribe<ParticipationAction>(PARTICIPATION_ACTION, (ev) => void actions.push(ev.payload));
  });
  afterAll(async () => t?.close());

  async function propose(title = '在小区增设充电桩') {
    const res = await author.post('/api/v1/council/proposals', { title, body: '电动车充电难，建议在地面停车场增设充电桩。' });
    expect(res.status, res.body).toBe(201);
    return res.json;
  }

  it('reaching the co-sign threshold puts a proposal on the agenda, once', async () => {
    const p = await propose();
    expect(p.status).toBe('collecting');
    expect(p.cosignThreshold).toBe(5);
    for (let i = 0; i < 4; i++) expect((await signers[i].post(`/api/v1/council/proposals/${p.id}/cosign`)).status).toBe(200);
    expect((await author.get(`/api/v1/council/proposals/${p.id}`)).json.status).toBe('collecting');
    // the fifth and sixth sign at the same time: the fifth puts it on the agenda, the sixth is too late
    const [r5, r6] = await Promise.all([
      signers[4].post(`/api/v1/council/proposals/${p.id}/cosign`),
      signers[5].post(`/api/v1/council/proposals/${p.id}/cosign`),
    ]);
    expect([r5.status, r6.status].sort()).toEqual([200, 409]);
    const now = (await author.get(`/api/v1/council/proposals/${p.id}`)).json;
    expect(now.status).toBe('on_agenda');
    expect(now.cosigns).toBe(5);
    expect(now.timeline.map((x: any) => x.status)).toEqual(['collecting', 'on_agenda']);
    await expect.poll(() => actions.filter((a) => a.component === 'proposals' && a.action === 'cosign' && a.ref === p.id).length).toBe(5);
  });

  it("follows the community's own settings: co-sign threshold and reports that hide a comment", async () => {
    const put = (key: string, value: number) =>
      staff.req('PUT', '/api/v1/participation/settings', { communityId: w.c1.id, component: 'proposals', key, value });
    expect((await put('cosignThreshold', 2)).status).toBe(200);
    const p = await propose('在北门增设快递柜');
    expect(p.cosignThreshold).toBe(2);
    for (let i = 0; i < 2; i++) expect((await signers[i].post(`/api/v1/council/proposals/${p.id}/cosign`)).status).toBe(200);
    expect((await author.get(`/api/v1/council/proposals/${p.id}`)).json.status).toBe('on_agenda');
    // back to the default for the tests that follow
    expect((await put('cosignThreshold', 5)).status).toBe(200);
    expect((await propose('恢复默认')).cosignThreshold).toBe(5);
  });

  it('one co-signature per resident; not your own; not a child; not another community', async () => {
    const p = await propose('健身器材维修');
    expect((await signers[0].post(`/api/v1/council/proposals/${p.id}/cosign`)).status).toBe(200);
    const again = await signers[0].post(`/api/v1/council/proposals/${p.id}/cosign`);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('council.already_cosigned');
    expect((await author.post(`/api/v1/council/proposals/${p.id}/cosign`)).json.code).toBe('council.cannot_cosign_own');
    expect((await child.post(`/api/v1/council/proposals/${p.id}/cosign`)).json.code).toBe('council.not_eligible_resident');
    expect((await outsider.post(`/api/v1/council/proposals/${p.id}/cosign`)).status).toBe(404);
    expect((await staffC2.get(`/api/v1/council/proposals/${p.id}`)).status).toBe(404);
    expect((await child.post('/api/v1/council/proposals', { title: 'x', body: 'y' })).status).toBe(403);
    expect((await author.get(`/api/v1/council/proposals/${p.id}`)).json.cosigns).toBe(1);
  });

  it('staff answer with a status; the dated timeline follows; followers are notified', async () => {
    const p = await propose('垃圾分类亭加顶棚');
    await signers[1].post(`/api/v1/council/proposals/${p.id}/follow`, { follow: true });
    expect((await signers[1].post(`/api/v1/council/proposals/${p.id}/status`, { status: 'accepted', note: 'x' })).status).toBe(403);
    for (const [status, note] of [
      ['under_review', '已转物业评估'],
      ['accepted', '同意实施'],
      ['implementing', '已招标'],
      ['done', '已完工'],
    ]) {
      const res = await staff.post(`/api/v1/council/proposals/${p.id}/status`, { status, note });
      expect(res.status, res.body).toBe(200);
    }
    const got = (await signers[1].get(`/api/v1/council/proposals/${p.id}`)).json;
    expect(got.status).toBe('done');
    expect(got.timeline.map((x: any) => [x.status, x.note])).toEqual([
      ['collecting', null],
      ['under_review', '已转物业评估'],
      ['accepted', '同意实施'],
      ['implementing', '已招标'],
      ['done', '已完工'],
    ]);
    const inbox = (await signers[1].get('/api/v1/notifications')).json;
    expect(JSON.stringify(inbox)).toContain('垃圾分类亭加顶棚');
    expect((await staff.post(`/api/v1/council/proposals/${p.id}/status`, { status: 'collecting', note: 'x' })).status).toBe(422);
  });

  it('comments: three reports hide a comment; staff review keeps or removes it', async () => {
    const p = await propose('楼道照明');
    const c = (await signers[0].post(`/api/v1/council/proposals/${p.id}/comments`, { body: '广告：低价装修' })).json;
    const ok = (await signers[1].post(`/api/v1/council/proposals/${p.id}/comments`, { body: '支持' })).json;
    for (let i = 1; i <= 2; i++) expect((await signers[i].post(`/api/v1/council/comments/${c.id}/report`)).json.hidden).toBe(false);
    expect((await signers[1].post(`/api/v1/council/comments/${c.id}/report`)).status).toBe(409);
    expect((await signers[3].post(`/api/v1/council/comments/${c.id}/report`)).json.hidden).toBe(true);
    const seen = (await author.get(`/api/v1/council/proposals/${p.id}`)).json.comments;
    expect(seen.find((x: any) => x.id === c.id)).toMatchObject({ hidden: true, body: null });
    expect(seen.find((x: any) => x.id === ok.id).body).toBe('支持');
    const queue = (await staff.get('/api/v1/council/comments/pending')).json.items;
    expect(queue.map((x: any) => x.id)).toContain(c.id);
    expect((await staffC2.get('/api/v1/council/comments/pending')).json.items).toHaveLength(0);
    expect((await staff.post(`/api/v1/council/comments/${c.id}/review`, { decision: 'remove' })).status).toBe(200);
    expect((await author.get(`/api/v1/council/proposals/${p.id}`)).json.comments.some((x: any) => x.id === c.id)).toBe(false);
    expect((await staff.get('/api/v1/council/comments/pending')).json.items.map((x: any) => x.id)).not.toContain(c.id);
  });

  it('attachments: uploaded first, attached once, readable by those who may read the proposal', async () => {
    const boundary = '----linli' + crypto.randomBytes(6).toString('hex');
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.png"\r\nContent-Type: image/png\r\n\r\n`),
      png(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/council/proposals/attachments',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: author.cookie, 'x-csrf-token': author.csrf },
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id;
    // someone else's upload is refused
    expect((await signers[0].post('/api/v1/council/proposals', { title: 't', body: 'b', attachmentIds: [fileId] })).status).toBe(422);
    const p = (await author.post('/api/v1/council/proposals', { title: '停车位规划', body: '见附件', attachmentIds: [fileId] })).json;
    expect(p.attachmentIds).toEqual([fileId]);
    expect((await signers[2].get(`/api/v1/council/proposals/attachments/${fileId}`)).status).toBe(200);
    expect((await outsider.get(`/api/v1/council/proposals/attachments/${fileId}`)).status).toBe(404);
    expect((await author.post('/api/v1/council/proposals', { title: 'again', body: 'b', attachmentIds: [fileId] })).status).toBe(422);
  });
});
