// Registering a person whose ID number is held in another community, over HTTP on both databases:
// the staff get 202 and no hint of where or who; a supervisor over both communities approves the
// move (or rejects it); a duplicate in the staff's own community is still a plain 409.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildResident, buildStaff, buildWorld, idNumberFor, PASSWORD, type World } from '../../test/fixtures.js';

describeEachDialect('registration reviews', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff1: Client; // community staff of c1
  let staff2: Client; // community staff of c2
  let gov: Client; // supervisor of the street (both communities)
  let govC1: Client; // supervisor of c1 only
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'rr_staff1', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'rr_staff2', 'community_staff', w.c2);
    await buildStaff(t.kernel, 'rr_gov', 'gov_supervisor', w.street);
    await buildStaff(t.kernel, 'rr_gov_c1', 'gov_supervisor', w.c1);
    await buildStaff(t.kernel, 'rr_admin', 'platform_admin', null);
    [staff1, staff2, gov, govC1, admin] = await Promise.all(
      ['rr_staff1', 'rr_staff2', 'rr_gov', 'rr_gov_c1', 'rr_admin'].map((u) => login(t.app, u, PASSWORD)),
    );
  });
  afterAll(async () => t?.close());

  it('a person registered in another community: 202 and a pending review, nothing about the other record', async () => {
    const there = await buildResident(t.kernel, w.house2, { name: '周明' });
    const r = await staff1.post('/api/v1/residents', { name: '周明', idNumber: there.idNumber, houseId: w.house1.id, role: 'tenant', moveIn: '2026-01-01' });
    expect(r.status, r.body).toBe(202);
    expect(Object.keys(r.json).sort()).toEqual(['reviewId', 'status', 'title']);
    expect(r.json).toMatchObject({ status: 'pending_review', title: '登记已提交，等待上级审核' });
    expect(r.body).not.toContain(there.id);
    expect(r.body).not.toContain(w.c2.id);
    // asking again returns the same review, not a second one
    expect((await staff1.post('/api/v1/residents', { name: '周明', idNumber: there.idNumber, houseId: w.house1.id, role: 'tenant' })).json.reviewId).toBe(
      r.json.reviewId,
    );
    // the staff follow their request's status only
    const mine = (await staff1.get('/api/v1/registration-reviews')).json.items.find((x: any) => x.id === r.json.reviewId);
    expect(mine).toMatchObject({ status: 'pending', communityId: w.c1.id });
    expect(mine.existingResidentId).toBeUndefined();
    expect(mine.name).toBeUndefined();
    expect((await staff2.get('/api/v1/registration-reviews')).json.items.map((x: any) => x.id)).not.toContain(r.json.reviewId);
    // a supervisor of only one of the two communities does not see it, nor decide it
    expect((await govC1.get('/api/v1/registration-reviews')).json.items.map((x: any) => x.id)).not.toContain(r.json.reviewId);
    expect((await govC1.post(`/api/v1/registration-reviews/${r.json.reviewId}/approve`, {})).status).toBe(404);
    expect((await staff1.post(`/api/v1/registration-reviews/${r.json.reviewId}/approve`, {})).status).toBe(403);
    // the street's supervisor sees it in full (masked ID) and approves the move
    const full = (await gov.get('/api/v1/registration-reviews?status=pending')).json.items.find((x: any) => x.id === r.json.reviewId);
    expect(full).toMatchObject({ name: '周明', existingResidentId: there.id, houseLabel: expect.stringContaining('101') });
    expect(full.idNumberMasked).toMatch(/^\d{3}\*+/);
    expect((await admin.get('/api/v1/registration-reviews')).json.items.map((x: any) => x.id)).toContain(r.json.reviewId);
    const ok = await gov.post(`/api/v1/registration-reviews/${r.json.reviewId}/approve`, { note: '核实为搬迁' });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.status).toBe('approved');
    expect((await gov.post(`/api/v1/registration-reviews/${r.json.reviewId}/approve`, {})).json.code).toBe('registry.review_decided');
    // the record moved: c1's staff now see it in house 101; c2's no longer; the old residency ended
    const now = await staff1.get(`/api/v1/residents/${there.id}`);
    expect(now.status).toBe(200);
    expect(now.json.houses.map((h: any) => h.houseId)).toEqual([w.house1.id]);
    expect(now.json.residencies.find((x: any) => x.houseId === w.house2.id).moveOut).toBeTruthy();
    expect((await staff2.get(`/api/v1/residents/${there.id}`)).status).toBe(404);
  });

  it('a supervisor rejects; the record stays where it was', async () => {
    const there = await buildResident(t.kernel, w.house2, { name: '吴芳' });
    const r = await staff1.req(
      'POST',
      '/api/v1/residents',
      { name: '吴芳', idNumber: there.idNumber, houseId: w.house1b.id, role: 'owner' },
      { 'accept-language': 'en' },
    );
    expect(r.status).toBe(202);
    expect(r.json.title).toBe('The registration was submitted and awaits review');
    const no = await gov.post(`/api/v1/registration-reviews/${r.json.reviewId}/reject`, { note: '身份不符' });
    expect(no.json.status).toBe('rejected');
    expect((await staff1.get('/api/v1/registration-reviews?status=rejected')).json.items.map((x: any) => x.id)).toContain(r.json.reviewId);
    expect((await staff2.get(`/api/v1/residents/${there.id}`)).json.houses.map((h: any) => h.houseId)).toEqual([w.house2.id]);
    expect((await staff1.get(`/api/v1/residents/${there.id}`)).status).toBe(404);
  });

  it('a duplicate in the same community is still a plain 409; a new person is created (201)', async () => {
    const here = await buildResident(t.kernel, w.house1, { name: '郑强' });
    const dup = await staff1.post('/api/v1/residents', { name: '郑强', idNumber: here.idNumber, houseId: w.house1b.id, role: 'owner' });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('registry.id_duplicate');
    const fresh = await staff1.post('/api/v1/residents', { name: '新居民', idNumber: idNumberFor('1991-02-03'), houseId: w.house1b.id, role: 'owner' });
    expect(fresh.status).toBe(201);
    for (const bad of [{ status: 'x' }, { extra: 1 }])
      expect((await gov.get(`/api/v1/registration-reviews?${new URLSearchParams(bad as any)}`)).status).toBe(422);
    expect((await gov.post('/api/v1/registration-reviews/nope/approve', { note: 'x'.repeat(501) })).status).toBe(422);
    expect((await gov.post('/api/v1/registration-reviews/rrv_none/reject', {})).status).toBe(404);
  });
});
