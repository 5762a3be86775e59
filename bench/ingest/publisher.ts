// bench/ingest publisher (child process of run.ts): simulated devices, each an MQTT client
// signed in as itself (username = device id, password = its secret), publishing QoS 1
// telemetry of 3 values to its own topic. Publish times go back to run.ts over IPC.
// Clock: performance.timeOrigin + performance.now() (comparable across processes).
import mqtt from 'mqtt';

type Dev = { id: string; secret: string };
const clock = () => performance.timeOrigin + performance.now();
let clients: mqtt.MqttClient[] = [];
let devs: Dev[] = [];
const seq: number[] = [];
const send = (m: unknown) => new Promise<void>((r) => process.send!(m, () => r()));

const topic = (id: string) => `linli/v1/devices/${id}/telemetry`;
const payload = (ts: number, temperature = 50) => JSON.stringify({ ts, values: { pressure: 0.5, flow: 100, temperature } });

async function connectAll(url: string, protocolVersion: 4 | 5, concurrency: number) {
  const t = clock();
  clients = new Array(devs.length);
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, devs.length) }, async () => {
      while (next < devs.length) {
        const i = next++;
        try {
          clients[i] = await mqtt.connectAsync(url, { username: devs[i]!.id, password: devs[i]!.secret, clientId: `bench-${devs[i]!.id}`, protocolVersion, reconnectPeriod: 0, connectTimeout: 120_000, keepalive: 300, clean: true });
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
  await Promise.all(clients.map((c) => c?.endAsync().catch(() => undefined)));
  clients = [];
}

/** Every device publishes `perDevice` messages as fast as `window` unacknowledged messages allow. */
async function burst(perDevice: number, base: number, window: number) {
  const times = new Float64Array(devs.length * perDevice);
  const t0 = clock();
  await Promise.all(
    clients.map(async (c, d) => {
      if (!c) return;
      let s = 0;
      const one = async () => {
        while (s < perDevice) {
          const k = s++;
          times[d * perDevice + k] = clock();
          await c.publishAsync(topic(devs[d]!.id), payload(base + k), { qos: 1 });
        }
      };
      await Promise.all(Array.from({ length: window }, one));
    }),
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
  const t0 = clock();
  let done = 0;
  let rr = 0;
  const pending: Promise<unknown>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const el = clock() - t0;
      const due = Math.min(Math.floor((el / 1000) * rate), Math.floor(rate * seconds));
      while (done < due) {
        const d = rr++ % clients.length;
        done++;
        const c = clients[d];
        if (!c) continue;
        const s = seq[d] = (seq[d] ?? 0) + 1;
        const at = probeAt.get(d);
        const probe = at !== undefined && el >= at;
        if (probe) {
          probeAt.delete(d);
          probeSent.push(d, s);
        }
        const t = clock();
        sent.push(d, s, t);
        pending.push(c.publishAsync(topic(devs[d]!.id), payload(base + s, probe ? 95 : 50), { qos: 1 }).catch(() => undefined));
      }
      if (done >= Math.floor(rate * seconds)) return resolve();
      setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(pending);
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
