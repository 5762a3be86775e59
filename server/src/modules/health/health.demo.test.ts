// The demo seed of the health module: elders contracted, devices bound, drifting series raise
// trend alerts, one urgent case at the top of the doctor's panel.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildStaff, buildWorld, PASSWORD } from '../../test/fixtures.js';
import { localDate } from '../../kernel/time.js';
import { login } from '../../test/session.js';
import { seedDemoHealth } from './health.demo.js';
import { healthOf } from './health.context.js';

describeEachDialect('health demo seed', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('contracts the elders, binds their monitors and leaves one urgent case on top of the panel', async () => {
    const w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'doctor', 'doctor', w.c1);
    for (let i = 0; i < 10; i++) await buildResident(t.kernel, i % 2 ? w.house1 : w.house1b, { name: `老人${i}`, birthDate: `194${i}-03-0${1 + (i % 8)}` });
    await buildResident(t.kernel, w.house1, { name: '年轻人', birthDate: '1990-01-01' });
    expect(await seedDemoHealth(t.kernel, w.c1, PASSWORD, localDate(t.kernel.clock.now()))).toBe(10);
    expect(healthOf(t.kernel).bindings.size).toBe(14); // 10 BP monitors, 4 glucometers
    const dr = await login(t.app, 'doctor2', PASSWORD);
    const panel = await dr.get('/api/v1/health/patients');
    expect(panel.json.total).toBe(10);
    expect(panel.json.items[0]).toMatchObject({ urgentAlerts: 1 });
    const alerts = (await dr.get('/api/v1/health/alerts')).json.items.map((a: { rule: string }) => a.rule).sort();
    expect(alerts).toEqual(expect.arrayContaining(['bp', 'trend_bp']));
  });
});
