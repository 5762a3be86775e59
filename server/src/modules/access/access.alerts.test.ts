// Door alerts: a controller's "door forced" event (through the devices ingest pipeline) and
// repeated denials at one door reach the guards of that community, once per burst.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { FixedClock } from '../../kernel/clock.js';
import { ingestPipeline } from '../devices/index.js';
import { buildDoors } from './access.fixtures.js';
import { DOOR_ALERT, type DoorAlert } from './access.alerts.js';

const until = async (cond: () => Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
};

describeEachDialect('access door alerts', (dialect) => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  const clock = new FixedClock(new Date('2026-11-27T02:00:00.000Z'));
  const published: DoorAlert[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    d = await buildDoors(t.kernel, t.app, 'al');
    t.kernel.events.subscribe<DoorAlert>(DOOR_ALERT, (e) => void published.push(e.payload));
  });
  afterAll(async () => t?.close());

  const alerts = async (c: typeof d.c.guard, kind: string) => (await c.get('/api/v1/notifications')).json.items.filter((n: any) => n.kind === `access.alert.${kind}`);

  it('a door-forced event from the controller alerts the guards of that place, not others', async () => {
    const p = ingestPipeline(t.kernel);
    expect(await p.authenticate(d.ctl.id, d.ctl.secret)).toBe(true);
    p.submit(d.ctl.id, 'events', { type: 'door_forced', doorId: d.unitDoor.id });
    await p.flush();
    await until(async () => (await alerts(d.c.guard, 'door_forced')).length === 1);
    expect((await alerts(d.c.guard, 'door_forced'))[0].title).toContain('1号楼1单元');
    expect(await alerts(d.c.pm2, 'door_forced')).toHaveLength(0);
    await until(async () => published.some((a) => a.kind === 'door_forced'));
    expect(published.find((a) => a.kind === 'door_forced')).toMatchObject({ pointId: d.unitDoor.id, communityId: d.w.c1.id });
  });

  it('five denials at one door within five minutes raise one alert', async () => {
    for (let i = 0; i < 7; i++) expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: String(900 + i) })).json.result).toBe('deny');
    await until(async () => (await alerts(d.c.guard, 'repeated_denials')).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await alerts(d.c.guard, 'repeated_denials')).toHaveLength(1);
  });
});
