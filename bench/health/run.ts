// bench/health: N contracted patients, each with a home blood-pressure monitor bound to them,
// send one reading every 5 minutes over MQTT into a real Linli app (buildApp, temp data dir,
// embedded broker). Measures urgent reading → the doctor's alert (the notification pushed to the
// doctor's live stream) p50/p99, and the doctor's panel of P patients (GET /api/v1/health/patients)
// p50/p99. Baselines in the same run: the same publishers through the same kind of broker to a
// plain subscriber (publish → receive), and a bare authenticated HTTP route (GET /api/v1/auth/me).
// The P panel patients are real registry residents; the other N − P are pseudonymous patients
// made directly in the health tables (no registry row) so that setup stays within minutes.
// Prints JSON; exits non-zero without a result. Not a test.
//
//   node --import tsx bench/health/run.ts [--patients 10000] [--panel 2000] [--seconds 60] [--probes 100] [--requests 200] [--db sqlite|postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import mqtt from 'mqtt';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService, ResidentsService } from '../../server/src/modules/registry/index.js';
import { IdentityService } from '../../server/src/modules/identity/index.js';
import { createDevice, ingestPipeline } from '../../server/src/modules/devices/index.js';
import { startMqttTransport, parseUplinkTopic } from '../../server/src/modules/devices/mqtt.transport.js';
import { startEmbeddedBroker } from '../../server/src/kernel/mqtt/broker.js';
import { systemActor } from '../../server/src/kernel/authz/index.js';
import { newId } from '../../server/src/kernel/ids.js';
import { NOTIFY_CREATED, type NotificationCreated } from '../../server/src/kernel/notify/index.js';
import { ALERT_RAISED, HealthSetup, type AlertRaised } from '../../server/src/modules/health/index.js';
import { healthOf } from '../../server/src/modules/health/health.context.js';
import { freePort } from '../../server/src/modules/devices/mqtt.fixtures.js';
import { makeIdNumber } from '../../server/src/modules/registry/standard/id-number.js';
import { arg, freshPgDatabase, percentiles } from '../registry/util.js';
import { printResult } from '../result.js';

const N = arg('patients', 10_000);
const P = Math.min(arg('panel', 2000), N);
const SECONDS = arg('seconds', 120);
const PROBES = Math.min(arg('probes', 100), N);
const REQUESTS = arg('requests', 200);
const DB = (process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : 'sqlite') as 'sqlite' | 'postgres';
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const RATE = N / 300; // one reading per patient every 5 minutes
const clock = () => performance.timeOrigin + performance.now();
const log = pino({ level: 'silent' });
const say = (s: string) => process.stderr.write(`  ${s}\n`);

