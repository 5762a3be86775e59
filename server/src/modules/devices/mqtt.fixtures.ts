// Test fixtures for the MQTT transport tests: devices with a known secret, free ports, a private
// Mosquitto, and small MQTT helpers. Test-only (imported by mqtt*.test.ts and the node script).
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { hashSecret } from './secrets.js';
import type { Kernel } from '../../kernel/index.js';
import { DevicesRepository } from './devices.repository.js';

export const testSecret = 'mqtt-test-secret-1';
let hashed: Promise<string> | null = null;

/** n devices `${prefix}_${i}` of a test type with one telemetry key `v`; all share testSecret. */
export async function seedMqttDevices(k: Kernel, n: number, prefix = 'devmq'): Promise<string[]> {
  hashed ??= hashSecret(testSecret);
  const secretHash = await hashed;
  const repo = new DevicesRepository(k.db, k.database.dialect);
  const now = new Date().toISOString();
  const typeId = `dtp_${prefix}`;
  if (!(await repo.typeById(typeId))) {
    await repo.insertType({
      id: typeId,
      code: `mqtt_test_${prefix}`,
      name_zh: '测试',
      name_en: 'test',
      telemetry: JSON.stringify([{ key: 'v', unit: '', min: null, max: null, zh: '值', en: 'value' }]),
      heartbeat_s: 120,
      builtin: 0,
      created_by: null,
      created_at: now,
    });
  }
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}_${i}`;
    ids.push(id);
    await repo.insert({
      id,
      type_id: typeId,
      community_id: 'com_test',
      place_id: 'com_test',
      place_path: '/com_test/',
      public_area: null,
      name: id,
      secret_hash: secretHash,
      secret_rotated_at: now,
      status: 'offline',
      last_seen_at: null,
      rejected_count: 0,
      last_error: null,
      last_error_at: null,
      throttled_until: null,
      created_at: now,
      updated_at: now,
    });
  }
  return ids;
}

export async function countRaw(k: Kernel, deviceIdPrefix?: string): Promise<number> {
  return new DevicesRepository(k.db, k.database.dialect).countRaw(deviceIdPrefix);
}

/** Raw readings stored per device (of devices whose id starts with the prefix). */
export function countRawByDevice(k: Kernel, deviceIdPrefix: string): Promise<{ device_id: string; n: number }[]> {
  return new DevicesRepository(k.db, k.database.dialect).countRawByDevice(deviceIdPrefix);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs = 20_000, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const mosquittoBinary = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => fs.existsSync(p)) ?? null;

/** A private Mosquitto on a free port with persistence, for tests that stop and start it. */
export class PrivateMosquitto {
  proc: ChildProcess | null = null;
  readonly dir: string;
  constructor(
    public port: number,
    dir: string,
  ) {
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        'autosave_interval 60',
        // never drop queued QoS 1 messages for a subscriber that is away (the test counts them)
        'max_queued_messages 0',
        'max_inflight_messages 0',
        'persistent_client_expiration 1d',
        'log_dest none',
      ].join('\n') + '\n',
    );
  }
  get url() {
    return `mqtt://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    if (!mosquittoBinary) throw new Error('mosquitto is not installed');
    this.proc = spawn(mosquittoBinary, ['-c', path.join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    this.proc.stderr?.on('data', (d) => (err += d));
    await waitFor(() => portOpen(this.port), 10_000).catch(() => {
      throw new Error(`private mosquitto did not start: ${err}`);
    });
  }
  /** SIGTERM: Mosquitto writes its persistence file and exits. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    this.proc = null;
  }
}

export function mosquittoVersion(): string | null {
  if (!mosquittoBinary) return null;
  const r = spawnSync(mosquittoBinary, ['-h'], { encoding: 'utf8' });
  return /mosquitto version (\S+)/.exec(r.stdout + r.stderr)?.[1] ?? null;
}
