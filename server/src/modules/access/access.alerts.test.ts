// Door alerts: a controller's "door forced" event (through the devices ingest pipeline) and
// repeated denials at one door open one alarm of the controller (alarms module), shown to the
// guards of that community; acknowledged and cleared through the alarms API.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { FixedClock } from '../../kernel/clock.js';
import { ingestPipeline } from '../devices/index.js';
import { alarmEngine } from '../alarms/index.js';
import { buildDoors } from './access.fixtures.js';
import { DOOR_ALERT, denialChecksDone, type DoorAlert } from './access.alerts.js';
import { eventually as until } from '../../test/wait.js';

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

  const alerts = async (c: typeof d.c.guard, kind: string) =>
    (await c.get('/api/v1/notifications')).json.items.filter((n: any) => n.kind === `access.alert.${kind}`);
  const alarmFeed = async (c: typeof d.c.guard) => (await c.get('/api/v1/notifications')).json.items.filter((n: any) => n.kind === 'alarm');
  const openAlarms = async (c: typeof d.c.guard, code: string) =>
    (await c.get(`/api/v1/alarms?deviceId=${d.ctl.id}&status=open`)).json.items.filter((a: any) => a.ruleCode === code);

  it('a door-forced event from the controller opens one alarm of the controller; a repeat opens no second', async () => {
    const p = ingestPipeline(t.kernel);
    expect(await p.authenticate(d.ctl.id, d.ctl.secret)).toBe(true);
    p.submit(d.ctl.id, 'events', { type: 'door_forced', doorId: d.unitDoor.id });
    await p.flush();
    await until(async () => (await openAlarms(d.c.guard, 'door_forced')).length === 1);
    const [a] = await openAlarms(d.c.guard, 'door_forced');
    expect(a).toMatchObject({
      severity: 'critical',
      status: 'active',
      ruleName: '门被强行打开',
      details: { event: 'door_forced', place: '1号楼1单元', doorId: d.unitDoor.id },
    });
    // the guards of that place get it in the live feed (with the door), another community's staff do not
    await until(async () => (await alarmFeed(d.c.guard)).some((n: any) => n.link === `/alarms/${a.id}`));
    expect((await alarmFeed(d.c.guard)).find((n: any) => n.link === `/alarms/${a.id}`).body).toContain('1号楼1单元');
    expect(await alarmFeed(d.c.pm2)).toHaveLength(0);
    expect((await d.c.pm2.get(`/api/v1/alarms/${a.id}`)).status).toBe(404);
    await until(async () => published.some((x) => x.kind === 'door_forced'));
    expect(published.find((x) => x.kind === 'door_forced')).toMatchObject({ pointId: d.unitDoor.id, communityId: d.w.c1.id, alarmId: a.id });
    // the same event again: still one alarm, and no second notification
    p.submit(d.ctl.id, 'events', { type: 'door_forced', doorId: d.gate.id });
    await p.flush();
    await until(async () => published.filter((x) => x.kind === 'door_forced').length === 2);
    expect(await openAlarms(d.c.guard, 'door_forced')).toHaveLength(1);
    expect((await alarmFeed(d.c.guard)).filter((n: any) => n.link === `/alarms/${a.id}`)).toHaveLength(1);
    // the property manager acknowledges and clears it through the alarms API
    expect((await d.c.pm.post(`/api/v1/alarms/${a.id}/acknowledge`, {})).json.status).toBe('acknowledged');
    expect((await d.c.pm.post(`/api/v1/alarms/${a.id}/clear`, { reason: '门锁已修好' })).json.status).toBe('cleared');
    expect(await openAlarms(d.c.guard, 'door_forced')).toHaveLength(0);
  });

  it('a held-open door raises an alarm that the controller\'s "door_closed" clears', async () => {
    const p = ingestPipeline(t.kernel);
    p.submit(d.ctl.id, 'events', { type: 'door_held_open', doorId: d.gate.id });
    await p.flush();
    await until(async () => (await openAlarms(d.c.guard, 'door_held_open')).length === 1);
    const [a] = await openAlarms(d.c.guard, 'door_held_open');
    p.submit(d.ctl.id, 'events', { type: 'door_closed', doorId: d.gate.id });
    await p.flush();
    await until(async () => (await d.c.guard.get(`/api/v1/alarms/${a.id}`)).json.status === 'cleared');
    expect((await d.c.guard.get(`/api/v1/alarms/${a.id}`)).json).toMatchObject({ clearReason: 'door_closed' });
  });

  it('five denials at one door within five minutes raise one alarm', async () => {
    for (let i = 0; i < 7; i++) expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: String(900 + i) })).json.result).toBe('deny');
    await until(async () => (await openAlarms(d.c.guard, 'repeated_denials')).length === 1);
    // every denial's check has run (the later ones found the door raised already): still one alarm
    await denialChecksDone(t.kernel);
    expect(await openAlarms(d.c.guard, 'repeated_denials')).toHaveLength(1);
    expect((await openAlarms(d.c.guard, 'repeated_denials'))[0].details).toMatchObject({ place: '东门' });
  });

  it('with the event rule disabled, no alarm: the guards get a plain door alert instead', async () => {
    const engine = alarmEngine(t.kernel)!;
    const rule = (await engine.repo.ruleByKey('type:door_controller:tamper'))!;
    await engine.repo.updateRule(rule.id, { enabled: 0 });
    await engine.reloadRules();
    try {
      const p = ingestPipeline(t.kernel);
      p.submit(d.ctl.id, 'events', { type: 'tamper', doorId: d.gate.id });
      await p.flush();
      await until(async () => (await alerts(d.c.guard, 'tamper')).length === 1);
      expect((await alerts(d.c.guard, 'tamper'))[0].title).toContain('东门');
      expect(await openAlarms(d.c.guard, 'tamper')).toHaveLength(0);
      // the domain event follows the notification
      await until(() => published.some((x) => x.kind === 'tamper'));
      expect(published.find((x) => x.kind === 'tamper')).toMatchObject({ alarmId: null });
    } finally {
      await engine.repo.updateRule(rule.id, { enabled: 1 });
      await engine.reloadRules();
    }
  });
});