const child: ChildProcess = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'publisher.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
function ask<T = any>(m: object): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (r: any) => (r?.error ? reject(new Error(r.error)) : resolve(r)));
    child.send(m);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-health-'));
  const fresh = DB === 'postgres' ? await freshPgDatabase(PG_URL) : null;
  const env: Record<string, string> = {
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_PORT: '0',
    LINLI_HOST: '127.0.0.1',
    LINLI_MQTT_PORT: String(await freePort()),
    LINLI_NODE_ID: `bench-${process.pid}`,
  };
  if (fresh) env.LINLI_DATABASE_URL = fresh.url;
  const { app, kernel } = await buildApp({ config: loadConfig(env), logger: log, rateLimit: 10_000_000 });
  await app.ready();
  const pipeline = ingestPipeline(kernel);
  const h = healthOf(kernel);
  const t0 = clock();

  // places, two doctors and their teams
  const places = new PlacesService(kernel);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
  const building = await places.insertPlace({ kind: 'building', name: '1号楼' }, estate);
  const unit = await places.insertPlace({ kind: 'unit', name: '1单元' }, building);
  const identity = new IdentityService(kernel);
  const doctors = [];
  for (const name of ['bench-dr-a', 'bench-dr-b']) {
    const u = await identity.createStaffUser({ username: name, displayName: name, password: 'bench-password-1' }, null);
    await identity.addGrant(u.id, 'doctor', community.id, null);
    doctors.push(u.id);
  }
  const setup = new HealthSetup(kernel);
  const admin = systemActor('bench');
  const inst = await setup.createInstitution(admin, { communityId: community.id, name: '基准卫生服务站', kind: 'station' });
  for (const [i, id] of doctors.entries()) await setup.addDoctor(admin, inst.id, { userId: id, name: `医生${i}` });
  const teamA = await setup.createTeam(admin, { institutionId: inst.id, name: '团队A', members: [{ userId: doctors[0]!, lead: true }] });
  const teamB = await setup.createTeam(admin, { institutionId: inst.id, name: '团队B', members: [{ userId: doctors[1]!, lead: true }] });

  // P real residents (panel of doctor A), N − P pseudonymous patients (team B)
  const residents = new ResidentsService(kernel);
  const houses: { id: string }[] = [];
  for (let i = 0; i < Math.ceil(P / 4); i++) houses.push(await places.insertPlace({ kind: 'house', name: `${100 + i}` }, unit));
  const now = kernel.clock.now().toISOString();
  const patientIds: string[] = new Array(N);
  for (let i = 0; i < N; i++) {
    let residentId: string;
    if (i < P) {
      const birth = `19${40 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`;
      const r = await residents.create(
        admin,
        {
          name: `居民${i}`,
          idNumber: makeIdNumber('110105', birth, String((i * 2 + 1) % 1000).padStart(3, '0')),
          phone: null,
          houseId: houses[i >> 2]!.id,
          role: 'owner',
          relation: '02',
          moveIn: '2020-01-01',
        },
        '127.0.0.1',
      );
      residentId = r.id;
    } else residentId = newId('res');
    const pid = newId('pat');
    patientIds[i] = pid;
    await h.repo.insertPatient({
      id: pid,
      link_enc: kernel.vault.encrypt(residentId),
      link_bidx: h.patients.bidx(residentId),
      place_path: community.path,
      conditions: '["hypertension"]',
      consent: 1,
      consent_at: now,
      last_reading_at: null,
      created_at: now,
    });
    await h.repo.insertContract({
      id: newId('hct'),
      patient_id: pid,
      team_id: i < P ? teamA.id : teamB.id,
      place_path: community.path,
      package: 'elderly',
      signed_by: 'self',
      guardian_enc: null,
      start_date: '2026-01-01',
      end_date: '2027-12-31',
      status: 'active',
      renewals: 0,
      ended_at: null,
      end_reason: null,
      created_by: 'bench',
      created_at: now,
    });
    if (i % 2000 === 1999) say(`patients ${i + 1}`);
  }

  // one bound blood-pressure monitor per patient
  const devices: { id: string; secret: string }[] = new Array(N);
  const patientOfDevice = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < N) {
        const i = next++;
        const d = await createDevice(kernel, { typeCode: 'bp_monitor', placeId: i < P ? houses[i >> 2]!.id : estate.id, name: `血压计${i}` });
        devices[i] = d;
        await h.repo.bindDevice(d.id, patientIds[i]!, now);
        h.bindings.set(d.id, patientIds[i]!);
        patientOfDevice.set(d.id, i);
        if (i % 2000 === 1999) say(`devices ${i + 1}`);
      }
    }),
  );
  const setupSeconds = (clock() - t0) / 1000;
  await ask({ cmd: 'devices', devices });

  // reading → alert: ALERT_RAISED gives (patient, reading time) → alert id; the doctor's
  // notification (NOTIFY_CREATED, what the live stream pushes) gives alert id → arrival
  const alertOf = new Map<string, string>();
  const notifiedAt = new Map<string, number>();
  const doctorSet = new Set(doctors);
  const offA = kernel.events.subscribe<AlertRaised>(ALERT_RAISED, (e) => void alertOf.set(`${e.payload.patientId}|${e.payload.readingTs}`, e.payload.alertId));
  const offN = kernel.events.subscribe<NotificationCreated>(NOTIFY_CREATED, (e) => {
    if (!doctorSet.has(e.payload.userId)) return;
    const m = /\/health\/alerts\/(.+)$/.exec(e.payload.notification.link ?? '');
    if (m && !notifiedAt.has(m[1]!)) notifiedAt.set(m[1]!, clock());
  });

  // probes among the devices whose turn comes within the run (round-robin), spread over it
  const reach = Math.min(N, Math.floor(RATE * SECONDS));
  const probes = Array.from({ length: Math.min(PROBES, reach) }, (_, k) => Math.floor(((k + 0.5) * reach) / Math.min(PROBES, reach)));
  const transport = await startMqttTransport(kernel, pipeline, { log });
  say('linli: connecting');
  const conn = await ask({ cmd: 'connect', url: `mqtt://127.0.0.1:${transport.broker!.port}`, concurrency: 200 });
  say(`linli: publishing ${Math.round(RATE * SECONDS)} readings over ${SECONDS}s`);
  const run = await ask({ cmd: 'paced', rate: RATE, seconds: SECONDS, probes });
  const lat: number[] = [];
  for (let i = 0; i < 400 && lat.length < PROBES; i++) {
    lat.length = 0;
    for (let k = 0; k < run.probeSent.length; k += 3) {
      const [d, ts, sent] = [run.probeSent[k], run.probeSent[k + 1], run.probeSent[k + 2]];
      const alert = alertOf.get(`${patientIds[d]}|${ts}`);
      const at = alert ? notifiedAt.get(alert) : undefined;
      if (at !== undefined) lat.push(at - sent);
    }
    if (lat.length < run.probeSent.length / 3) await new Promise((r) => setTimeout(r, 50));
  }
  const stored = await kernel.db
    .selectFrom('health_readings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  // the doctor's panel of P patients, and a bare authenticated route, in this run
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench-dr-a', password: 'bench-password-1' } });
  const cookie = /linli_session=([^;]+)/.exec(String(login.headers['set-cookie']))![0];
  const time = async (url: string) => {
    const ms: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const s = clock();
      const r = await app.inject({ method: 'GET', url, headers: { cookie } });
      ms.push(clock() - s);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      if (i === 0 && url.includes('patients')) {
        const total = JSON.parse(r.body).total;
        if (total !== P) throw new Error(`panel has ${total} patients, expected ${P}`);
      }
    }
    return percentiles(ms);
  };
  await time('/api/v1/health/patients?pageSize=50'); // warm
  const panel = await time('/api/v1/health/patients?pageSize=50');
  const bare = await time('/api/v1/auth/me');
  await ask({ cmd: 'close' });
  await transport.close();

  // baseline: the same publishers and probes through an embedded broker to a plain subscriber
  const base = await startEmbeddedBroker(await freePort(), '127.0.0.1', log, {
    hooks: {
      authenticate: (u, p) => pipeline.authenticate(u, p),
      authorizePublish: (who, packet) => (parseUplinkTopic(packet.topic)?.deviceId === who.username ? 'allow' : 'deny'),
      authorizeSubscribe: () => false,
    },
  });
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${base!.port}`, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    username: base!.internal.username,
    password: base!.internal.password,
  });
  const got = new Map<string, number>();
  sub.on('message', (topic, payload) => {
    const s = payload.toString();
    if (!s.includes('"systolic":190')) return;
    const id = parseUplinkTopic(topic)?.deviceId;
    if (id) got.set(id, clock());
  });
  await sub.subscribeAsync('linli/v1/devices/+/telemetry', { qos: 1 });
  say('baseline: connecting');
  await ask({ cmd: 'connect', url: `mqtt://127.0.0.1:${base!.port}`, concurrency: 200 });
  say('baseline: publishing');
  const brun = await ask({ cmd: 'paced', rate: RATE, seconds: SECONDS, probes });
  const blat: number[] = [];
  for (let i = 0; i < 200 && got.size < brun.probeSent.length / 3; i++) await new Promise((r) => setTimeout(r, 50));
  for (let k = 0; k < brun.probeSent.length; k += 3) {
    const at = got.get(devices[brun.probeSent[k]]!.id);
    if (at !== undefined) blat.push(at - brun.probeSent[k + 2]);
  }
  await sub.endAsync();
  await ask({ cmd: 'close' });
  await base!.close();
  offA();
  offN();

  if (lat.length === 0 || blat.length === 0) throw new Error(`no result: ${lat.length} alerts reached a doctor, ${blat.length} baseline probes arrived`);
  const alertP = percentiles(lat);
  const baseP = percentiles(blat);
  const result = {
    bench: 'health',
    db: DB,
    patients: N,
    panelPatients: P,
    readingsPerSecond: +RATE.toFixed(1),
    seconds: SECONDS,
    setupSeconds: +setupSeconds.toFixed(1),
    connect: { seconds: +(conn.ms / 1000).toFixed(1), failed: conn.failed },
    readings: { sent: run.sent, acked: run.acked, stored: Number(stored.n) },
    readingToDoctorAlertMs: { probes: run.probeSent.length / 3, alerted: lat.length, ...alertP },
    baselineBrokerPublishToSubscriberMs: { probes: brun.probeSent.length / 3, received: blat.length, ...baseP },
    doctorPanelMs: panel,
    baselineBareRouteMs: bare,
    ratios: {
      alertP99ToBaseline: baseP.p99 ? +(alertP.p99 / baseP.p99).toFixed(1) : null,
      panelP99ToBaseline: bare.p99 ? +(panel.p99 / bare.p99).toFixed(1) : null,
    },
    targets: { alertP99Ms: 1000, panelP99Ms: 200, alertOk: lat.length === probes.length && alertP.p99 <= 1000, panelOk: panel.p99 <= 200 },
  };
  await app.close();
  await fresh?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  printResult(JSON.stringify(result, null, 2));
  child.send({ cmd: 'exit' });
}

main().catch((err) => {
  console.error(err);
  child.kill();
  process.exit(1);
});
