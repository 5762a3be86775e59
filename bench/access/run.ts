// bench/access: door decisions with 50,000 credentials and 500 doors (one estate gate per 10
// doors' controller, unit doors), measured in one process against a baseline:
//  - HTTP decisions/s (POST /api/v1/access/decisions with Basic controller auth, keep-alive,
//    `--concurrency` requests in flight) vs a bare Fastify route answering a constant, same client;
//  - server-side decision time p50/p99 (Fastify's reply.elapsedTime of the decisions route);
//  - MQTT decisions/s on the embedded broker (Aedes; MQTT 3.1.1 with the correlation id in the
//    body) and through an external broker (`--mqtt-url`, default the machine's Mosquitto at
//    mqtt://127.0.0.1:1883; MQTT 5 response topic and correlation data; a second app on the same
//    database, started as a scale-out node is), `--concurrency` controllers with one request in
//    flight each; the ingest pipeline runs as in production (the external broker's share group
//    also stores each request as a device event);
//  - QR token verifications/s on one core (Ed25519 verify + parse + scope/expiry checks).
// Setup rows are bulk-inserted (not timed). Prints JSON. Not a test.
//
//   npx tsx bench/access/run.ts [--credentials 50000] [--doors 500] [--seconds 20] [--concurrency 32] [--pg postgres://…/postgres] [--mqtt-url mqtt://127.0.0.1:1883 | --mqtt-url none]
//        [--rounds 10] (decisions and the bare route alternate in this many slices; 2-s slices: on the shared
//        2-core host 0.8-s slices moved the ratio by ±0.04 from run to run) [--no-mqtt] (skip both MQTT runs) [--stages] (also: a constant route inside the app, with all its hooks, and decisions called without HTTP) [--profile-http FILE.cpuprofile] (CPU profile of the timed HTTP decisions only)
import crypto from 'node:crypto';
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import pino from 'pino';
import mqtt from 'mqtt';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { insertMany, openDatabase } from '../../server/src/kernel/db/index.js';
import { freePort } from '../../server/src/modules/devices/mqtt.fixtures.js';
import { ingestPipeline } from '../../server/src/modules/devices/index.js';
import { startMqttTransport } from '../../server/src/modules/devices/mqtt.transport.js';
import { accessMqtt, accessServices } from '../../server/src/modules/access/index.js';
import { newId } from '../../server/src/kernel/ids.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { createDevice } from '../../server/src/modules/devices/index.js';
import { AccessSetupService } from '../../server/src/modules/access/index.js';
import { valueIndex } from '../../server/src/modules/access/access.credentials.service.js';
import { generateKeyPair, signToken, verifyToken } from '../../server/src/modules/access/access.qr.js';
import { arg, freshPgDatabase, percentiles } from '../registry/util.js';
import { printResult } from '../result.js';

const CREDS = arg('credentials', 50_000);
const DOORS = arg('doors', 500);
const SECONDS = arg('seconds', 20);
const CONC = arg('concurrency', 32);
const pgIdx = process.argv.indexOf('--pg');
const PG = pgIdx > 0 ? process.argv[pgIdx + 1] : null;
const mqttIdx = process.argv.indexOf('--mqtt-url');
const MQTT_URL = mqttIdx > 0 ? process.argv[mqttIdx + 1] : 'mqtt://127.0.0.1:1883';
const NO_MQTT = process.argv.includes('--no-mqtt');
const STAGES = process.argv.includes('--stages');
const ROUNDS = arg('rounds', 10);
const profIdx = process.argv.indexOf('--profile-http');
const PROFILE = profIdx > 0 ? process.argv[profIdx + 1] : null;
const dir = path.resolve('bench/.data/access');
const system = {
  userId: 'usr_bench',
  kind: 'staff' as const,
  name: 'bench',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};

