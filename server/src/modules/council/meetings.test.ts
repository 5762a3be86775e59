// Meetings through the real HTTP app on SQLite and PostgreSQL: agenda linked to proposals and
// votes, attendees, minutes and resolutions; links must stay inside the community.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';

describeEachDialect('council meetings', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff: Client, staffC2: Client, resident: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    const r = await buildResident(t.kernel, w.house1, { name: '会议居民', phone: '13944440001' });
    await buildResidentUser(t.kernel, r, w.c1);
    await buildStaff(t.kernel, 'mt_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'mt_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'mt_staff', PASSWORD);
    staffC2 = await login(t.app, 'mt_staff2', PASSWORD);
    resident = await loginResident(t.app, '13944440001', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('plans a meeting with agenda items linked to a proposal and a vote; records minutes and resolutions', async () => {
    const p = (await resident.post('/api/v1/council/proposals', { title: '更换单元门', body: '单元门损坏' })).json;
    const v = (
      await staff.post('/api/v1/council/votes', {
        communityId: w.c1.id,
        title: '更换单元门表决',
        basis: 'owners',
        secret: true,
        rule: 'simple',
        proposalId: p.id,
      })
    ).json;
    const m = await staff.post('/api/v1/council/meetings', {
      communityId: w.c1.id,
      title: '2026年第4次居民议事会',
      startsAt: '2026-12-01T10:00:00.000Z',
      location: '社区活动室',
      agenda: [{ title: '更换单元门', proposalId: p.id, voteId: v.id }, { title: '其他事项' }],
    });
    expect(m.status, m.body).toBe(201);
    expect(m.json.agenda.map((x: any) => [x.title, x.proposal?.title ?? null, x.vote?.status ?? null])).toEqual([
      ['更换单元门', '更换单元门', 'draft'],
      ['其他事项', null, null],
    ]);
    const itemId = m.json.agenda[0].id;
    const up = await staff.patch(`/api/v1/council/meetings/${m.json.id}`, {
      status: 'held',
      minutes: '会议由社区主任主持……',
      attendees: [
        { name: '张三', role: '居民代表' },
        { name: '李四', role: '物业' },
      ],
      resolutions: [{ itemId, resolution: '同意更换，交业主表决' }],
    });
    expect(up.status, up.body).toBe(200);
    const seen = (await resident.get(`/api/v1/council/meetings/${m.json.id}`)).json;
    expect(seen).toMatchObject({ status: 'held', minutes: '会议由社区主任主持……' });
    expect(seen.attendees).toHaveLength(2);
    expect(seen.agenda[0].resolution).toBe('同意更换，交业主表决');
    const more = await staff.post(`/api/v1/council/meetings/${m.json.id}/agenda`, { title: '增补议题' });
    expect(more.json.agenda.map((x: any) => x.title)).toEqual(['更换单元门', '其他事项', '增补议题']);
  });

  it('refuses links into another community and hides meetings from other communities', async () => {
    const otherVote = (await staffC2.post('/api/v1/council/votes', { communityId: w.c2.id, title: 'x', basis: 'owners', secret: true, rule: 'simple' })).json;
    const bad = await staff.post('/api/v1/council/meetings', {
      communityId: w.c1.id,
      title: 'm',
      startsAt: '2026-12-01T10:00:00.000Z',
      location: 'x',
      agenda: [{ title: 'x', voteId: otherVote.id }],
    });
    expect(bad.status).toBe(422);
    const m = (await staff.post('/api/v1/council/meetings', { communityId: w.c1.id, title: 'm', startsAt: '2026-12-01T10:00:00.000Z', location: 'x' })).json;
    expect((await staffC2.get(`/api/v1/council/meetings/${m.id}`)).status).toBe(404);
    expect((await staffC2.patch(`/api/v1/council/meetings/${m.id}`, { minutes: 'x' })).status).toBe(404);
    expect((await resident.patch(`/api/v1/council/meetings/${m.id}`, { minutes: 'x' })).status).toBe(403);
    expect((await staff.patch(`/api/v1/council/meetings/${m.id}`, { resolutions: [{ itemId: 'agi_none', resolution: 'x' }] })).status).toBe(422);
  });
});
