// bench/ingest: M simulated devices publish N QoS 1 messages of 3 values each (water_pump:
// pressure, flow, temperature) through the MQTT broker into a real Linli app (buildApp, temp data
// dir, demo alarm rules from the migrations active, a property manager to notify). Measures
// stored messages/s, publish→stored latency, rule-breaking value → alarm notification at half
// the maximum load, and resident memory with all devices connected. Baseline in the same run:
// the same publishers through the same kind of broker to a plain subscriber that does nothing.
// Publishers run in a child process (bench/ingest/publisher.ts), one MQTT client per device.
// Prints JSON. Not a test.
//
//   node --expose-gc --max-semi-space-size=16 --heap-growing-percent=20 --import tsx bench/ingest/run.ts [--devices 1000] [--messages 200000]
//        [--broker embedded|mosquitto] [--db sqlite|postgres] [--half-seconds 10] [--probes 200] [--window 10]
//   Mosquitto: a private Mosquitto on a free port, configured as docs/mqtt.md asks (no queue
//   limit), or the one at BENCH_MQTT_URL if set; PostgreSQL: a fresh database on
//   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import mqtt from 'mqtt';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { IdentityService } from '../../server/src/modules/identity/index.js';
import { createDevice, ingestPipeline, telemetryHub, type Reading } from '../../server/src/modules/devices/index.js';
import { startMqttTransport, parseUplinkTopic } from '../../server/src/modules/devices/mqtt.transport.js';
import { startEmbeddedBroker } from '../../server/src/kernel/mqtt/broker.js';
import { NOTIFY_CREATED, type NotificationCreated } from '../../server/src/kernel/notify/index.js';
import { freePort, PrivateMosquitto } from '../../server/src/modules/devices/mqtt.fixtures.js';
import { arg, freshPgDatabase, percentiles } from '../registry/util.js';
import { printResult } from '../result.js';

const M = arg('devices', 1000);
const N = arg('messages', 200_000);
const WINDOW = arg('window', 10);
const HALF_SECONDS = arg('half-seconds', 10);
const PROBES = Math.min(arg('probes', 200), M);
const sarg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const BROKER = sarg('broker', 'embedded') as 'embedded' | 'mosquitto';
const DB = sarg('db', 'sqlite') as 'sqlite' | 'postgres';
let MQTT_URL = process.env.BENCH_MQTT_URL || '';
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const perDevice = Math.ceil(N / M);
const clock = () => performance.timeOrigin + performance.now();
const log = pino({ level: 'silent' });
const mb = (b: number) => +(b / 1048576).toFixed(0);
/** Resident memory split as the kernel counts it: anonymous (heap, buffers) and file-backed
 * (code, the memory-mapped SQLite file — pages the OS can drop and read back). */
function rssParts(): { anonMb: number; fileMb: number } {
  const s = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { anonMb: +(kb('RssAnon') / 1024).toFixed(0), fileMb: +(kb('RssFile') / 1024 + kb('RssShmem') / 1024).toFixed(0) };
}

// ---- the publisher child process ----
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

