// Camera clocks through the real HTTP app: vendor time dialects, clocks that are wrong (the
// alarm is kept, stored at its receipt, the camera's claim beside it, the camera flagged until
// its clock comes right), a camera's own time zone, and MQTT events with a wrong ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { ingestPipeline } from '../devices/index.js';
import { waitFor } from '../devices/mqtt.fixtures.js';
import { basic, buildCamera, hikXml, post } from './incidents.fixtures.js';
import { HIK_DOUBLE_SIGN_VMD, HIK_V4_VMD, withTime } from './hikvision.samples.js';

const T0 = new Date('2026-11-25T02:00:00.000Z');
const HOOK = '/api/v1/incidents/camera-events';
const HIK = '/api/v1/incidents/camera-events/hikvision';

/** `ms` as a camera at UTC−8 writes it, with a one-digit offset ("…-8:00", or "--8:00"). */
const minus8 = (ms: number, sign = '-') => new Date(ms - 8 * 3_600_000).toISOString().slice(0, 19) + sign + '8:00';

describeEachDialect('camera clocks', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  let guard: Client, pm: Client;
  let n = 0;
  const camera = async () => {
    const c = await buildCamera(t.kernel, w.estate1.id, `钟摄像头${++n}`);
    return { ...c, cred: basic(c.id, c.secret) };
  };
  const eventOf = async (r: { json: any }) => (await guard.get(`/api/v1/incidents/${r.json.incidentId}`)).json.events.find((e: any) => e.id === r.json.eventId);
  const cameraRow = async (id: string) => (await guard.get('/api/v1/cameras?pageSize=200')).json.items.find((c: any) => c.id === id);
  const rejects = async (source: string, reason: string) =>
    Number(
      (await t.kernel.db.selectFrom('camera_event_rejects').select('count').where('source', '=', source).where('reason', '=', reason).executeTakeFirst())
        ?.count ?? 0,
    );

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'clk_guard', 'security_guard', w.c1);
    await buildStaff(t.kernel, 'clk_pm', 'property_manager', w.c1);
    guard = await login(t.app, 'clk_guard', PASSWORD);
    pm = await login(t.app, 'clk_pm', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('takes the one-digit offsets of Hikvision firmware ("-8:00", "--8:00") and stores the alarm at the instant they name', async () => {
    const cam = await camera();
    const at = clock.now().getTime() - 60_000;
    const r = await post(t.app, HIK, cam.cred, withTime(HIK_DOUBLE_SIGN_VMD, minus8(at)), 'application/xml');
    expect(r.status, r.body).toBe(201);
    expect(await eventOf(r)).toMatchObject({ at: new Date(at).toISOString(), claimedAt: new Date(at).toISOString() });
    const r2 = await post(t.app, HIK, cam.cred, withTime(HIK_DOUBLE_SIGN_VMD, minus8(at + 1000, '--')), 'application/xml');
    expect(r2.status, r2.body).toBe(201);
    expect((await eventOf(r2)).at).toBe(new Date(at + 1000).toISOString());
    expect(await cameraRow(cam.id)).toMatchObject({ clockSkewSeconds: -59, clockSkewed: false });
  });

  it('keeps the alarm of a camera whose clock is years off at its receipt, with its claim, and flags the clock until it comes right', async () => {
    const cam = await camera();
    const r = await post(t.app, HIK, cam.cred, HIK_V4_VMD, 'application/xml'); // dated 2009-11-14T15:27Z
    expect(r.status, r.body).toBe(201);
    expect(r.json.incidentId).toMatch(/^inc_/);
    expect(await eventOf(r)).toMatchObject({ at: clock.now().toISOString(), receivedAt: clock.now().toISOString(), claimedAt: '2009-11-14T15:27:00.000Z' });
    const skewed = await cameraRow(cam.id);
    expect(skewed.clockSkewed).toBe(true);
    expect(skewed.clockSkewSeconds).toBe(Math.round((Date.parse('2009-11-14T15:27:00Z') - clock.now().getTime()) / 1000));
    expect(skewed.clockCheckedAt).toBe(clock.now().toISOString());
    // someone sets the camera's clock: its next event is on time and the flag goes
    clock.advance(60_000);
    const ok = await post(t.app, HIK, cam.cred, withTime(HIK_V4_VMD, clock.now().toISOString().slice(0, 19) + 'Z'), 'application/xml');
    expect(ok.status, ok.body).toBe(201);
    expect(await cameraRow(cam.id)).toMatchObject({ clockSkewed: false, clockSkewSeconds: 0, clockCheckedAt: clock.now().toISOString() });
  });

  it('keeps JSON events dated ahead or unreadable, stored at their receipt', async () => {
    const cam = await camera();
    const ahead = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const r = await post(t.app, HOOK, cam.cred, JSON.stringify({ eventId: 'clk-ahead', kind: 'intrusion', at: ahead }));
    expect(r.status, r.body).toBe(201);
    expect(await eventOf(r)).toMatchObject({ at: clock.now().toISOString(), claimedAt: ahead });
    expect(await cameraRow(cam.id)).toMatchObject({ clockSkewed: true, clockSkewSeconds: 3600 });
    const before = await rejects('webhook', 'bad_time');
    const bad = await post(t.app, HOOK, cam.cred, JSON.stringify({ eventId: 'clk-soon', kind: 'intrusion', at: 'soon' }));
    expect(bad.status, bad.body).toBe(201);
    expect(await eventOf(bad)).toMatchObject({ at: clock.now().toISOString(), claimedAt: null, detail: { unreadableTime: 'soon' } });
    expect(await rejects('webhook', 'bad_time')).toBe(before + 1); // counted, so someone can look at the camera
    expect((await cameraRow(cam.id)).clockSkewSeconds).toBe(3600); // an unreadable time says nothing about the clock
  });

  it("reads a time without an offset in the camera's configured zone, else the community's", async () => {
    const cam = await camera();
    const utc = clock.now().getTime() - 30_000;
    const local = (offsetH: number) => new Date(utc + offsetH * 3_600_000).toISOString().slice(0, 19);
    const a = await post(t.app, HIK, cam.cred, hikXml({ type: 'VMD', mac: null, at: local(8), count: 1 }), 'application/xml');
    expect((await eventOf(a)).at).toBe(new Date(utc).toISOString());
    const bad = await pm.req('PUT', `/api/v1/cameras/${cam.id}`, { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([expect.objectContaining({ field: 'timeZone', code: 'incidents.bad_time_zone' })]);
    expect((await pm.req('PUT', `/api/v1/cameras/${cam.id}`, { timeZone: 'Asia/Urumqi' })).json.timeZone).toBe('Asia/Urumqi');
    const b = await post(t.app, HIK, cam.cred, hikXml({ type: 'VMD', mac: null, at: local(6), count: 2 }), 'application/xml');
    expect(b.status, b.body).toBe(201);
    expect((await eventOf(b)).at).toBe(new Date(utc).toISOString());
  });

  it('keeps an MQTT camera event whose ts is days ahead, at its receipt', async () => {
    const cam = await camera();
    const ts = clock.now().getTime() + 2 * 86_400_000;
    const r = ingestPipeline(t.kernel).submit(cam.id, 'events', JSON.stringify({ type: 'smoke_fire', eventId: 'clk-mq', ts }));
    expect(r.rejected ?? 0).toBe(0);
    await ingestPipeline(t.kernel).flush();
    let list: any;
    await waitFor(async () => (list = (await guard.get(`/api/v1/incidents?cameraId=${cam.id}`)).json).total > 0, 15_000);
    const inc = (await guard.get(`/api/v1/incidents/${list.items[0].id}`)).json;
    expect(inc.events[0]).toMatchObject({ source: 'mqtt', at: clock.now().toISOString(), claimedAt: new Date(ts).toISOString() });
  });
});
