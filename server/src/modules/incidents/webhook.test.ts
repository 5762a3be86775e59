// Camera events reaching incidents: Linli's JSON webhook, the Hikvision ISAPI adapter (XML and
// multipart with a picture), MQTT through the embedded broker; idempotency, the dedup window and
// refused input (counted, problem+json, never a 500).
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import pino from 'pino';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { createDevice, ingestPipeline } from '../devices/index.js';
import { startEmbeddedIngest } from '../devices/mqtt.transport.js';
import { freePort, waitFor } from '../devices/mqtt.fixtures.js';
import { basic, buildCamera, hikMultipart, hikXml, jpeg, post } from './incidents.fixtures.js';

const T0 = new Date('2026-11-25T02:00:00.000Z');
const HOOK = '/api/v1/incidents/camera-events';
const HIK = '/api/v1/incidents/camera-events/hikvision';

describeEachDialect('camera events', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  let gate: { id: string; secret: string }, square: { id: string; secret: string }, other: { id: string; secret: string };
  let guard: Client, guardC2: Client, pm: Client;
  let cred: string;

  const incident = async (id: string) => (await guard.get(`/api/v1/incidents/${id}`)).json;
  const rejects = async (source: string, reason: string) =>
    Number(
      (await t.kernel.db.selectFrom('camera_event_rejects').select('count').where('source', '=', source).where('reason', '=', reason).executeTakeFirst())
        ?.count ?? 0,
    );
  const event = (o: Record<string, unknown> = {}) => JSON.stringify({ eventId: `e-${Math.random()}`, kind: 'motion', ...o });

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    gate = await buildCamera(t.kernel, w.estate1.id, '西门摄像头');
    square = await buildCamera(t.kernel, w.estate1.id, '广场摄像头');
    other = await buildCamera(t.kernel, w.estate2.id, '南湖东门摄像头');
    cred = basic(gate.id, gate.secret);
    await buildStaff(t.kernel, 'ce_guard', 'security_guard', w.c1);
    await buildStaff(t.kernel, 'ce_guard2', 'security_guard', w.c2);
    await buildStaff(t.kernel, 'ce_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'ce_admin', 'platform_admin', null);
    guard = await login(t.app, 'ce_guard', PASSWORD);
    guardC2 = await login(t.app, 'ce_guard2', PASSWORD);
    pm = await login(t.app, 'ce_pm', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('refuses callers without the camera credential', async () => {
    expect((await post(t.app, HOOK, null, event())).status).toBe(401);
    expect((await post(t.app, HOOK, basic(gate.id, 'wrong'), event())).status).toBe(401);
    const res = await post(t.app, HIK, basic('dev_nobody', 'x'), hikXml(), 'application/xml');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('problem+json');
  });

  it('opens an incident from a JSON event, stores a resent event once, and notifies the guards of that place only', async () => {
    const body = event({ eventId: 'gate-0001', kind: 'intrusion', zone: '围墙北侧' });
    const first = await post(t.app, HOOK, cred, body);
    expect(first.status, first.body).toBe(201);
    expect(first.json.incidentId).toMatch(/^inc_/);
    const again = await post(t.app, HOOK, cred, body);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, eventId: first.json.eventId, incidentId: first.json.incidentId });
    const inc = await incident(first.json.incidentId);
    expect(inc).toMatchObject({ status: 'new', kind: 'intrusion', cameraId: gate.id, eventCount: 1 });
    expect(inc.events).toHaveLength(1);
    expect(inc.events[0]).toMatchObject({ source: 'webhook', eventKey: 'gate-0001', detail: { zone: '围墙北侧' } });

    const inbox = await guard.get('/api/v1/notifications');
    expect(inbox.json.items.find((n: any) => n.kind === 'incidents.new' && n.link === `/incidents/${inc.id}`)).toBeTruthy();
    expect((await pm.get('/api/v1/notifications')).json.items.some((n: any) => n.link === `/incidents/${inc.id}`)).toBe(true);
    expect((await guardC2.get('/api/v1/notifications')).json.items.some((n: any) => n.link === `/incidents/${inc.id}`)).toBe(false);
    expect((await guardC2.get(`/api/v1/incidents/${inc.id}`)).status).toBe(404);
  });

  it('attaches a burst of motion events at one camera to one incident, and opens a new one after the window', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = await post(t.app, HOOK, basic(square.id, square.secret), event({ eventId: `burst-${i}` }));
      expect(r.status).toBe(201);
      ids.add(r.json.incidentId);
    }
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect((await incident(id!)).eventCount).toBe(50);
    // another kind at the same camera is another incident
    const fire = await post(t.app, HOOK, basic(square.id, square.secret), event({ kind: 'smoke_fire' }));
    expect(fire.json.incidentId).not.toBe(id);
    // default motion window: 10 minutes after the last event
    clock.advance(11 * 60_000);
    const later = await post(t.app, HOOK, basic(square.id, square.secret), event());
    expect(later.status).toBe(201);
    expect(later.json.incidentId).not.toBe(id);
    expect((await incident(id!)).eventCount).toBe(50);
  });

  it('refuses malformed events with a problem, counts them, and never answers 500', async () => {
    const bad = [
      ['{"eventId": ', 400, 'bad_json'],
      [event({ kind: 'alien' }), 422, 'bad_shape'],
      [JSON.stringify({ kind: 'motion' }), 422, 'bad_shape'],
      [event({ cameraId: square.id }), 422, 'camera_mismatch'],
      ['[]', 422, 'bad_shape'],
    ] as const;
    for (const [body, status, reason] of bad) {
      const before = await rejects('webhook', reason);
      const res = await post(t.app, HOOK, cred, body);
      expect(res.status, `${body} → ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await rejects('webhook', reason)).toBe(before + 1);
    }
    const admin = await login(t.app, 'ce_admin', PASSWORD);
    const counters = (await admin.get('/api/v1/camera-event-rejects')).json.items;
    expect(counters).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'webhook', reason: 'bad_json', count: 1 })]));
    expect((await pm.get('/api/v1/camera-event-rejects')).status).toBe(403);
    const kind = await post(t.app, HOOK, cred, event({ kind: 'alien' }));
    expect(kind.json.errors.map((e: any) => e.field)).toContain('kind');
    // a device that is not a camera
    const pump = await createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate1.id, name: '水泵' });
    const res = await post(t.app, HOOK, basic(pump.id, pump.secret), event());
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('incidents.not_a_camera');
  });

  it('maps Hikvision EventNotificationAlert XML onto our kinds and matches the camera by its configured MAC and channel', async () => {
    // the gate camera is configured with its MAC; an NVR-style sender (the square camera's credential) posts for it
    expect((await pm.req('PUT', `/api/v1/cameras/${gate.id}`, { mac: '44-19-B6-AA-BB-01', channel: 1, ip: '192.168.1.64' })).status).toBe(200);
    const at = clock.now().toISOString();
    const res = await post(
      t.app,
      HIK,
      basic(square.id, square.secret),
      hikXml({ type: 'linedetection', mac: '44:19:b6:aa:bb:01', at }),
      'application/xml; charset="UTF-8"',
    );
    expect(res.status, res.body).toBe(201);
    const inc = await incident(res.json.incidentId);
    expect(inc).toMatchObject({ cameraId: gate.id, kind: 'intrusion' });
    expect(inc.events[0]).toMatchObject({ source: 'hikvision', detail: { eventType: 'linedetection', mac: '44:19:b6:aa:bb:01' } });
    // the same notification resent: stored once
    const again = await post(t.app, HIK, basic(square.id, square.secret), hikXml({ type: 'linedetection', mac: '44:19:b6:aa:bb:01', at }), 'application/xml');
    expect(again.json).toMatchObject({ duplicate: true, eventId: res.json.eventId });

    for (const [type, kind] of [
      ['VMD', 'motion'],
      ['fielddetection', 'intrusion'],
      ['loitering', 'loitering'],
      ['smoke', 'smoke_fire'],
      ['fire', 'smoke_fire'],
    ]) {
      const r = await post(
        t.app,
        HIK,
        cred,
        hikXml({ type, mac: '44:19:b6:aa:bb:01', at: clock.now().toISOString(), count: Math.floor(Math.random() * 1e6) }),
        'application/xml',
      );
      expect(r.status, r.body).toBe(201);
      expect((await incident(r.json.incidentId)).kind).toBe(kind);
    }
  });

  it("reads a camera clock without a zone in the community's time zone (Asia/Shanghai)", async () => {
    const utc = new Date(clock.now().getTime() - 60_000);
    const local = new Date(utc.getTime() + 8 * 3_600_000).toISOString().slice(0, 19); // "2026-11-25T10:10:00"
    const r = await post(t.app, HIK, cred, hikXml({ type: 'VMD', mac: '44:19:b6:aa:bb:01', at: local, count: 4242 }), 'application/xml');
    expect(r.status, r.body).toBe(201);
    const ev = (await incident(r.json.incidentId)).events.find((e: any) => e.id === r.json.eventId);
    expect(ev.at).toBe(utc.toISOString());
  });

  it('acknowledges inactive and unmapped Hikvision events without storing them, and refuses unknown cameras and bad XML', async () => {
    const inactive = await post(t.app, HIK, cred, hikXml({ type: 'videoloss', state: 'inactive', mac: '44:19:b6:aa:bb:01' }), 'application/xml');
    expect(inactive.status).toBe(200);
    expect(inactive.json).toMatchObject({ eventId: null, ignored: 'unmapped' });
    const ended = await post(t.app, HIK, cred, hikXml({ type: 'VMD', state: 'inactive', mac: '44:19:b6:aa:bb:01' }), 'application/xml');
    expect(ended.json.ignored).toBe('inactive');

    // a MAC nobody configured, sent by a camera configured with another MAC
    const before = await rejects('hikvision', 'unknown_camera');
    const unknown = await post(t.app, HIK, cred, hikXml({ mac: '00:11:22:33:44:55', ip: '10.0.0.9' }), 'application/xml');
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json.code).toBe('incidents.unknown_camera');
    expect(await rejects('hikvision', 'unknown_camera')).toBe(before + 1);
    // a camera of another community is unknown too
    await pm.req('PUT', `/api/v1/cameras/${square.id}`, { location: '中心广场' });
    const foreign = await post(t.app, HIK, basic(other.id, other.secret), hikXml({ mac: '44:19:b6:aa:bb:01' }), 'application/xml');
    expect(foreign.status).toBe(422);

    for (const [body, code] of [
      ['<EventNotificationAlert><eventType>VMD', 'incidents.bad_xml'],
      ['<other/>', 'incidents.bad_event'],
      ['', 'incidents.bad_xml'],
      ['<!DOCTYPE x [<!ENTITY a "aaaa">]><EventNotificationAlert><eventType>&a;&a;</eventType></EventNotificationAlert>', 'incidents.bad_xml'],
    ]) {
      const r = await post(t.app, HIK, cred, body, 'application/xml');
      expect(r.status, body).toBeLessThan(500);
      expect(r.status).toBeGreaterThanOrEqual(400);
      if (body) expect(r.json.code).toBe(code);
    }
    expect(await rejects('hikvision', 'bad_xml')).toBeGreaterThanOrEqual(1);
  });

  it('stores the picture of a multipart Hikvision notification for those who may read the incident', async () => {
    const m = hikMultipart(hikXml({ type: 'linedetection', mac: '44:19:b6:aa:bb:01', at: clock.now().toISOString(), count: 77 }), jpeg());
    const res = await post(t.app, HIK, cred, m.payload, m.contentType);
    expect(res.status, res.body).toBe(201);
    const inc = await incident(res.json.incidentId);
    const ev = inc.events.find((e: any) => e.id === res.json.eventId);
    expect(ev.pictureUrl).toMatch(/^\/api\/v1\/incidents\/pictures\//);
    const img = await guard.get(ev.pictureUrl);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await guardC2.get(ev.pictureUrl)).status).toBe(404);
  });

  it('reads the XML part also when it comes as a file, and refuses a broken form without a 500', async () => {
    const m = hikMultipart(hikXml({ type: 'fielddetection', mac: '44:19:b6:aa:bb:01', at: clock.now().toISOString(), count: 78 }), jpeg(), { xmlAsFile: true });
    const ok = await post(t.app, HIK, cred, m.payload, m.contentType);
    expect(ok.status, ok.body).toBe(201);
    expect((await incident(ok.json.incidentId)).kind).toBe('intrusion');
    const broken = await post(t.app, HIK, cred, m.payload.subarray(0, 120), m.contentType);
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    const noXml = hikMultipart('', jpeg());
    const none = await post(t.app, HIK, cred, noXml.payload, noXml.contentType);
    expect(none.status).toBe(400);
    expect(none.json.code).toBe('incidents.bad_xml');
  });

  it('takes camera events over MQTT (embedded broker) and stores a redelivered one once', async () => {
    const port = await freePort();
    const broker = await startEmbeddedIngest(port, '127.0.0.1', ingestPipeline(t.kernel), pino({ level: 'silent' }));
    if (!broker) throw new Error('embedded broker did not start');
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: other.id, username: other.id, password: other.secret, reconnectPeriod: 0 });
      const msg = JSON.stringify({ type: 'loitering', eventId: 'mq-1', zone: '地库入口' });
      await c.publishAsync(`linli/v1/devices/${other.id}/events`, msg, { qos: 1 });
      await c.publishAsync(`linli/v1/devices/${other.id}/events`, msg, { qos: 1, dup: true });
      // a device event that is no camera event is left alone
      await c.publishAsync(`linli/v1/devices/${other.id}/events`, JSON.stringify({ type: 'reboot' }), { qos: 1 });
      await c.endAsync();
      let list: any;
      // the PUBACK means stored by the ingest; the incident follows from its event stream
      await waitFor(async () => (list = (await guardC2.get(`/api/v1/incidents?cameraId=${other.id}`)).json).total > 0, 15_000);
      await ingestPipeline(t.kernel).flush();
      list = (await guardC2.get(`/api/v1/incidents?cameraId=${other.id}`)).json;
      expect(list.total).toBe(1);
      const inc = (await guardC2.get(`/api/v1/incidents/${list.items[0].id}`)).json;
      expect(inc).toMatchObject({ kind: 'loitering', eventCount: 1 });
      expect(inc.events).toEqual([expect.objectContaining({ source: 'mqtt', eventKey: 'mq-1', detail: { zone: '地库入口' } })]);
    } finally {
      await broker.close();
    }
  });

  it("shows a camera's health from its heartbeat: online after it spoke, offline when it falls silent", async () => {
    await ingestPipeline(t.kernel).flush();
    const online = (await guard.get('/api/v1/cameras')).json.items.find((c: any) => c.id === square.id);
    expect(online.health).toBe('online');
    clock.advance(10 * 60_000); // the camera type's heartbeat is 120 s
    await ingestPipeline(t.kernel).markStaleOffline(clock.now().getTime());
    const cams = (await guard.get('/api/v1/cameras')).json;
    expect(cams.items.find((c: any) => c.id === square.id).health).toBe('offline');
    expect(cams.totals.offline).toBeGreaterThanOrEqual(2);
  });
});
