// bench/ingest publisher (child process of run.ts): simulated devices, each an MQTT connection
// signed in as itself (username = device id, password = its secret), publishing QoS 1
// telemetry of 3 values to its own topic. Publish times go back to run.ts over IPC.
// Clock: performance.timeOrigin + performance.now() (comparable across processes).
// The MQTT client is the lean one in rawmqtt.ts (see there why).
import { RawMqttClient } from './rawmqtt.js';

type Dev = { id: string; secret: string };
const clock = () => performance.timeOrigin + performance.now();
let clients: (RawMqttClient | undefined)[] = [];
let devs: Dev[] = [];
const seq: number[] = [];
const send = (m: unknown) => new Promise<void>((r) => process.send!(m, () => r()));

const topic = (id: string) => `linli/v1/devices/${id}/telemetry`;
const payload = (ts: number, temperature = 50) => `{"ts":${ts},"values":{"pressure":0.5,"flow":100,"temperature":${temperature}}}`;

async function connectAll(url: string, protocolVersion: 4 | 5, concurrency: number) {
  const u = new URL(url);
  const t = clock();
  clients = new Array(devs.length);
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, devs.length) }, async () => {
      while (next < devs.length) {
        const i = next++;
        const c = new RawMqttClient({
          host: u.hostname,
          port: Number(u.port || 1883),
          clientId: `${devs[i]!.id}/bench`,
          username: devs[i]!.id,
          password: devs[i]!.secret,
          protocolVersion,
        });
        try {
          await c.connect();
          clients[i] = c;
        } catch (e) {
          failed++;
          if (failed < 5) console.error('connect failed', devs[i]!.id, (e as Error).message);
        }
      }
    }),
  );
  return { ms: clock() - t, failed };
}

async function closeAll() {
  await Promise.all(clients.map((c) => c?.end().catch(() => undefined)));
  clients = [];
}

/** Every device publishes `perDevice` messages, keeping `window` unacknowledged messages in flight. */
async function burst(perDevice: number, base: number, window: number) {
  const times = new Float64Array(devs.length * perDevice);
  const t0 = clock();
  await Promise.all(
    clients.map(
      (c, d) =>
        new Promise<void>((resolve) => {
          if (!c) return resolve();
          let s = 0;
          let acked = 0;
          const id = devs[d]!.id;
          const tp = topic(id);
          const one = () => {
            const k = s++;
            times[d * perDevice + k] = clock();
            c.publish(tp, payload(base + k));
          };
          c.onAck = () => {
            acked++;
            if (acked === perDevice) return resolve();
            if (s < perDevice) one();
          };
          c.cork();
          while (s < Math.min(window, perDevice)) one();
          c.uncork();
        }),
    ),
  );
  return { ms: clock() - t0, times: Array.from(times) };
}

/** `rate` messages/s in total, round-robin over the devices, for `seconds`; every probe device
 * sends one rule-breaking value (temperature 95) at a spread-out moment. */
async function paced(rate: number, seconds: number, base: number, probes: number[]) {
  const sent: number[] = []; // devIdx, seq, time triples
  const probeAt = new Map<number, number>();
  probes.forEach((d, k) => probeAt.set(d, ((k + 0.5) / probes.length) * seconds * 0.8 * 1000));
  const probeSent: number[] = [];
  const total = Math.floor(rate * seconds);
  let acked = 0;
  for (const c of clients) if (c) c.onAck = () => void acked++;
  const t0 = clock();
  let done = 0;
  let rr = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const el = clock() - t0;
      const due = Math.min(Math.floor((el / 1000) * rate), total);
      while (done < due) {
        const d = rr++ % clients.length;
        done++;
        const c = clients[d];
        if (!c) continue;
        const s = (seq[d] = (seq[d] ?? 0) + 1);
        const at = probeAt.get(d);
        const probe = at !== undefined && el >= at;
        if (probe) {
          probeAt.delete(d);
          probeSent.push(d, s);
        }
        sent.push(d, s, clock());
        c.publish(topic(devs[d]!.id), payload(base + s, probe ? 95 : 50));
      }
      if (done >= total) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  for (let i = 0; i < 600 && acked < sent.length / 3; i++) await new Promise((r) => setTimeout(r, 50));
  return { ms: clock() - t0, sent, probeSent };
}

process.on('message', async (m: any) => {
  try {
    if (m.cmd === 'devices') {
      devs = m.devices;
      await send({ ok: true });
    } else if (m.cmd === 'connect') await send(await connectAll(m.url, m.protocolVersion, m.concurrency));
    else if (m.cmd === 'burst') await send(await burst(m.perDevice, m.base, m.window));
    else if (m.cmd === 'paced') await send(await paced(m.rate, m.seconds, m.base, m.probes));
    else if (m.cmd === 'close') {
      await closeAll();
      await send({ ok: true });
    } else if (m.cmd === 'exit') process.exit(0);
  } catch (e) {
    await send({ error: String((e as Error).stack ?? e) });
  }
});
