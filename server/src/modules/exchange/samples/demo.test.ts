// The demo seed loads the sample files into the demo community: most rows link by ID number,
// the rows without a valid one link by matching or wait for review, the bad rows are rejected with
// reasons, and the welfare roll's categories become registry tags.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../../test/harness.js';
import { seedDemo } from '../../../seed/seed.js';
import { RecordsService, importView } from '../records.service.js';

describeEachDialect('exchange demo samples', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await seedDemo(t.kernel);
  }, 300_000);
  afterAll(async () => t?.close());

  it('the police export and the welfare roll load, link and reject as their faults say', async () => {
    const svc = new RecordsService(t.kernel);
    const sources = await svc.repo.sources(null);
    const of = async (department: string) => importView((await svc.repo.imports([sources.find((s) => s.department === department)!.id], 1, 0))[0]);
    const p = await of('police');
    expect(p).toMatchObject({ total: 64, rejected: 2, encoding: 'gb18030' }); // no name; gender code 5
    expect(p.linked).toBeGreaterThanOrEqual(60); // 57 by ID number, 3 mistyped IDs by matching
    const c = await of('civil_affairs');
    expect(c).toMatchObject({ total: 25, rejected: 1, encoding: 'xlsx' }); // Z99 其他救助, 2月30日
    expect(c.linked + c.review).toBe(24);
    for (const tag of ['low_income', 'extreme_poverty', 'elderly_allowance', 'disabled'])
      expect((await t.kernel.db.selectFrom('residents').select(['id']).where('tags', 'like', `%${tag}%`).execute()).length, tag).toBeGreaterThan(0);
  });
});