let rssMax = 0;
const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 100);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-ingest-'));
  const fresh = DB === 'postgres' ? await freshPgDatabase(PG_URL) : null;
  const databaseUrl = fresh?.url;
  let privateMosquitto: PrivateMosquitto | null = null;
  if (BROKER === 'mosquitto' && !MQTT_URL) {
    privateMosquitto = new PrivateMosquitto(await freePort(), path.join(dir, 'mosquitto'));
    await privateMosquitto.start();
    MQTT_URL = privateMosquitto.url;
  }
  const mqttPort = BROKER === 'embedded' ? await freePort() : 0;
  const env: Record<string, string> = {
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_PORT: '0',
    LINLI_HOST: '127.0.0.1',
    LINLI_MQTT_PORT: String(mqttPort),
    LINLI_NODE_ID: `bench-${process.pid}`,
  };
  if (databaseUrl) env.LINLI_DATABASE_URL = databaseUrl;
  if (BROKER === 'mosquitto') env.LINLI_MQTT_URL = MQTT_URL;
  const config = loadConfig(env);
  const { app, kernel } = await buildApp({ config, logger: log, rateLimit: 10_000_000 });
  await app.ready();
  const pipeline = ingestPipeline(kernel); // the app's own pipeline, default limits (50 msg/s, burst 500 per device)

  // places, a property manager to notify, and M water pumps created through the devices module
  const t0 = clock();
  const places = new PlacesService(kernel);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
  const id = new IdentityService(kernel);
  const pm = await id.createStaffUser({ username: 'bench-pm', displayName: '物业经理', password: 'bench-password-1' }, null);
  await id.addGrant(pm.id, 'property_manager', community.id, null);
  const devices: { id: string; secret: string }[] = new Array(M);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < M) {
        const i = next++;
        devices[i] = await createDevice(kernel, { typeCode: 'water_pump', placeId: estate.id, name: `水泵${i}` });
        if (i % 1000 === 999) process.stderr.write(`  created ${i + 1} devices\n`);
      }
    }),
  );
  const index = new Map(devices.map((d, i) => [d.id, i]));
  const createSeconds = (clock() - t0) / 1000;
  await ask({ cmd: 'devices', devices });

  const expected = perDevice * M;
  const protocolVersion = BROKER === 'embedded' ? 4 : 5; // Aedes speaks MQTT 3.1.1
  let c: { ms: number; failed: number } = { ms: 0, failed: 0 };

  // ---- Linli: the MQTT transport on the broker, the app's ingest pipeline ----
  const stored = new Float64Array(expected).fill(NaN);
  let phase: 'burst' | 'half' = 'burst';
  let burstBase = 0;
  let halfBase = 0;
  const halfStored = new Map<number, number>(); // devIdx * 1e6 + seq → stored time
  let lastStored = 0;
  let storedMsgs = 0;
  telemetryHub(kernel).on('readings', (batch: Reading[]) => {
    const t = clock();
    for (const r of batch) {
      if (r.key !== 'pressure') continue;
      const d = index.get(r.deviceId);
      if (d === undefined) continue;
      storedMsgs++;
      lastStored = t;
      if (phase === 'burst') stored[d * perDevice + (r.ts - burstBase)] = t;
      else halfStored.set(d * 1e6 + (r.ts - halfBase), t);
    }
  });
  // the alarm path in parts: value accepted by the pipeline (rules evaluated), alarm committed
  const acceptedAt = new Map<string, number>();
  const alarmAt = new Map<string, number>();
  telemetryHub(kernel).on('accepted', (batch: Reading[]) => {
    const t = clock();
    for (const r of batch) if (r.key === 'temperature' && r.value >= 90 && !acceptedAt.has(r.deviceId)) acceptedAt.set(r.deviceId, t);
  });
  const alarmDevice = new Map<string, string>();
  const notified = new Map<string, number>(); // deviceId → time of the first notify event
  kernel.events.subscribe('alarms.alarm.created', (e: any) => {
    alarmDevice.set(e.payload.alarmId, e.payload.deviceId);
    if (!alarmAt.has(e.payload.deviceId)) alarmAt.set(e.payload.deviceId, clock());
  });
  kernel.events.subscribe<NotificationCreated>(NOTIFY_CREATED, (e) => {
    const t = clock();
    const alarmId = e.payload.notification.link?.replace('/alarms/', '') ?? '';
    const dev = alarmDevice.get(alarmId);
    if (dev && !notified.has(dev)) notified.set(dev, t);
  });

  const transport = await startMqttTransport(kernel, pipeline, { log });
  const linliUrl = BROKER === 'embedded' ? `mqtt://127.0.0.1:${transport.broker!.port}` : MQTT_URL;
  (globalThis as { gc?: () => void }).gc?.();
  const rssBeforeConnect = process.memoryUsage().rss;
  process.stderr.write('  linli: connecting\n');
  c = await ask({ cmd: 'connect', url: linliUrl, protocolVersion, concurrency: 200 });
  await new Promise((r) => setTimeout(r, 1000));
  (globalThis as { gc?: () => void }).gc?.();
  const rssConnected = process.memoryUsage().rss;
  const heapConnected = process.memoryUsage().heapUsed;
  const partsConnected = rssParts();
  const muConnected = process.memoryUsage();
  const countRaw = async () =>
    Number(
      (
        await kernel.db
          .selectFrom('telemetry_raw')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  process.stderr.write('  linli: publishing\n');
  burstBase = Date.now() - 2 * 3_600_000;
  const lStart = clock();
  const burstCpu0 = threadCpuMs();
  const burstPubCpu0 = processCpuMs(child.pid!);
  const lPub = await ask({ cmd: 'burst', perDevice, base: burstBase, window: WINDOW });
  for (let i = 0; i < 400 && storedMsgs < expected; i++) await new Promise((r) => setTimeout(r, 50));
  await pipeline.flush();
  const burstCpu = cpuDelta(burstCpu0, threadCpuMs(), processCpuMs(child.pid!) - burstPubCpu0);
  const rows1 = await countRaw();
  const burstSeconds = (lastStored - lStart) / 1000;
  const storedPerSec = rows1 / 3 / burstSeconds;
  const lat: number[] = [];
  for (let i = 0; i < expected; i++) if (!Number.isNaN(stored[i]!)) lat.push(stored[i]! - lPub.times[i]);
  const rssAfterBurst = process.memoryUsage().rss;
  const partsAfterBurst = rssParts();

  // ---- half the maximum load, with rule-breaking values ----
  process.stderr.write('  linli: half load\n');
  phase = 'half';
  halfBase = Date.now() - 3_600_000;
  const rate = Math.round(storedPerSec / 2);
  const step = Math.max(1, Math.floor(M / PROBES));
  const probes = Array.from({ length: PROBES }, (_, k) => k * step);
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const profiler = await startProfile();
  const cpu0 = threadCpuMs();
  const pubCpu0 = processCpuMs(child.pid!);
  const half = await ask<{ ms: number; sent: number[]; probeSent: number[] }>({ cmd: 'paced', rate, seconds: HALF_SECONDS, base: halfBase, probes });
  loopDelay.disable();
  const halfCpu = cpuDelta(cpu0, threadCpuMs(), processCpuMs(child.pid!) - pubCpu0);
  await profiler?.stop();
  await new Promise((r) => setTimeout(r, 2000));
  await pipeline.flush();
  const halfLat: number[] = [];
  for (let i = 0; i < half.sent.length; i += 3) {
    const t = halfStored.get(half.sent[i]! * 1e6 + half.sent[i + 1]!);
    if (t !== undefined) halfLat.push(t - half.sent[i + 2]!);
  }
  const sentAt = new Map<number, number>();
  for (let i = 0; i < half.sent.length; i += 3) sentAt.set(half.sent[i]! * 1e6 + half.sent[i + 1]!, half.sent[i + 2]!);
  const alarmLat: number[] = [];
  for (let i = 0; i < half.probeSent.length; i += 2) {
    const d = half.probeSent[i]!;
    const t = notified.get(devices[d]!.id);
    if (t !== undefined) alarmLat.push(t - sentAt.get(d * 1e6 + half.probeSent[i + 1]!)!);
  }
  const toAccepted: number[] = [];
  const acceptedToAlarm: number[] = [];
  for (let i = 0; i < half.probeSent.length; i += 2) {
    const d = half.probeSent[i]!;
    const id = devices[d]!.id;
    const a = acceptedAt.get(id);
    if (a !== undefined) toAccepted.push(a - sentAt.get(d * 1e6 + half.probeSent[i + 1]!)!);
    if (a !== undefined && alarmAt.has(id)) acceptedToAlarm.push(alarmAt.get(id)! - a);
  }
  const notificationRows = Number(
    (
      await kernel.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', pm.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows2 = await countRaw();
  const rssMaxLinli = rssMax;
  const linliConnect = c;

  // ---- baseline (after Linli, so Linli's memory figures are not inflated by the baseline's
  // garbage): same publishers, same broker, a subscriber that does nothing ----
  const runBaseline = async () => {
    let baseBroker: Awaited<ReturnType<typeof startEmbeddedBroker>> = null;
    let subUrl = MQTT_URL;
    let pubUrl = MQTT_URL;
    const subOpts: mqtt.IClientOptions = { protocolVersion: 5, clean: true, reconnectPeriod: 0 };
    if (BROKER === 'embedded') {
      // the embedded broker with the same device authentication and topic rule, routing instead of ingesting
      baseBroker = await startEmbeddedBroker(await freePort(), '127.0.0.1', log, {
        hooks: {
          authenticate: (u, p) => pipeline.authenticate(u, p),
          authorizePublish: (who, packet) => (parseUplinkTopic(packet.topic)?.deviceId === who.username ? 'allow' : 'deny'),
          authorizeSubscribe: () => false,
        },
      });
      subUrl = pubUrl = `mqtt://127.0.0.1:${baseBroker!.port}`;
      Object.assign(subOpts, { protocolVersion: 4, username: baseBroker!.internal.username, password: baseBroker!.internal.password });
    }
    const sub = await mqtt.connectAsync(subUrl, subOpts);
    let baseCount = 0;
    let baseLast = 0;
    sub.on('message', () => {
      baseCount++;
      baseLast = clock();
    });
    await sub.subscribeAsync('linli/v1/devices/+/telemetry', { qos: 1 });
    process.stderr.write('  baseline: connecting\n');
    if (BROKER === 'embedded') c = await ask({ cmd: 'connect', url: pubUrl, protocolVersion, concurrency: 200 });
    process.stderr.write('  baseline: publishing\n');
    const baseConnect = c;
    const bStart = clock();
    const bPub = await ask({ cmd: 'burst', perDevice, base: Date.now() - 3 * 3_600_000, window: WINDOW });
    for (let i = 0; i < 200 && baseCount < expected; i++) await new Promise((r) => setTimeout(r, 50));
    const r = {
      brokerIn: +(expected / (bPub.ms / 1000)).toFixed(0),
      received: baseCount,
      messagesPerSec: +(baseCount / ((baseLast - bStart) / 1000)).toFixed(0),
      connectSeconds: +(baseConnect.ms / 1000).toFixed(1),
    };
    await sub.endAsync();
    if (BROKER === 'embedded') {
      await ask({ cmd: 'close' });
      await baseBroker!.close();
    }
    return r;
  };

  await transport.close();
  if (BROKER === 'embedded') await ask({ cmd: 'close' });
  const baseline = await runBaseline();

  const result = {
    bench: 'devices.ingest',
    broker: BROKER === 'embedded' ? 'embedded (Aedes)' : `Mosquitto ${MQTT_URL} (shared subscription)`,
    db: DB,
    node: process.version,
    devices: M,
    messages: expected,
    valuesPerMessage: 3,
    qos: 1,
    windowPerDevice: WINDOW,
    setup: { createDevicesSeconds: +createSeconds.toFixed(1), connectSeconds: +(linliConnect.ms / 1000).toFixed(1), connectFailed: linliConnect.failed },
    linli: {
      publishSeconds: +(lPub.ms / 1000).toFixed(2),
      storedSeconds: +burstSeconds.toFixed(2),
      rowsStored: rows1,
      storedMessagesPerSec: +storedPerSec.toFixed(0),
      cpuMs: burstCpu,
      storedValuesPerSec: +(rows1 / burstSeconds).toFixed(0),
      publishToStoredMs: percentiles(lat),
      throttledOrRejected: pipeline.stats.rejected,
    },
    baseline,
    ratioToBaseline: +(storedPerSec / baseline.messagesPerSec).toFixed(2),
    halfLoad: {
      targetMessagesPerSec: rate,
      sent: half.sent.length / 3,
      achievedMessagesPerSec: +(half.sent.length / 3 / (half.ms / 1000)).toFixed(0),
      stored: (rows2 - rows1) / 3,
      publishToStoredMs: halfLat.length ? percentiles(halfLat) : null,
      cpuMs: halfCpu,
      alarmProbes: half.probeSent.length / 2,
      alarmsNotified: alarmLat.length,
      notificationRows,
      ruleBreakingValueToNotifyMs: alarmLat.length ? percentiles(alarmLat) : null,
      // its parts: publish → accepted by the pipeline (rules evaluated there) → alarm committed
      ruleBreakingValueToAcceptedMs: toAccepted.length ? percentiles(toAccepted) : null,
      acceptedToAlarmCommittedMs: acceptedToAlarm.length ? percentiles(acceptedToAlarm) : null,
      eventLoopDelayMs: {
        p50: +(loopDelay.percentile(50) / 1e6).toFixed(1),
        p99: +(loopDelay.percentile(99) / 1e6).toFixed(1),
        max: +(loopDelay.max / 1e6).toFixed(1),
      },
    },
    memory: {
      rssDevicesConnectedMb: mb(rssConnected),
      devicesConnected: partsConnected,
      heapDevicesConnectedMb: mb(heapConnected),
      heapTotalConnectedMb: mb(muConnected.heapTotal),
      externalConnectedMb: mb(muConnected.external),
      rssBeforeConnectMb: mb(rssBeforeConnect),
      rssAfterBurstMb: mb(rssAfterBurst),
      afterBurst: partsAfterBurst,
      rssMaxMb: mb(rssMaxLinli),
    },
    targets: { storedMessagesPerSec: 20000, ratioToBaseline: 0.7, alarmP99Ms: 250, rssMbWith10000Devices: 400 },
  };
  printResult(JSON.stringify(result, null, 2));

  await ask({ cmd: 'close' });
  child.send({ cmd: 'exit' });
  await app.close();
  clearInterval(rssTimer);
  await privateMosquitto?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  await fresh?.drop();
}

/** CPU time (user + system, ms) of each thread of this process, by thread id (Linux /proc). */
function threadCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) out.set(Number(tid), processCpuMs(`self/task/${tid}`));
  return out;
}

function processCpuMs(pid: number | string): number {
  const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * (1000 / 100); // clock ticks of 10 ms
}

/** Where the CPU went during a phase: Linli's main thread, its other threads (worker threads, V8's GC helpers, libuv), the publisher process. */
function cpuDelta(before: Map<number, number>, after: Map<number, number>, publisher: number) {
  const others: number[] = [];
  for (const [tid, ms] of after) if (tid !== process.pid && ms - (before.get(tid) ?? 0) > 0) others.push(ms - (before.get(tid) ?? 0));
  others.sort((a, b) => b - a);
  return { main: after.get(process.pid)! - before.get(process.pid)!, otherThreads: others, publisher };
}

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of Linli's main thread during the half-load phase. */
async function startProfile() {
  const file = process.env.BENCH_PROFILE;
  if (!file) return null;
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

main().catch((e) => {
  console.error(e);
  child.kill();
  process.exit(1);
});
