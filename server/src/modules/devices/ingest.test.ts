import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { anonymous } from '../../test/session.js';
import { buildWorld, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { createDevice, IngestPipeline, ingestPipeline, telemetryHub, getDevice, type Reading } from './index.js';
import { untyped } from '../../kernel/db/index.js';

const T0 = new Date('2026-11-25T04:00:30.000Z');

describeEachDialect('devices ingest', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  const now = () => clock.now().getTime();

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
  });
  afterAll(async () => t?.close());

  const pump = (name = '水泵') => createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate1.id, name });
  const db = () => t.kernel.db;
  const raw = (id: string) => db().selectFrom('telemetry_raw').selectAll().where('device_id', '=', id).orderBy('key').orderBy('ts').execute();
  const dev = (id: string) => db().selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('rejects and counts each class of bad input while good data keeps flowing', async () => {
    const a = await pump('坏数据水泵');
    const good = await pump('好水泵');
    const p = new IngestPipeline(t.kernel, { batchMs: 10_000 });
    await p.authenticate(a.id, a.secret);
    await p.authenticate(good.id, good.secret);
    const cases: [string, unknown, string][] = [
      ['bad_json', '{"values": {', 'bad_json'],
      ['too_large', JSON.stringify({ values: { pressure: 1 }, pad: 'x'.repeat(70_000) }), 'too_large'],
      ['unknown_key', { values: { speedx: 1 } }, 'unknown_key'],
      ['not_numeric', { values: { pressure: 'high' } }, 'not_numeric'],
      ['not_numeric', { values: { pressure: null } }, 'not_numeric'],
      ['ts_future', { ts: now() + 6 * 60_000, values: { pressure: 1 } }, 'ts_future'],
      ['ts_past', { ts: new Date(now() - 8 * 86_400_000).toISOString(), values: { pressure: 1 } }, 'ts_past'],
      ['bad_ts', { ts: 'soon', values: { pressure: 1 } }, 'bad_ts'],
      ['bad_shape', [1, 2], 'bad_shape'],
    ];
    for (const [, payload, reason] of cases) {
      const r = p.submit(a.id, 'telemetry', typeof payload === 'string' ? Buffer.from(payload) : (payload as object));
      expect(r.accepted).toBe(0);
      expect(r.rejected).toBeGreaterThan(0);
      expect(r.error).toMatch(new RegExp('^' + reason));
      const ok = p.submit(good.id, 'telemetry', {
        ts: now() - r.rejected * 1000 - cases.indexOf(cases.find((c) => c[1] === payload)!) * 10_000,
        values: { pressure: 0.3 },
      });
      expect(ok).toEqual({ accepted: 1, rejected: 0 });
    }
    // a mixed reading keeps its good values
    expect(p.submit(a.id, 'telemetry', { values: { pressure: 0.25, bogus: 1, running: false } })).toMatchObject({ accepted: 2, rejected: 1 });
    // unknown device
    expect(p.submit('dev_nope', 'telemetry', { values: { pressure: 1 } })).toMatchObject({ deferred: true });
    await p.flush();
    expect(p.submit('dev_nope', 'telemetry', { values: { pressure: 1 } })).toMatchObject({ accepted: 0, rejected: 1, error: 'unknown_device: dev_nope' });
    await p.close();

    expect((await raw(good.id)).length).toBe(cases.length);
    expect((await raw(a.id)).map((r) => [r.key, Number(r.value)])).toEqual([
      ['pressure', 0.25],
      ['running', 0],
    ]);
    const row = await dev(a.id);
    expect(Number(row.rejected_count)).toBe(11);
    expect(row.last_error).toBe('unknown_key: bogus');
    expect(row.last_error_at).toBe(T0.toISOString());
    expect(row.status).toBe('online');
    const byReason = Object.fromEntries(
      (await db().selectFrom('device_rejects').selectAll().where('device_id', '=', a.id).execute()).map((r) => [r.reason, Number(r.count)]),
    );
    expect(byReason).toEqual({ bad_json: 1, too_large: 1, unknown_key: 2, not_numeric: 2, ts_future: 1, ts_past: 1, bad_ts: 1, bad_shape: 2 });
    expect(p.stats.rejected).toBe(11 + 2);
    expect(Number((await dev(good.id)).rejected_count)).toBe(0);
  });

  it('stores a reading delivered three times exactly once (raw, rollups, hub)', async () => {
    const a = await pump('幂等水泵');
    const p = new IngestPipeline(t.kernel, { batchMs: 10_000 });
    await p.authenticate(a.id, a.secret);
    const seen: Reading[] = [];
    const on = (r: Reading[]) => seen.push(...r.filter((x) => x.deviceId === a.id));
    telemetryHub(t.kernel).on('readings', on);
    const ts = now() - 5000;
    const msg = JSON.stringify({ ts, values: { pressure: 0.42 } });
    p.submit(a.id, 'telemetry', msg);
    p.submit(a.id, 'telemetry', msg); // same batch
    await p.flush();
    p.submit(a.id, 'telemetry', Buffer.from(msg)); // a later batch (redelivery)
    await p.flush();
    telemetryHub(t.kernel).off('readings', on);
    expect(await raw(a.id)).toHaveLength(1);
    for (const table of ['telemetry_1m', 'telemetry_1h']) {
      const r = await untyped(db()).selectFrom(table).selectAll().where('device_id', '=', a.id).execute();
      expect(r.map((x) => [Number(x.count), Number(x.sum)])).toEqual([[1, 0.42]]);
    }
    expect(p.stats).toMatchObject({ stored: 1, duplicates: 2 });
    expect(seen).toEqual([{ deviceId: a.id, deviceTypeCode: 'water_pump', communityId: w.c1.id, placePath: w.estate1.path, key: 'pressure', ts, value: 0.42 }]);
  });

  it('writes a backlog larger than a batch in several transactions, all stored when flush resolves', async () => {
    const a = await pump('积压水泵');
    const p = new IngestPipeline(t.kernel, { batchMs: 10_000, maxBatch: 100, burst: 1000 });
    await p.authenticate(a.id, a.secret);
    const batches: number[] = [];
    const on = (r: Reading[]) => void batches.push(r.filter((x) => x.deviceId === a.id).length);
    telemetryHub(t.kernel).on('readings', on);
    const base = now() - 60_000;
    // 350 readings queued at once (no timer fires: a backlog, as after a stall)
    for (let i = 0; i < 35; i++)
      p.submit(a.id, 'telemetry', JSON.stringify(Array.from({ length: 10 }, (_, j) => ({ ts: base + i * 10 + j, values: { pressure: 0.3 } }))), {
        throttle: false,
      });
    await p.flush();
    telemetryHub(t.kernel).off('readings', on);
    expect(await raw(a.id)).toHaveLength(350);
    expect(batches.filter((n) => n > 0)).toEqual([100, 100, 100, 50]);
  });

  it('keeps min/max/sum/count per minute and hour, and the newest value as latest', async () => {
    const a = await pump('汇总水泵');
    const p = new IngestPipeline(t.kernel, { batchMs: 10_000 });
    await p.authenticate(a.id, a.secret);
    const m0 = Math.floor(now() / 60_000) * 60_000 - 120_000; // two whole minutes ago
    p.submit(a.id, 'telemetry', [
      { ts: m0 + 1000, values: { pressure: 2 } },
      { ts: m0 + 2000, values: { pressure: 6 } },
    ]);
    await p.flush();
    p.submit(a.id, 'telemetry', [
      { ts: m0 + 3000, values: { pressure: 1 } },
      { ts: m0 + 61_000, values: { pressure: 10 } },
    ]);
    p.submit(a.id, 'telemetry', { ts: m0 + 500, values: { pressure: 99 } }); // older: not the latest
    await p.flush();
    const m = await db().selectFrom('telemetry_1m').selectAll().where('device_id', '=', a.id).orderBy('bucket').execute();
    expect(m.map((r) => [Number(r.bucket), Number(r.min), Number(r.max), Number(r.sum), Number(r.count)])).toEqual([
      [m0, 1, 99, 108, 4],
      [m0 + 60_000, 10, 10, 10, 1],
    ]);
    const h = await db().selectFrom('telemetry_1h').selectAll().where('device_id', '=', a.id).execute();
    const hours = new Set([Math.floor(m0 / 3_600_000), Math.floor((m0 + 61_000) / 3_600_000)]).size;
    expect(h.reduce((s, r) => s + Number(r.count), 0)).toBe(5);
    expect(h).toHaveLength(hours);
    expect(Math.min(...h.map((r) => Number(r.min)))).toBe(1);
    expect(Math.max(...h.map((r) => Number(r.max)))).toBe(99);
    const latest = await db().selectFrom('telemetry_latest').selectAll().where('device_id', '=', a.id).execute();
    expect(latest.map((r) => [r.key, Number(r.ts), Number(r.value)])).toEqual([['pressure', m0 + 61_000, 10]]);
  });

  it('throttles a flooding device while another device is stored', async () => {
    const flood = await pump('洪水水泵');
    const calm = await pump('平静水泵');
    const p = new IngestPipeline(t.kernel, { batchMs: 10_000, ratePerSec: 50, burst: 100 });
    await p.authenticate(flood.id, flood.secret);
    await p.authenticate(calm.id, calm.secret);
    let throttled = 0;
    for (let i = 0; i < 500; i++) {
      const r = p.submit(flood.id, 'telemetry', { ts: now() - i, values: { pressure: i } });
      if (r.error === 'throttled') throttled++;
      if (i % 25 === 0) expect(p.submit(calm.id, 'telemetry', { ts: now() - i, values: { flow: i } })).toEqual({ accepted: 1, rejected: 0 });
    }
    expect(throttled).toBe(400); // the clock stands still: only the burst gets through
    clock.advance(1000); // one second later: 50 more tokens
    let ok = 0;
    for (let i = 0; i < 100; i++) if (p.submit(flood.id, 'telemetry', { ts: now() - 10_000 - i, values: { pressure: i } }).accepted) ok++;
    expect(ok).toBe(50);
    await p.close();
    expect(await raw(flood.id)).toHaveLength(150);
    expect(await raw(calm.id)).toHaveLength(20);
    const row = await dev(flood.id);
    expect(Number(row.rejected_count)).toBe(450);
    expect(row.last_error).toBe('throttled');
    expect(row.throttled_until).not.toBeNull();
  });

  it('accepts HTTP ingest with the device credential and refuses wrong ones', async () => {
    const a = await pump('HTTP水泵');
    const anon = anonymous(t.app);
    const auth = (id: string, s: string) => ({ authorization: 'Basic ' + Buffer.from(`${id}:${s}`).toString('base64'), 'content-type': 'application/json' });
    const batch = [
      { ts: now() - 2000, values: { pressure: 0.3 } },
      { deviceId: a.id, ts: new Date(now() - 1000).toISOString(), values: { pressure: 0.31, flow: 12, nope: 1 } },
    ];
    const r = await anon.req('POST', '/api/v1/ingest/telemetry', batch, auth(a.id, a.secret));
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ accepted: 3, rejected: 1, error: 'unknown_key: nope' });
    const single = await anon.req('POST', '/api/v1/ingest/telemetry', { values: { running: 1 } }, auth(a.id, a.secret));
    expect(single.status).toBe(202);
    const bad = await anon.req('POST', '/api/v1/ingest/telemetry', '{"values":', auth(a.id, a.secret));
    expect(bad.status).toBe(400); // nothing accepted is never 2xx (ingest.http.test.ts)
    expect(bad.json).toMatchObject({ code: 'devices.ingest_refused', accepted: 0, rejected: 1 });
    expect((await anon.req('POST', '/api/v1/ingest/telemetry', batch, auth(a.id, 'wrong-secret'))).status).toBe(401);
    expect((await anon.req('POST', '/api/v1/ingest/telemetry', batch, auth('dev_nope', a.secret))).status).toBe(401);
    const none = await anon.req('POST', '/api/v1/ingest/telemetry', batch, { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect(none.json.code).toBe('devices.bad_credentials');
    const other = await pump('别的水泵');
    const spoof = await anon.req('POST', '/api/v1/ingest/telemetry', [{ deviceId: other.id, values: { pressure: 1 } }], auth(a.id, a.secret));
    expect(spoof.status).toBe(422);
    expect(spoof.json).toMatchObject({ accepted: 0, rejected: 1, errors: [{ field: '0.deviceId', code: 'devices.ingest_bad_shape' }] });
    await ingestPipeline(t.kernel).flush();
    expect((await raw(a.id)).map((x) => x.key)).toEqual(['flow', 'pressure', 'pressure', 'running']);
    expect(await raw(other.id)).toHaveLength(0);
    const d = await getDevice(t.kernel, a.id);
    expect(d?.status).toBe('online');
    expect(Number((await dev(a.id)).rejected_count)).toBe(3);
  });

  it('marks silent devices offline by the job and back online on the next message', async () => {
    const a = await pump('离线水泵');
    const p = ingestPipeline(t.kernel);
    await p.authenticate(a.id, a.secret);
    const changes: any[] = [];
    const on = (s: any) => s.deviceId === a.id && changes.push(s.status);
    telemetryHub(t.kernel).on('status', on);
    p.submit(a.id, 'telemetry', { values: { pressure: 0.3 } });
    await p.flush();
    expect((await dev(a.id)).status).toBe('online');
    clock.advance(60_000);
    await t.kernel.jobs.runDue();
    expect((await dev(a.id)).status).toBe('online'); // within the 120 s heartbeat window
    clock.advance(90_000);
    clock.advance(30_000); // a fresh 30 s slot
    expect(await t.kernel.jobs.runDue()).toContain('devices.offline');
    expect((await dev(a.id)).status).toBe('offline');
    p.submit(a.id, 'telemetry', { values: { pressure: 0.3 } });
    await p.flush();
    expect((await dev(a.id)).status).toBe('online');
    p.submit(a.id, 'status', '{"status":"offline"}'); // last will
    await p.flush();
    expect((await dev(a.id)).status).toBe('offline');
    telemetryHub(t.kernel).off('status', on);
    expect(changes).toEqual(['online', 'offline', 'online', 'offline']);
  });

  it('emits device events and purges old telemetry by the retention job', async () => {
    const a = await pump('事件水泵');
    const p = ingestPipeline(t.kernel);
    await p.authenticate(a.id, a.secret);
    const events: any[] = [];
    const on = (e: any) => e.deviceId === a.id && events.push(e);
    telemetryHub(t.kernel).on('event', on);
    p.submit(a.id, 'events', { type: 'fault', code: 'E12' });
    expect(p.submit(a.id, 'events', { code: 'E12' }).rejected).toBe(1);
    await p.flush();
    telemetryHub(t.kernel).off('event', on);
    expect(events).toEqual([{ deviceId: a.id, type: 'fault', payload: { type: 'fault', code: 'E12' }, ts: now() }]);

    const old = now() - 100 * 86_400_000;
    await db().insertInto('telemetry_raw').values({ device_id: a.id, key: 'pressure', ts: old, value: 1 }).execute();
    await db().insertInto('telemetry_1m').values({ device_id: a.id, key: 'pressure', bucket: old, min: 1, max: 1, sum: 1, count: 1 }).execute();
    await db().insertInto('telemetry_1h').values({ device_id: a.id, key: 'pressure', bucket: old, min: 1, max: 1, sum: 1, count: 1 }).execute();
    clock.advance(86_400_000);
    expect(await t.kernel.jobs.runDue()).toContain('devices.retention');
    expect(await db().selectFrom('telemetry_raw').select('ts').where('device_id', '=', a.id).where('ts', '=', old).execute()).toHaveLength(0);
    expect(await db().selectFrom('telemetry_1m').select('bucket').where('device_id', '=', a.id).where('bucket', '=', old).execute()).toHaveLength(0);
    expect(await db().selectFrom('telemetry_1h').select('bucket').where('device_id', '=', a.id).where('bucket', '=', old).execute()).toHaveLength(1);
  });
});
