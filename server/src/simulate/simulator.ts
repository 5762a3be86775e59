// Demo device simulator: signs in to the MQTT broker as each demo device (username = device id,
// password = its secret; mqtt.js 5, MQTT 3.1.1 by default since the embedded Aedes broker speaks
// no MQTT 5) and publishes telemetry every few seconds, with faults injected
// now and then — an elevator stuck between floors (the elevator fault rule raises a critical
// alarm and opens a work order), pump pressure below 0.15 MPa for longer than a minute (the
// low-pressure rule), a meter going silent (the no-data rule, after 5 minutes) — and, rarely, a
// camera event (motion, loitering, …) from one of the demo cameras on its MQTT events topic, the
// way a camera reports one, so the incidents console gets a new incident now and then.
//
// Used by `linli simulate` (foreground, against a running app) and by `npm start` in demo mode.
// Secrets are never logged.
import mqtt, { type MqttClient } from 'mqtt';
import { faultOf, modelFor, simulatedCameraKinds, type DeviceModel, type FaultKind, type Rng, type Values } from './models.js';

export interface SimDevice {
  id: string;
  name: string;
  typeCode: string;
  secret: string;
}

export interface SimLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SimulateOptions {
  brokerUrl: string;
  devices: SimDevice[];
  /** a fault every this many ms on average (default 90 s); the first comes after `firstFaultMs` */
  faultEveryMs?: number;
  /** the first fault (always an elevator stuck between floors, so a work order appears; default 15 s) */
  firstFaultMs?: number;
  /** how often each device publishes (default 5 s, each device with its own phase) */
  intervalMs?: number;
  /** how long faults last (defaults: elevator 90 s, pump 90 s (> the rule's 60 s), meter silent 6 min (> 300 s no-data)) */
  faultDurationMs?: Partial<Record<FaultKind, number>>;
  /** a camera event every this many ms, picked evenly between the two (default 2–5 minutes); the first after `firstCameraEventMs` (default 90 s) */
  cameraEventEveryMs?: [number, number];
  firstCameraEventMs?: number;
  /** a one-line summary of live values every this many ms (default 30 s; 0 = off) */
  summaryEveryMs?: number;
  /** MQTT protocol: 4 = 3.1.1 (default; what the embedded broker speaks), 5 = MQTT 5 (Mosquitto, EMQX) */
  protocolVersion?: 4 | 5;
  signal?: AbortSignal;
  log?: SimLogger;
  random?: Rng;
}

export interface SimulatorStats {
  connected: number;
  published: number;
  faults: Array<{ kind: FaultKind; deviceId: string; deviceName: string; at: number }>;
  /** camera events published (and acknowledged by the broker) */
  cameraEvents: Array<{ kind: string; eventId: string; deviceId: string; deviceName: string; at: number }>;
  authFailures: number;
}

export interface SimulatorHandle {
  stats: SimulatorStats;
  /** latest values per device id */
  latest: Map<string, Values>;
  stop(): Promise<void>;
}

const defaultDurations: Record<FaultKind, number> = { elevator_stuck: 90_000, pump_low_pressure: 90_000, meter_silent: 6 * 60_000 };

const faultText: Record<FaultKind, string> = {
  elevator_stuck: 'elevator stuck between floors 电梯困梯',
  pump_low_pressure: 'pump pressure dropping 水压过低',
  meter_silent: 'meter gone silent 表计失联',
};

const silentLog: SimLogger = { info: () => undefined, warn: () => undefined };

interface Sim {
  d: SimDevice;
  model: DeviceModel;
  client: MqttClient;
  timer: NodeJS.Timeout | null;
  last: number;
  dead: boolean;
}

const topic = (id: string, kind: string) => `linli/v1/devices/${id}/${kind}`;

