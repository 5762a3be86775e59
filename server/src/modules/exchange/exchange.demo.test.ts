// The records-out demo: two organisations with machine clients, one approved agreement and one pending.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildStaff, buildWorld, PASSWORD } from '../../test/fixtures.js';
import { login } from '../../test/session.js';
import { IdentityService } from '../identity/index.js';
import { seedExchangeOutDemo } from './exchange.demo.js';

describeEachDialect('exchange demo seed', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t?.close());

  it('seeds civil affairs and police with clients, an approved welfare agreement for the community and a pending one', async () => {
    const w = await buildWorld(t.kernel);
    const gov = await buildStaff(t.kernel, 'gov', 'gov_supervisor', w.street);
    const officer = await buildStaff(t.kernel, 'officer', 'department_officer', w.street);
    const govActor = (await new IdentityService(t.kernel).actorFor(gov.id, null, 'token'))!;
    await seedExchangeOutDemo(t.kernel, { street: w.street, community: w.c1, officerUserId: officer.id, gov: govActor });
    const g = await login(t.app, 'gov', PASSWORD);
    const list = await g.get('/api/v1/exchange/agreements');
    expect(list.json.items.map((a: { consumerOrgName: string; status: string; placeNames: string[] }) => [a.consumerOrgName, a.status, a.placeNames])).toEqual(
      expect.arrayContaining([
        ['朝阳区民政局', 'approved', ['花家地社区']],
        ['望京派出所', 'pending', ['花家地社区']],
      ]),
    );
    const clients = await g.get('/api/v1/exchange/clients');
    expect(clients.json.items.map((c: { name: string }) => c.name).sort()).toEqual(['低保审核系统', '实有人口管理系统'].sort());
    // the officer's home is their workspace: what it asks for answers
    const o = await login(t.app, 'officer', PASSWORD);
    for (const url of ['/api/v1/exchange/agreements?mine=true', '/api/v1/exchange/organisations', '/api/v1/exchange/messages', '/api/v1/exchange/datasets'])
      expect((await o.get(url)).status, url).toBe(200);
    expect((await o.get('/api/v1/exchange/organisations')).json.mine.name).toBe('望京派出所');
  });
});
