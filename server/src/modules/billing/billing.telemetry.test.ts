// Meter readings taken from household smart meters (devices of the property module placed at a
// house): the value as it stood at the end of the period, the usual checks, staff readings kept.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { createDevice, ingestPipeline } from '../devices/index.js';
import { periodEnd } from './billing.telemetry.js';

describeEachDialect('billing: readings from smart meters', (dialect) => {
  let t: TestApp;
  let w: World;
  let pm: Client, pmC2: Client;
  let water: string;
  const meters: Record<string, string> = {};
  // Shanghai: October ends at 2026-10-31T16:00:00Z
  const octEnd = Date.parse('2026-10-31T16:00:00Z');

  const NOW = new Date('2026-11-02T02:00:00Z');
  const clock = new FixedClock(NOW);
  /** A meter reports `total` at `ts` (the clock moved there: ingest refuses week-old readings). */
  async function send(deviceId: string, ts: number, total: number) {
    const p = ingestPipeline(t.kernel);
    clock.set(new Date(ts + 60_000));
    const before = p.stats.stored;
    p.submit(deviceId, 'telemetry', JSON.stringify({ ts, values: { total } }), { throttle: false });
    await p.flush();
    clock.set(NOW);
    expect(p.stats.stored).toBe(before + 1);
  }

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'bt_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'bt_pm2', 'property_manager', w.c2);
    pm = await login(t.app, 'bt_pm', PASSWORD);
    pmC2 = await login(t.app, 'bt_pm2', PASSWORD);
    const r = await pm.post('/api/v1/billing/fee-items', {
      communityId: w.c1.id,
      code: 'water',
      nameZh: '水费',
      nameEn: 'Water',
      kind: 'water',
      unitPrice: 50000,
      maxJump: 5000,
      dueDays: 15,
      lateGraceDays: 10,
      lateRateBp: 5,
      lateCapBp: 1000,
    });
    expect(r.status, r.body).toBe(201);
    water = r.json.id;
    for (const [name, place] of [
      ['a', w.house1],
      ['b', w.house1b],
      ['estate', w.estate1],
    ] as const) {
      meters[name] = (await createDevice(t.kernel, { typeCode: 'water_meter', placeId: place.id, name: `水表${name}` })).id;
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('knows when a period ends in the community time zone', () => {
    expect(new Date(periodEnd('2026-10', 'Asia/Shanghai')).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(new Date(periodEnd('2026-12', 'Asia/Shanghai')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(new Date(periodEnd('2026-10', 'UTC')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it("records each house meter's value at the end of the period; flags a jump; leaves meters that are not at a house out", async () => {
    await send(meters.a!, octEnd - 40 * 86_400_000, 100); // September
    await send(meters.a!, octEnd - 3_600_000, 112.5); // the last reading of October
    await send(meters.a!, octEnd + 3_600_000, 113); // already November: not October's
    await send(meters.b!, octEnd - 40 * 86_400_000, 10);
    await send(meters.estate!, octEnd - 3_600_000, 9999);
    const sep = await pm.post('/api/v1/billing/readings/from-telemetry', { communityId: w.c1.id, period: '2026-09' });
    expect(sep.status, sep.body).toBe(200);
    expect(sep.json).toMatchObject({ recorded: 2, flagged: 0, noData: 0 });
    await send(meters.b!, octEnd - 60_000, 90); // +80 m³ in a month: more than maxJump 50
    const oct = await pm.post('/api/v1/billing/readings/from-telemetry', { communityId: w.c1.id, period: '2026-10' });
    expect(oct.json).toMatchObject({ period: '2026-10', recorded: 1, flagged: 1, noData: 0, keptManual: 0 });
    const rows = await pm.get(`/api/v1/billing/readings?communityId=${w.c1.id}&period=2026-10`);
    const byHouse = Object.fromEntries(rows.json.items.map((r: any) => [r.houseId, r]));
    expect(byHouse[w.house1.id]).toMatchObject({ reading: 112.5, previous: 100, use: 12.5, status: 'ok', source: 'telemetry' });
    expect(byHouse[w.house1b.id]).toMatchObject({ reading: 90, status: 'flagged', flag: 'implausible_jump', source: 'telemetry' });
    expect(rows.json.items).toHaveLength(2); // the estate's meter is no household's
  });

  it("keeps a reading staff entered, and refuses another community's period (404)", async () => {
    const manual = await pm.post('/api/v1/billing/readings', { houseId: w.house1.id, feeItemId: water, period: '2026-10', reading: 111 });
    expect(manual.status, manual.body).toBe(201);
    const again = await pm.post('/api/v1/billing/readings/from-telemetry', { communityId: w.c1.id, period: '2026-10' });
    expect(again.json).toMatchObject({ keptManual: 1 });
    const rows = await pm.get(`/api/v1/billing/readings?communityId=${w.c1.id}&period=2026-10`);
    expect(rows.json.items.find((r: any) => r.houseId === w.house1.id)).toMatchObject({ reading: 111, source: 'manual' });
    expect((await pmC2.post('/api/v1/billing/readings/from-telemetry', { communityId: w.c1.id, period: '2026-10' })).status).toBe(404);
  });
});