/** `conc` loops sending requests for `seconds`; returns requests per second. */
async function load(url: string, next: () => { body: string; headers?: Record<string, string> }, seconds: number, conc: number) {
  let n = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (performance.now() < end) {
        const q = next();
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...q.headers }, body: q.body });
        await r.arrayBuffer();
        if (r.status === 200) n++;
        else errors++;
      }
    }),
  );
  return { n, perSecond: Math.round(n / seconds), errors };
}

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fresh = PG ? await freshPgDatabase(PG, 'linli_bench_access') : null;
  const url = fresh?.url ?? null;
  // the database is opened here so a second app (the external-broker node) can share it
  const database = openDatabase({ url, sqliteFile: path.join(dir, 'linli.db') });
  const config = loadConfig({
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_MQTT_PORT: String(await freePort()),
    LINLI_HOST: '127.0.0.1',
    LINLI_NODE_ID: `bench-access-${process.pid}`,
  });
  const { app, kernel: k } = await buildApp({ config, database, logger: pino({ level: 'silent' }), rateLimit: 100_000_000 });
  // --stages: the app's per-request cost without the decision (same hooks, helmet, rate limit, auth gate)
  if (STAGES)
    app.post('/api/v1/bench-constant', { config: { auth: 'public', csrfExempt: true } }, async () => ({ result: 'allow', reason: 'resident', openSeconds: 5 }));
  const serverMs: number[] = [];
  app.addHook('onResponse', async (req, reply) => {
    if (req.url === '/api/v1/access/decisions') serverMs.push(reply.elapsedTime);
  });
  await app.ready();

  // ---- setup (not timed): an estate with DOORS/10 buildings × 10 units, one unit door each ----
  const t0 = performance.now();
  const places = new PlacesService(k);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110199', regionLevel: 'district' }, null);
  const c = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const e = await places.insertPlace({ kind: 'estate', name: '基准小区' }, c);
  const setup = new AccessSetupService(k);
  const units: { id: string; path: string }[] = [];
  const controllers: { id: string; secret: string }[] = [];
  const doors: { id: string; controller: number; unit: number }[] = [];
  const buildings = Math.ceil(DOORS / 10);
  for (let b = 0; b < buildings; b++) {
    const bld = await places.insertPlace({ kind: 'building', name: `${b + 1}号楼` }, e);
    const ctl = await createDevice(k, { typeCode: 'door_controller', placeId: bld.id, name: `控制器${b}` });
    controllers.push(ctl);
    for (let u = 0; u < 10 && doors.length < DOORS; u++) {
      const unit = await places.insertPlace({ kind: 'unit', name: `${u + 1}单元` }, bld);
      units.push({ id: unit.id, path: unit.path });
      const p = await setup.createPoint(
        system,
        { placeId: unit.id, kind: 'unit_door', name: `${b + 1}-${u + 1}`, direction: 'both', controllerId: ctl.id },
        '127.0.0.1',
      );
      doors.push({ id: p.id, controller: b, unit: units.length - 1 });
    }
  }
  const now = new Date().toISOString();
  const houses: Record<string, unknown>[] = [];
  const residents: Record<string, unknown>[] = [];
  const residencies: Record<string, unknown>[] = [];
  const creds: Record<string, unknown>[] = [];
  const cards: { card: string; door: number }[] = [];
  for (let i = 0; i < CREDS; i++) {
    const door = i % doors.length;
    const unit = units[doors[door].unit];
    const hid = newId('hse');
    const hpath = `${unit.path}${hid}/`;
    houses.push({
      id: hid,
      kind: 'house',
      region_level: null,
      parent_id: unit.id,
      path: hpath,
      community_id: c.id,
      name: `${i}`,
      code: null,
      floor: 1,
      area_m2: 80,
      house_use: 'residential',
      time_zone: null,
      sort: 0,
      created_at: now,
      updated_at: now,
    });
    const rid = newId('res');
    residents.push({
      id: rid,
      community_id: c.id,
      place_path: hpath,
      name: `住户${i}`,
      id_type: '01',
      id_number_enc: k.vault.encrypt(`bench${i}`),
      id_number_bidx: k.vault.blindIndex('bench', String(i)),
      gender: '1',
      birth_date: '1980-01-01',
      ethnicity: '01',
      phone_enc: null,
      phone_bidx: null,
      tags: '[]',
      status: 'active',
      note: null,
      created_at: now,
      updated_at: now,
    });
    residencies.push({
      id: newId('rsd'),
      resident_id: rid,
      house_id: hid,
      household_id: null,
      community_id: c.id,
      place_path: hpath,
      role: 'owner',
      relation: null,
      move_in: '2020-01-01',
      move_out: null,
      move_out_reason: null,
      created_at: now,
    });
    const card = String(1_000_000 + i);
    cards.push({ card, door });
    creds.push({
      id: newId('acr'),
      community_id: c.id,
      place_path: c.path,
      resident_id: rid,
      type: 'card',
      value_bidx: valueIndex(k, c.id, 'card', card),
      value_enc: k.vault.encrypt(card),
      label: '****',
      card_format: 'w26',
      status: 'active',
      valid_from: null,
      valid_until: null,
      revoked_at: null,
      revoke_reason: null,
      created_at: now,
      created_by: null,
    });
  }
  for (const [table, rows] of [
    ['places', houses],
    ['residents', residents],
    ['residencies', residencies],
    ['access_credentials', creds],
  ] as const) {
    for (let i = 0; i < rows.length; i += 10_000) await k.db.transaction().execute((tx) => insertMany(k.database, tx, table, rows.slice(i, i + 10_000)));
  }
  const setupS = (performance.now() - t0) / 1000;

  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const auth = controllers.map((x) => 'Basic ' + Buffer.from(`${x.id}:${x.secret}`).toString('base64'));
  let seq = 0;
  // each request: a random resident's card at their own unit door (an allow), sent by that door's controller
  const pick = () => cards[Math.floor(Math.random() * cards.length)];
  // Basic auth must match the door's controller
  const decideOnce = async () => {
    const x = pick();
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/access/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth[doors[x.door].controller] },
      body: JSON.stringify({ eventId: `w${++seq}`, doorId: doors[x.door].id, credentialType: 'card', value: x.card }),
    });
    return (await r.json()) as { result: string };
  };
  // warm-up and a correctness check
  for (let i = 0; i < 300; i++) {
    const d = await decideOnce();
    if (d.result !== 'allow') throw new Error(`expected allow, got ${JSON.stringify(d)}`);
  }
  const inspector = PROFILE ? new Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  // ---- baseline: a bare Fastify route that returns a constant, same client and concurrency ----
  serverMs.length = 0;
  const bare = Fastify();
  bare.post('/d', async () => ({ result: 'allow', reason: 'resident', openSeconds: 5 }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bport = (bare.server.address() as { port: number }).port;
  const bareBody = () => ({ body: JSON.stringify({ eventId: `x${++seq}`, doorId: 'acp_x', credentialType: 'card', value: '1' }) });
  await load(`http://127.0.0.1:${bport}/d`, bareBody, 0.3, CONC); // warm-up
  // Decisions and the bare route take turns in ROUNDS short slices, so a change in the machine's
  // load (it is shared) falls on both about equally and the ratio stays meaningful.
  let n = 0;
  let errors = 0;
  let bareN = 0;
  const slice = SECONDS / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    const d = await load(
      `http://127.0.0.1:${port}/api/v1/access/decisions`,
      () => {
        const x = pick();
        return {
          headers: { authorization: auth[doors[x.door].controller] },
          body: JSON.stringify({ eventId: `d${++seq}`, doorId: doors[x.door].id, credentialType: 'card', value: x.card }),
        };
      },
      slice,
      CONC,
    );
    n += d.n;
    errors += d.errors;
    const b = await load(`http://127.0.0.1:${bport}/d`, bareBody, slice, CONC);
    bareN += b.n;
  }
  await bare.close();
  const baseline = { perSecond: Math.round(bareN / SECONDS) };
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(PROFILE!, JSON.stringify(profile));
    inspector.disconnect();
  }
  const decisions = { perSecond: Math.round(n / SECONDS), errors };
  let stages: Record<string, unknown> | undefined;
  if (STAGES) {
    const appConstant = await load(
      `http://127.0.0.1:${port}/api/v1/bench-constant`,
      () => ({ body: JSON.stringify({ eventId: `x${++seq}`, doorId: 'acp_x', credentialType: 'card', value: '1' }) }),
      SECONDS,
      CONC,
    );
    // the decision itself (image, rules, the log write), one at a time, without HTTP
    const decider = accessServices(k).decider;
    let direct = 0;
    const dEnd = performance.now() + SECONDS * 1000;
    while (performance.now() < dEnd) {
      const x = pick();
      await decider.decide(controllers[doors[x.door].controller].id, { eventId: `s${++seq}`, doorId: doors[x.door].id, credentialType: 'card', value: x.card });
      direct++;
    }
    stages = { appConstantRoutePerSecond: appConstant.perSecond, directDecisionsPerSecond: Math.round(direct / SECONDS) };
  }
  const server = percentiles(serverMs);

  // ---- MQTT on the embedded broker (the `npm start` default; MQTT 3.1.1 fallback) ----
  const cardsOf = controllers.map((_, i) => cards.filter((x) => doors[x.door].controller === i));
  let embedded: Record<string, unknown> = { skipped: '--no-mqtt' };
  if (!NO_MQTT) {
    const transport = await startMqttTransport(k, ingestPipeline(k));
    embedded = await mqttLoad(`mqtt://127.0.0.1:${transport.broker!.port}`, 4);
    await transport.close();
  }
  await app.close();
  // every answered HTTP decision is in the log (rows are committed by the log writer thread; app.close() waits for it)
  const logged = Number(
    (
      await k.db
        .selectFrom('access_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('event_id', 'like', 'd%')
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (logged !== n) throw new Error(`HTTP decisions answered ${n}, logged ${logged}`);

  // ---- MQTT through an external broker (MQTT 5 response topic + correlation data) ----
  let external: Record<string, unknown> = { skipped: '--mqtt-url none' };
  if (MQTT_URL !== 'none' && !NO_MQTT) {
    const cfg = loadConfig({
      LINLI_DATA_DIR: dir,
      LINLI_LOG_LEVEL: 'silent',
      LINLI_MQTT_PORT: '0',
      LINLI_MQTT_URL: MQTT_URL,
      LINLI_NODE_ID: `bench-access-ext-${process.pid}`,
    });
    const node = await buildApp({ config: cfg, database, logger: pino({ level: 'silent' }), rateLimit: 100_000_000 });
    await node.app.ready();
    const ingest = await startMqttTransport(node.kernel, ingestPipeline(node.kernel));
    await accessMqtt(node.kernel)!.ready;
    external = { broker: MQTT_URL, ...(await mqttLoad(MQTT_URL, 5)) };
    await ingest.close();
    await node.app.close();
  }
  await database.close();

  /** `CONC` controllers, each with one request in flight, for SECONDS; answers per second. */
  async function mqttLoad(brokerUrl: string, protocolVersion: 4 | 5) {
    const n = Math.min(CONC, controllers.length);
    const clients = await Promise.all(
      controllers
        .slice(0, n)
        .map((c) => mqtt.connectAsync(brokerUrl, { clientId: c.id, username: c.id, password: c.secret, protocolVersion, reconnectPeriod: 0 })),
    );
    const resTopic = (id: string) => (protocolVersion === 5 ? `linli/v1/devices/${id}/access/res` : `linli/v1/devices/${id}/access/response`);
    await Promise.all(clients.map((cl, i) => cl.subscribeAsync(resTopic(controllers[i].id), { qos: 0 })));
    let answered = 0;
    let wrong = 0;
    let lost = 0;
    const one = (i: number, timed: boolean) =>
      new Promise<void>((resolve) => {
        const cl = clients[i];
        const x = cardsOf[i][Math.floor(Math.random() * cardsOf[i].length)];
        const corr = `c${++seq}`;
        const timer = setTimeout(() => {
          cl.off('message', on);
          lost++;
          resolve();
        }, 5000);
        const on = (_t: string, payload: Buffer, packet: any) => {
          const a = JSON.parse(payload.toString());
          const c = protocolVersion === 5 ? packet.properties?.correlationData?.toString() : a.correlationId;
          if (c !== corr) return;
          clearTimeout(timer);
          cl.off('message', on);
          if (timed) {
            if (a.result === 'allow') answered++;
            else wrong++;
          }
          resolve();
        };
        cl.on('message', on);
        const body = { type: 'access.decide', eventId: `m${corr}`, doorId: doors[x.door].id, credentialType: 'card', value: x.card };
        if (protocolVersion === 5)
          cl.publish(`linli/v1/devices/${controllers[i].id}/events`, JSON.stringify(body), {
            qos: 0,
            properties: { responseTopic: resTopic(controllers[i].id), correlationData: Buffer.from(corr) },
          });
        else cl.publish(`linli/v1/devices/${controllers[i].id}/events`, JSON.stringify({ ...body, correlationId: corr }), { qos: 0 });
      });
    for (let w = 0; w < 100; w++) await one(w % n, false); // warm-up
    lost = 0;
    const mEnd = performance.now() + SECONDS * 1000;
    await Promise.all(
      clients.map(async (_, i) => {
        while (performance.now() < mEnd) await one(i, true);
      }),
    );
    await Promise.all(clients.map((cl) => cl.endAsync()));
    return { decisionsPerSecond: Math.round(answered / SECONDS), notAllowOrError: wrong, lost, controllers: n };
  }

  // ---- QR verification on one core ----
  const kp = generateKeyPair();
  const priv = crypto.createPrivateKey(kp.privatePem);
  const nowS = Math.floor(Date.now() / 1000);
  const tokens = Array.from({ length: 2000 }, (_, i) => signToken({ k: 'akey_b', m: 'com_b', c: `acr_${i}`, s: ['*'], i: nowS, e: nowS + 60 }, priv));
  let verified = 0;
  const qEnd = performance.now() + 3000;
  const q0 = performance.now();
  while (performance.now() < qEnd) {
    for (let i = 0; i < 500; i++)
      if (
        typeof verifyToken(tokens[(verified + i) % tokens.length], {
          keyId: 'akey_b',
          communityId: 'com_b',
          publicKey: kp.publicKey,
          pointId: 'acp_1',
          nowS,
        }) !== 'string'
      )
        verified++;
  }
  const qrPerSecond = Math.round(verified / ((performance.now() - q0) / 1000));

  await fresh?.drop();
  printResult(
    JSON.stringify(
      {
        database: PG ? 'postgres' : 'sqlite',
        credentials: CREDS,
        doors: doors.length,
        controllers: controllers.length,
        setupSeconds: +setupS.toFixed(1),
        seconds: SECONDS,
        concurrency: CONC,
        http: {
          decisionsPerSecond: decisions.perSecond,
          errors: decisions.errors,
          logged,
          bareRoutePerSecond: baseline.perSecond,
          ratio: +(decisions.perSecond / baseline.perSecond).toFixed(2),
          ...(stages ? { stages } : {}),
        },
        serverDecisionMs: server,
        mqtt: { embedded: { broker: 'aedes (embedded), MQTT 3.1.1 correlation id in the body', ...embedded }, external },
        qrVerificationsPerSecondOneCore: qrPerSecond,
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
