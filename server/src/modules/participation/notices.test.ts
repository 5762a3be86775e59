import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { PlacesService } from '../registry/index.js';
import { eventually } from '../../test/wait.js';
import crypto from 'node:crypto';

const T0 = '2026-11-25T02:00:00.000Z';

describeEachDialect('participation: notices', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let staff: Client, staffC2: Client, elder: Client, young: Client, other: Client;
  let elderId: string, youngId: string, bld2: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    // a second building in c1
    const p = new PlacesService(t.kernel);
    const estate = await p.repo.byId(w.estate1.id);
    const b = await p.insertPlace({ kind: 'building', name: '2号楼' }, estate!);
    const u = await p.insertPlace({ kind: 'unit', name: '1单元' }, b);
    const h = await p.insertPlace({ kind: 'house', name: '301', floor: 3, areaM2: 70 }, u);
    bld2 = b.id;
    const e = await buildResident(t.kernel, w.house1, { name: '王奶奶', birthDate: '1950-02-01', male: false, phone: '13900003001' });
    const y = await buildResident(t.kernel, h, { name: '小李', birthDate: '1995-05-05', phone: '13900003002' });
    const o = await buildResident(t.kernel, w.house2, { name: '外区', phone: '13900003003' });
    elderId = e.id;
    youngId = y.id;
    for (const [r, c] of [
      [e, w.c1],
      [y, w.c1],
      [o, w.c2],
    ] as const)
      await buildResidentUser(t.kernel, r, c);
    await buildStaff(t.kernel, 'pt_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'pt_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'pt_staff', PASSWORD);
    staffC2 = await login(t.app, 'pt_staff2', PASSWORD);
    elder = await loginResident(t.app, '13900003001', PASSWORD);
    young = await loginResident(t.app, '13900003002', PASSWORD);
    other = await loginResident(t.app, '13900003003', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('sanitises the body, delivers to the whole community and shows the read rate per building', async () => {
    const res = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: '停水通知',
      bodyHtml: '<p onclick="x()">明天<b>停水</b></p><script>alert(1)</script><img src="https://evil.example/p.png"><a href="javascript:alert(1)">x</a>',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.bodyHtml).toBe('<p>明天<b>停水</b></p><a rel="noopener noreferrer" target="_blank">x</a>');
    expect(res.json.status).toBe('published');
    expect(res.json.recipients).toBe(2);
    const id = res.json.id;

    // inbox message for each recipient with an account
    const inbox = await young.get('/api/v1/notifications');
    expect(inbox.json.items.some((n: any) => n.link === `/portal/participation/notices/${id}`)).toBe(true);

    const list = await young.get('/api/v1/notices');
    expect(list.json.items.map((n: any) => [n.id, n.read])).toEqual([[id, false]]);
    expect((await other.get(`/api/v1/notices/${id}`)).status).toBe(404);
    expect((await other.get('/api/v1/notices')).json.items).toEqual([]);
    expect((await staffC2.get(`/api/v1/notices/${id}`)).status).toBe(404);

    expect((await young.post(`/api/v1/notices/${id}/read`)).status).toBe(200);
    expect((await young.post(`/api/v1/notices/${id}/read`)).status).toBe(200);
    const stats = await staff.get(`/api/v1/notices/${id}/stats`);
    expect(stats.json.readCount).toBe(1);
    expect(stats.json.readRate).toBe(0.5);
    const byB = Object.fromEntries(stats.json.byBuilding.map((b: any) => [b.buildingName, [b.recipients, b.read]]));
    expect(byB).toEqual({ '1号楼': [1, 0], '2号楼': [1, 1] });
    expect((await young.get(`/api/v1/notices/${id}/stats`)).status).toBe(403);
  });

  it('targets the elderly and a building, refuses places of another community', async () => {
    const elderly = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: '老年人体检',
      bodyHtml: '<p>免费体检</p>',
      audience: { placeIds: [], tags: ['elderly'] },
    });
    expect(elderly.json.recipients).toBe(1);
    expect((await elder.get('/api/v1/notices')).json.items.map((n: any) => n.title)).toContain('老年人体检');
    expect((await young.get('/api/v1/notices')).json.items.map((n: any) => n.title)).not.toContain('老年人体检');

    const building = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: '2号楼电梯检修',
      bodyHtml: '<p>x</p>',
      audience: { placeIds: [bld2], tags: [] },
    });
    expect(building.json.recipients).toBe(1);
    expect((await young.get(`/api/v1/notices/${building.json.id}`)).status).toBe(200);
    expect((await elder.get(`/api/v1/notices/${building.json.id}`)).status).toBe(404);

    const bad = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: 'x',
      bodyHtml: '<p>x</p>',
      audience: { placeIds: [w.house2.id], tags: [] },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].field).toBe('audience.placeIds.0');
    expect((await staff.post('/api/v1/notices', { communityId: w.c2.id, title: 'x', bodyHtml: '<p>x</p>' })).status).toBe(404);
    expect((await staff.post('/api/v1/notices', { communityId: w.c1.id, title: 'x', bodyHtml: '<script>x</script>' })).status).toBe(422);
  });

  it('publishes scheduled notices when due, pins first and hides expired ones', async () => {
    // sessions end after 30 idle minutes: sign in again whenever the clock moves
    const relogin = async () => {
      staff = await login(t.app, 'pt_staff', PASSWORD);
      young = await loginResident(t.app, '13900003002', PASSWORD);
      elder = await loginResident(t.app, '13900003001', PASSWORD);
      other = await loginResident(t.app, '13900003003', PASSWORD);
      staffC2 = await login(t.app, 'pt_staff2', PASSWORD);
    };
    const start = clock.now().getTime();
    const s = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: '定时通知',
      bodyHtml: '<p>x</p>',
      publishAt: new Date(start + 3600_000).toISOString(),
      expiresAt: new Date(start + 7200_000).toISOString(),
    });
    expect(s.json.status).toBe('scheduled');
    expect((await young.get(`/api/v1/notices/${s.json.id}`)).status).toBe(404);
    clock.advance(3600_000);
    await t.kernel.jobs.runDue();
    await relogin();
    expect((await young.get(`/api/v1/notices/${s.json.id}`)).status).toBe(200);
    const pin = await staff.patch(`/api/v1/notices/${s.json.id}`, { pinned: true });
    expect(pin.json.pinned).toBe(true);
    // an empty patch changes nothing and answers the record as it is
    const same = await staff.patch(`/api/v1/notices/${s.json.id}`, {});
    expect(same.status, same.body).toBe(200);
    expect(same.json.pinned).toBe(true);
    expect(same.json.expiresAt).toBe(pin.json.expiresAt);
    expect((await young.get('/api/v1/notices')).json.items[0].id).toBe(s.json.id);
    clock.advance(3600_000);
    await relogin();
    expect((await young.get(`/api/v1/notices/${s.json.id}`)).status).toBe(404);
    expect((await young.get('/api/v1/notices')).json.items.map((n: any) => n.id)).not.toContain(s.json.id);
  });

  it('carries attachments that only its readers can fetch', async () => {
    const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(32)]);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="map.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notices/files',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: staff.cookie, 'x-csrf-token': staff.csrf },
    });
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json();
    const n = await staff.post('/api/v1/notices', {
      communityId: w.c1.id,
      title: '活动路线图',
      bodyHtml: `<p>见图</p><img src="${file.url}">`,
      attachmentIds: [file.id],
    });
    expect(n.json.bodyHtml).toContain(`<img src="${file.url}" />`);
    expect(n.json.attachments.map((a: any) => a.name)).toEqual(['map.png']);
    const got = await t.app.inject({ method: 'GET', url: file.url, headers: { cookie: young.cookie } });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(png)).toBe(true);
    expect((await other.get(file.url)).status).toBe(404);
    // someone else's upload cannot be attached
    expect((await staffC2.post('/api/v1/notices', { communityId: w.c2.id, title: 'x', bodyHtml: '<p>x</p>', attachmentIds: [file.id] })).status).toBe(422);
  });

  it('credits points for the first read only', async () => {
    const n = await staff.post('/api/v1/notices', { communityId: w.c1.id, title: '积分通知', bodyHtml: '<p>x</p>' });
    const before = (await elder.get('/api/v1/points/me')).json.balance;
    await elder.post(`/api/v1/notices/${n.json.id}/read`);
    await eventually(async () => (await elder.get('/api/v1/points/me')).json.balance === before + 1);
    await elder.post(`/api/v1/notices/${n.json.id}/read`);
    // a later read of another notice is credited after anything the repeat could have caused
    const later = await staff.post('/api/v1/notices', { communityId: w.c1.id, title: '积分通知二', bodyHtml: '<p>y</p>' });
    await elder.post(`/api/v1/notices/${later.json.id}/read`);
    const me = await eventually(async () => {
      const m = (await elder.get('/api/v1/points/me')).json;
      return m.ledger.some((l: { ref: string }) => l.ref === later.json.id) && m;
    });
    expect(me.ledger.filter((l: { ref: string }) => l.ref === n.json.id).map((l: { delta: number }) => l.delta)).toEqual([1]);
    expect(me.balance).toBe(before + 2);
    void elderId;
    void youngId;
  });
});
