// bench/health publisher (child process of run.ts): simulated home blood-pressure monitors, each
// an MQTT connection signed in as itself, publishing one reading every `period` seconds (paced
// round-robin over all devices). Probe devices send one urgent reading (190/115) at a spread-out
// moment; their send times go back to run.ts. Clock: performance.timeOrigin + performance.now().
import { RawMqttClient } from '../ingest/rawmqtt.js';

type Dev = { id: string; secret: string };
const clock = () => performance.timeOrigin + performance.now();
let clients: (RawMqttClient | undefined)[] = [];
let devs: Dev[] = [];
const send = (m: unknown) => new Promise<void>((r) => process.send!(m, () => r()));
const topic = (id: string) => `linli/v1/devices/${id}/telemetry`;

async function connectAll(url: string, concurrency: number) {
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
          protocolVersion: 4,
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

/** `rate` readings/s in total for `seconds`, round-robin; a probe device's first reading is urgent. */
async function paced(rate: number, seconds: number, probes: number[]) {
  const probeAt = new Set(probes);
  const probeSent: number[] = []; // devIdx, ts, sent time
  const total = Math.floor(rate * seconds);
  let acked = 0;
  for (const c of clients) if (c) c.onAck = () => void acked++;
  const t0 = clock();
  let done = 0;
  let rr = 0;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const el = clock() - t0;
      const due = Math.min(Math.floor((el / 1000) * rate), total);
      while (done < due) {
        const d = rr++ % clients.length;
        done++;
        const c = clients[d];
        if (!c) continue;
        const probe = probeAt.has(d);
        const ts = Date.now();
        const v = probe ? '"systolic":190,"diastolic":115,"pulse":92' : `"systolic":${118 + (d % 12)},"diastolic":${76 + (d % 6)},"pulse":72`;
        if (probe) {
          probeAt.delete(d);
          probeSent.push(d, ts, clock());
        }
        sent++;
        c.publish(topic(devs[d]!.id), `{"ts":${ts},"values":{${v}}}`);
      }
      if (done >= total) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  for (let i = 0; i < 600 && acked < sent; i++) await new Promise((r) => setTimeout(r, 50));
  return { ms: clock() - t0, sent, acked, probeSent };
}

process.on('message', async (m: any) => {
  try {
    if (m.cmd === 'devices') {
      devs = m.devices;
      await send({ ok: true });
    } else if (m.cmd === 'connect') await send(await connectAll(m.url, m.concurrency));
    else if (m.cmd === 'paced') await send(await paced(m.rate, m.seconds, m.probes));
    else if (m.cmd === 'close') {
      await closeAll();
      await send({ ok: true });
    } else if (m.cmd === 'exit') process.exit(0);
  } catch (e) {
    await send({ error: String((e as Error).stack ?? e) });
  }
});
