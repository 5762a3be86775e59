// bench/ingest/memory: resident memory of a Linli process with M devices connected, as an
// operator would see it — a real `npm start` process (bin/start.mjs: the bundled server, the same
// Node flags),
// measured from outside through /proc, not the benchmark's own process (whose heap also holds
// the devices it created and the publishers' bookkeeping).
//
//   node --import tsx bench/ingest/memory.ts [--devices 10000] [--rate-per-device 0.1] [--seconds 30]
//   (LINLI_RUN_SOURCES=1 measures the TypeScript sources run through tsx instead of the bundle)
//
// 1. A fresh data directory; M water pumps created through the devices module; the app closed.
// 2. Linli started on that directory as its own process (embedded broker and SQLite, demo
//    simulator off), RSS sampled every 100 ms.
// 3. The publisher child signs every device in (one MQTT connection each), stays idle 5 s, then
//    every device publishes `rate-per-device` QoS 1 messages/s of 3 values for `seconds`.
// Prints JSON: RSS (anonymous / file-backed) started, all connected, under that load, maximum.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { createDevice } from '../../server/src/modules/devices/index.js';
import { freePort, waitFor } from '../../server/src/modules/devices/mqtt.fixtures.js';
import { arg } from '../registry/util.js';
import { printResult } from '../result.js';

const M = arg('devices', 10_000);
const RATE = arg('rate-per-device', 0.1);
const SECONDS = arg('seconds', 30);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function memOf(pid: number) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), anonMb: Math.round(kb('RssAnon') / 1024), fileMb: Math.round((kb('RssFile') + kb('RssShmem')) / 1024) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-mem-'));
  // 1. devices, through the devices module
  const t0 = Date.now();
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }) });
  const places = new PlacesService(kernel);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
  const devices: { id: string; secret: string }[] = [];
  for (let i = 0; i < M; i++) devices.push(await createDevice(kernel, { typeCode: 'water_pump', placeId: estate.id, name: `水泵${i}` }));
  await app.close();
  const createSeconds = (Date.now() - t0) / 1000;

  // 2. Linli as its own process, as `npm start` runs it
  const port = await freePort();
  const mqttPort = await freePort();
  const linli: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      LINLI_DATA_DIR: dir,
      LINLI_PORT: String(port),
      LINLI_HOST: '127.0.0.1',
      LINLI_MQTT_PORT: String(mqttPort),
      LINLI_DEMO_SIMULATE: '0',
      LINLI_SEED_DEMO: '0',
      LINLI_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    async () =>
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ),
    120_000,
    200,
  );
  // bin/start.mjs runs the server as its child: measure that process
  const kids = fs.readFileSync(`/proc/${linli.pid}/task/${linli.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const pid = kids.find((k) => /main\.(mjs|ts)/.test(fs.readFileSync(`/proc/${k}/cmdline`, 'utf8')))!;
  await new Promise((r) => setTimeout(r, 2000));
  let max = memOf(pid);
  const sampler = setInterval(() => {
    const m = memOf(pid);
    if (m.rssMb > max.rssMb) max = m;
  }, 100);
  const started = memOf(pid);

  // 3. the publishers
  const pub = fork(path.join(here, 'publisher.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T = any>(m: object) =>
    new Promise<T>((resolve, reject) => {
      pub.once('message', (r: any) => (r?.error ? reject(new Error(r.error)) : resolve(r)));
      pub.send(m);
    });
  await ask({ cmd: 'devices', devices });
  const c = await ask<{ ms: number; failed: number }>({ cmd: 'connect', url: `mqtt://127.0.0.1:${mqttPort}`, protocolVersion: 4, concurrency: 200 });
  await new Promise((r) => setTimeout(r, 5000));
  const connected = memOf(pid);
  const rate = Math.max(1, Math.round(M * RATE));
  const load = await ask<{ ms: number; sent: number[] }>({ cmd: 'paced', rate, seconds: SECONDS, base: Date.now() - 3_600_000, probes: [] });
  const underLoad = memOf(pid);
  clearInterval(sampler);

  printResult(
    JSON.stringify(
      {
        bench: 'devices.ingest.memory',
        node: process.version,
        devices: M,
        setup: { createDevicesSeconds: +createSeconds.toFixed(1), connectSeconds: +(c.ms / 1000).toFixed(1), connectFailed: c.failed },
        load: { messagesPerSec: rate, valuesPerMessage: 3, qos: 1, seconds: SECONDS, sent: load.sent.length / 3 },
        linliProcess: { started, allConnected: connected, afterLoad: underLoad, max },
        target: { rssMbWith10000Devices: 400 },
      },
      null,
      2,
    ),
  );
  await ask({ cmd: 'close' });
  pub.send({ cmd: 'exit' });
  linli.kill('SIGTERM');
  await new Promise((r) => linli.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