/** Starts the simulator; resolves once every device has tried to connect once. */
export async function simulate(opts: SimulateOptions): Promise<SimulatorHandle> {
  const log = opts.log ?? silentLog;
  const rng = opts.random ?? Math.random;
  const interval = opts.intervalMs ?? 5_000;
  const faultEvery = opts.faultEveryMs ?? 90_000;
  const firstFault = opts.firstFaultMs ?? 15_000;
  const durations = { ...defaultDurations, ...opts.faultDurationMs };
  const sims: Sim[] = [];
  const stats: SimulatorStats = {
    get connected() {
      return sims.filter((s) => s.client.connected).length;
    },
    published: 0,
    faults: [],
    cameraEvents: [],
    authFailures: 0,
  };
  const latest = new Map<string, Values>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };

  const tick = (s: Sim) => {
    const now = Date.now();
    const dtS = Math.max(0.1, (now - s.last) / 1000);
    s.last = now;
    const values = s.model.next(now, dtS);
    if (!values || !s.client.connected) return;
    latest.set(s.d.id, values);
    s.client.publish(topic(s.d.id, 'telemetry'), JSON.stringify({ ts: now, values }), { qos: 1 }, (err) => {
      if (!err) stats.published++;
    });
  };

  const connectOne = (d: SimDevice, model: DeviceModel) =>
    new Promise<void>((resolve) => {
      const client = mqtt.connect(opts.brokerUrl, {
        protocolVersion: opts.protocolVersion ?? 4,
        clientId: `${d.id}/sim`, // bound to the device: its id or `{id}/…` (docs/mqtt.md)
        username: d.id,
        password: d.secret,
        clean: true,
        reconnectPeriod: 3_000,
        connectTimeout: 10_000,
        queueQoSZero: false,
        will: { topic: topic(d.id, 'status'), payload: Buffer.from(JSON.stringify({ status: 'offline' })), qos: 1, retain: false },
      });
      const s: Sim = { d, model, client, timer: null, last: Date.now(), dead: false };
      sims.push(s);
      let first = true;
      const settle = () => {
        if (first) {
          first = false;
          resolve();
        }
      };
      client.on('connect', () => {
        client.publish(topic(d.id, 'status'), JSON.stringify({ status: 'online' }), { qos: 1 });
        settle();
      });
      client.on('error', (err: Error & { code?: number }) => {
        // MQTT 5 134 / 135 (3.1.1: 4 / 5): bad credentials; retrying will not help
        if (err.code === 134 || err.code === 135 || err.code === 4 || err.code === 5) {
          if (!s.dead) {
            s.dead = true;
            stats.authFailures++;
            log.warn({ deviceId: d.id, device: d.name }, 'simulator: the broker refused this demo device (secret rotated?); skipping it');
            client.end(true);
          }
        } else log.warn({ deviceId: d.id, err: err.message }, 'simulator: mqtt error');
        settle();
      });
      // do not hold startup for a broker that is not there; the client keeps retrying
      setTimeout(settle, 10_000).unref();
      // each device on its own phase, so the stream is smooth
      const start = setTimeout(
        () => {
          timers.delete(start);
          if (stopped) return;
          tick(s);
          s.timer = setInterval(() => tick(s), interval);
        },
        Math.floor(rng() * interval),
      );
      timers.add(start);
    });

  const pending: Array<Promise<void>> = [];
  for (const d of opts.devices) {
    const model = modelFor(d.typeCode, d.id, rng);
    if (!model) continue;
    pending.push(connectOne(d, model));
  }

  // ---- faults ----
  const inject = (kind?: FaultKind): boolean => {
    const now = Date.now();
    const candidates = sims.filter((s) => !s.dead && faultOf[s.d.typeCode] && (!kind || faultOf[s.d.typeCode] === kind) && !s.model.faulted(now));
    if (!candidates.length) return false;
    const s = candidates[Math.floor(rng() * candidates.length)]!;
    const k = faultOf[s.d.typeCode]!;
    if (!s.model.fault?.(k, now, durations[k])) return false;
    stats.faults.push({ kind: k, deviceId: s.d.id, deviceName: s.d.name, at: now });
    log.info(
      { fault: k, deviceId: s.d.id, device: s.d.name, forS: Math.round(durations[k] / 1000) },
      `simulator: fault injected — ${s.d.name}: ${faultText[k]}`,
    );
    tick(s); // show it at once
    return true;
  };
  const scheduleFaults = () => {
    const wait = Math.max(50, faultEvery * (0.5 + rng()));
    later(wait, () => {
      inject();
      scheduleFaults();
    });
  };
  later(firstFault, () => {
    if (!inject('elevator_stuck')) inject();
    scheduleFaults();
  });

  // ---- camera events (rare: a guard should not drown in them) ----
  let cameraEventNo = 0;
  const cameraEvent = () => {
    const cams = sims.filter((s) => s.d.typeCode === 'camera' && !s.dead && s.client.connected);
    if (!cams.length) return;
    const s = cams[Math.floor(rng() * cams.length)]!;
    const kind = simulatedCameraKinds[Math.floor(rng() * simulatedCameraKinds.length)]!;
    const now = Date.now();
    const eventId = `sim-${now}-${++cameraEventNo}`;
    const payload = { type: kind, eventId, ts: now, confidence: Math.round((0.75 + rng() * 0.24) * 100) / 100, simulated: true };
    s.client.publish(topic(s.d.id, 'events'), JSON.stringify(payload), { qos: 1 }, (err) => {
      if (err) return void log.warn({ deviceId: s.d.id, err: err.message }, 'simulator: camera event not sent');
      stats.cameraEvents.push({ kind, eventId, deviceId: s.d.id, deviceName: s.d.name, at: now });
      log.info({ cameraEvent: kind, deviceId: s.d.id, device: s.d.name }, `simulator: camera event — ${s.d.name}: ${kind}`);
    });
  };
  if (opts.devices.some((d) => d.typeCode === 'camera')) {
    const [lo, hi] = opts.cameraEventEveryMs ?? [120_000, 300_000];
    const scheduleCameraEvents = () =>
      later(Math.max(50, lo + rng() * Math.max(0, hi - lo)), () => {
        cameraEvent();
        scheduleCameraEvents();
      });
    later(opts.firstCameraEventMs ?? 90_000, () => {
      cameraEvent();
      scheduleCameraEvents();
    });
  }

  // ---- live summary ----
  const summaryEvery = opts.summaryEveryMs ?? 30_000;
  let summary: NodeJS.Timeout | null = null;
  if (summaryEvery > 0) {
    summary = setInterval(() => {
      const pick = (type: string) => sims.find((s) => s.d.typeCode === type && latest.has(s.d.id));
      const parts: string[] = [];
      const e = pick('elevator');
      if (e) {
        const v = latest.get(e.d.id)!;
        parts.push(`${e.d.name} ${v.floor}F ${v.speed} m/s${v.fault_code ? ` fault ${v.fault_code}` : ''}`);
      }
      const p = pick('water_pump');
      if (p) {
        const v = latest.get(p.d.id)!;
        parts.push(`${p.d.name} ${v.pressure} MPa ${v.flow} m³/h`);
      }
      const m = pick('electricity_meter');
      if (m) {
        const v = latest.get(m.d.id)!;
        parts.push(`${m.d.name} ${v.power} kW ${v.voltage} V`);
      }
      const n = pick('env_sensor');
      if (n) {
        const v = latest.get(n.d.id)!;
        parts.push(`${n.d.name} ${v.temperature} °C PM2.5 ${v.pm25}`);
      }
      log.info(
        { connected: stats.connected, devices: sims.length, published: stats.published },
        `simulator: ${stats.connected}/${sims.length} devices, ${stats.published} messages — ${parts.join(' · ')}`,
      );
    }, summaryEvery);
  }

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (summary) clearInterval(summary);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await Promise.all(
      sims.map(async (s) => {
        if (s.timer) clearInterval(s.timer);
        if (s.client.connected) {
          const offline = new Promise<void>((r) => s.client.publish(topic(s.d.id, 'status'), JSON.stringify({ status: 'offline' }), { qos: 1 }, () => r()));
          await Promise.race([offline, new Promise<void>((r) => setTimeout(r, 1_000).unref())]);
        }
        await new Promise<void>((r) => s.client.end(!s.client.connected, {}, () => r()));
      }),
    );
  };
  opts.signal?.addEventListener('abort', () => void stop(), { once: true });
  if (opts.signal?.aborted) await stop();

  await Promise.all(pending);
  log.info(
    { devices: sims.length, connected: stats.connected, broker: redact(opts.brokerUrl) },
    `simulator: ${stats.connected}/${sims.length} demo devices connected`,
  );
  return { stats, latest, stop };
}

/** the broker URL without a password, for logs */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
