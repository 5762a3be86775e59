// Offline controllers: versioned allow-lists whose deltas are exact (a list built from deltas
// equals a fresh full list after random changes), and offline decision uploads (stored once,
// an offline allow with an already-revoked credential alerts the guards).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { FixedClock } from '../../kernel/clock.js';
import { login } from '../../test/session.js';
import { buildResident, PASSWORD } from '../../test/fixtures.js';
import { buildDoors } from './access.fixtures.js';
import { matchHash, type ListEntry } from './access.offline.js';

const T0 = '2026-11-27T02:00:00.000Z';

// a small seeded generator, so a failure can be replayed
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describeEachDialect('access offline', (dialect) => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  const clock = new FixedClock(new Date(T0));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock, env: { LINLI_SESSION_IDLE_MINUTES: '10080', LINLI_SESSION_MAX_HOURS: '2160' } });
    d = await buildDoors(t.kernel, t.app, 'o');
  });
  afterAll(async () => t?.close());

  const list = async (since?: number) => {
    const r = await d.asController('GET', `/api/v1/access/allow-list${since === undefined ? '' : `?since=${since}`}`);
    expect(r.status, r.body).toBe(200);
    return r.json;
  };

  it('sends a full list with hashed credentials, the doors and the QR public key', async () => {
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '7001', cardFormat: 'w26' });
    const l = await list();
    expect(l.full).toBe(true);
    expect(l.qrKey).toMatchObject({ alg: 'Ed25519' });
    expect(l.doors.map((x: any) => x.id).sort()).toEqual([d.gate.id, d.gateIn.id, d.gateOut.id, d.unitDoor.id].sort());
    const e = l.entries.find((x: ListEntry) => x.match === matchHash(d.ctl.id, 'card', '7001'));
    expect(e.doors.sort()).toEqual([d.gate.id, d.gateIn.id, d.gateOut.id, d.unitDoor.id].sort());
    expect(JSON.stringify(l)).not.toContain('"7001"');
    // unchanged: the same version, an empty delta
    const again = await list(l.version);
    expect(again).toMatchObject({ version: l.version, full: false, entries: [], removed: [] });
    // a version this server never issued gets the full list
    expect((await list(l.version + 100)).full).toBe(true);
  });

  it('deltas are exact: applying them gives the fresh full list after random changes', async () => {
    const random = rng(20261127);
    const people = [d.me, d.far];
    for (let i = 0; i < 4; i++) people.push(await buildResident(t.kernel, i % 2 ? d.w.house1b : d.house3, { name: `住户${i}` }));
    const local = new Map<string, ListEntry>();
    let version = 0;
    const pull = async () => {
      const l = await list(version || undefined);
      if (l.full) local.clear();
      for (const k of l.removed) local.delete(k);
      for (const e of l.entries) local.set(e.key, e);
      version = l.version;
    };
    await pull();
    const issued: string[] = [];
    let card = 8000;
    const groups: string[] = [];
    for (let step = 0; step < 25; step++) {
      const n = Math.floor(random() * 5);
      const who = people[Math.floor(random() * people.length)];
      if (n === 0 || n === 1) {
        const r = await d.c.pm.post('/api/v1/access/credentials', { residentId: who.id, type: 'card', value: String(++card), cardFormat: 'w26' });
        if (r.status === 201) issued.push(r.json.id);
      } else if (n === 2 && issued.length) {
        await d.c.pm.post(`/api/v1/access/credentials/${issued.splice(Math.floor(random() * issued.length), 1)[0]}/revoke`, { reason: 'lost' });
      } else if (n === 3) {
        const g = await d.c.pm.post('/api/v1/access/door-groups', {
          communityId: d.w.c1.id,
          name: `g${step}`,
          pointIds: random() < 0.5 ? [d.unitDoor.id] : [d.gate.id, d.gateIn.id],
        });
        const r = await d.c.pm.post('/api/v1/access/rules', {
          communityId: d.w.c1.id,
          name: `r${step}`,
          effect: random() < 0.5 ? 'deny' : 'allow',
          whoKind: 'resident',
          whoValue: who.id,
          doorGroupId: g.json.id,
        });
        groups.push(r.json.id);
      } else if (n === 4 && groups.length) {
        await d.c.pm.del(`/api/v1/access/rules/${groups.splice(Math.floor(random() * groups.length), 1)[0]}`);
      }
      // the controller syncs now and then (not after every change)
      if (random() < 0.4) await pull();
    }
    await pull();
    const fresh = await list();
    const byKey = (xs: ListEntry[]) => Object.fromEntries(xs.map((e) => [e.key, e]));
    expect(byKey([...local.values()])).toEqual(byKey(fresh.entries));
    expect(local.size).toBeGreaterThan(0);
  });

  it('stores offline uploads once per event id and alerts the guards about a revoked credential used offline', async () => {
    const card = await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '9100', cardFormat: 'w26' });
    clock.set('2026-11-27T03:00:00.000Z');
    await d.c.pm.post(`/api/v1/access/credentials/${card.json.id}/revoke`, { reason: 'lost' });
    clock.set('2026-11-27T04:00:00.000Z');
    const body = {
      decisions: [
        { eventId: 'off-1', doorId: d.gate.id, credentialType: 'card', value: '7001', at: '2026-11-27T02:30:00Z', result: 'allow' },
        { eventId: 'off-2', doorId: d.gate.id, credentialType: 'card', value: '9100', at: '2026-11-27T02:45:00Z', result: 'allow' }, // before the revocation
        { eventId: 'off-3', doorId: d.gate.id, credentialType: 'card', value: '9100', at: '2026-11-27T03:30:00Z', result: 'allow' }, // after it
        { eventId: 'off-4', doorId: d.c2gate.id, credentialType: 'card', value: '1', at: '2026-11-27T03:30:00Z', result: 'deny' }, // not this controller's door
      ],
    };
    const up = await d.asController('POST', '/api/v1/access/offline-decisions', body);
    expect(up.status, up.body).toBe(200);
    expect(up.json).toMatchObject({ stored: 3, duplicates: 0, alerts: ['off-3'], rejected: [{ eventId: 'off-4', code: 'access.point_not_found' }] });
    const again = await d.asController('POST', '/api/v1/access/offline-decisions', body);
    expect(again.json).toMatchObject({ stored: 0, duplicates: 3, alerts: [] });
    const rows = await d.logged('off-1', 'off-2', 'off-3');
    expect(rows.map((r) => [r.eventId, r.offline])).toEqual([
      ['off-1', true],
      ['off-2', true],
      ['off-3', true],
    ]);
    const guard = await login(t.app, 'o_guard', PASSWORD);
    const inbox = await guard.get('/api/v1/notifications');
    expect(inbox.json.items.filter((n: any) => n.kind === 'access.offline_revoked')).toHaveLength(1);
    // the guard of the other community hears nothing
    const pm2 = await login(t.app, 'o_pm2', PASSWORD);
    expect((await pm2.get('/api/v1/notifications')).json.items.filter((n: any) => n.kind === 'access.offline_revoked')).toHaveLength(0);
  });

  it('a revoked card leaves the list at the next sync', async () => {
    const before = await list();
    const hash = matchHash(d.ctl.id, 'card', '7001');
    const e = before.entries.find((x: ListEntry) => x.match === hash);
    await d.c.pm.post(`/api/v1/access/credentials/${e.key}/revoke`, {});
    const delta = await list(before.version);
    expect(delta.removed).toContain(e.key);
    expect(delta.version).toBe(before.version + 1);
  });
});
