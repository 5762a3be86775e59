// The cluster under faults: `npm run cluster:faults -- --seconds 60` (CI runs it after the suite,
// alone, because it restarts the machine's Mosquitto, NATS and PostgreSQL; the long form is a
// bench: --seconds 600).
//
// Three nodes behind HAProxy (cluster.ts) take a mixed load while the faults are injected:
//   15 %  SIGKILL one node            30 %  start it again
//   45 %  restart Mosquitto            60 %  restart NATS           75 %  restart PostgreSQL
// The load: signed-in staff read lists, and record offline payments of open bills, each with an
// Idempotency-Key per payment intent, retried with the same key after a network error or 5xx.
// Afterwards, read from the database:
//   - every acknowledged payment is stored; no bill was paid twice; each intent made one payment;
//   - the same session cookies still work (through the surviving nodes, and after the restarts);
//   - jobs are claimed again after PostgreSQL's restart (once per slot: the job_runs key);
//   - every node's /readyz answered 503 within 5 s of PostgreSQL going away, and 200 after.
// Prints JSON; exits 1 when an invariant fails (and says which).
// Not yet in the load (docs/operations.md says so): device telemetry, door decisions, payment
// notifications and ballots.
import crypto from 'node:crypto';
import { execSync } from 'node:child_process';
import pg from 'pg';
import { Command } from 'commander';
import { startCluster, waitReady, type Cluster } from './cluster.js';
import { DEMO_PASSWORD } from '../seed/seed.js';

const o = new Command('cluster-faults')
  .option('--seconds <n>', 'length of the mixed load', '60')
  .option('--nodes <n>', 'app nodes', '3')
  .option('--pg <url>', 'PostgreSQL server', process.env.LINLI_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres')
  .option('--mqtt <url>', 'MQTT broker', process.env.LINLI_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883')
  .option('--nats <url>', 'NATS', process.env.LINLI_TEST_NATS_URL || 'nats://127.0.0.1:4222')
  .parse()
  .opts();

const SECONDS = Number(o.seconds);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Session {
  cookie: string;
  csrf: string;
}

async function login(url: string, username: string): Promise<Session> {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
      const cookie = /linli_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
      return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
    } catch (e) {
      if (i > 20) throw e;
      await sleep(500);
    }
  }
}

async function call(url: string, s: Session, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const services = {
  mosquitto: () => execSync('pkill -x mosquitto; sleep 1; mosquitto -d -c /etc/mosquitto/mosquitto.conf', { stdio: 'ignore', shell: '/bin/bash' }),
  nats: () =>
    execSync(
      'pkill -x nats-server; sleep 1; start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log',
      { stdio: 'ignore', shell: '/bin/bash' },
    ),
  postgresStop: () =>
    execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main stop -m fast', { stdio: 'ignore', shell: '/bin/bash' }),
  postgresStart: () => execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main start', { stdio: 'ignore', shell: '/bin/bash' }),
};

async function main() {
  const problems: string[] = [];
  const t0 = Date.now();
  const cluster: Cluster = await startCluster({
    nodes: Number(o.nodes),
    pgUrl: o.pg,
    mqttUrl: o.mqtt,
    natsUrl: o.nats,
    proxyPort: 18000,
    basePort: 18081,
    seedDemo: true,
    log: (l) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${l}`),
  });
  const say = (l: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${l}`);
  const stats = { reads: 0, readErrors: 0, payments: 0, paymentRetries: 0, paymentRefused: 0, jobRunsAfterRestart: 0 };
  const acknowledged: { intent: string; paymentId: string; billId: string }[] = [];
  const readiness: { node: string; at: number; ready: boolean }[] = [];
  let pgDownAt = 0;
  let pgUpAt = 0;
  try {
    const staff = await login(cluster.url, 'property');
    const reader = await login(cluster.url, 'staff');
    const bills = await call(cluster.url, staff, 'GET', '/api/v1/billing/bills?status=open&pageSize=200');
    const open = ((bills.json?.items ?? []) as { id: string; outstandingFen: number }[]).filter((b) => b.outstandingFen > 0);
    if (!open.length) throw new Error('the demo has no open bills to pay');
    say(`${open.length} open bills to pay during the load`);

    const end = Date.now() + SECONDS * 1000;
    const running = () => Date.now() < end;
    // readiness of every node, 5 times a second
    const watch = (async () => {
      const last = new Map<string, boolean>();
      while (running()) {
        await Promise.all(
          cluster.nodes.map(async (n) => {
            if (!n.process) return;
            const ok = await fetch(`${n.url}/readyz`, { signal: AbortSignal.timeout(1000) })
              .then((r) => r.status === 200)
              .catch(() => null);
            if (ok === null) return; // not listening (killed): not a readiness answer
            if (last.get(n.id) !== ok) readiness.push({ node: n.id, at: Date.now(), ready: ok });
            last.set(n.id, ok);
          }),
        );
        await sleep(200);
      }
    })();
    const reads = (async () => {
      const paths = ['/api/v1/billing/bills?pageSize=20', '/api/v1/places/tree', '/api/v1/residents?pageSize=20', '/api/v1/auth/me'];
      while (running()) {
        const r = await call(cluster.url, reader, 'GET', paths[stats.reads % paths.length]).catch(() => null);
        stats.reads++;
        if (!r || r.status >= 500) stats.readErrors++;
        await sleep(20);
      }
    })();
    const payments = (async () => {
      for (const b of open) {
        if (!running()) break;
        const intent = crypto.randomUUID();
        for (let attempt = 0; running() || attempt === 0; attempt++) {
          const r = await call(
            cluster.url,
            staff,
            'POST',
            '/api/v1/billing/payments/offline',
            { billIds: [b.id], channel: 'cash', amountFen: b.outstandingFen, offlineRef: `fault-${intent.slice(0, 8)}` },
            { 'idempotency-key': intent },
          ).catch(() => null);
          if (r && r.status === 201) {
            acknowledged.push({ intent, paymentId: String(r.json!.id), billId: b.id });
            stats.payments++;
            break;
          }
          if (r && r.status < 500 && r.status !== 409) {
            stats.paymentRefused++; // a 4xx that a retry would not change
            say(`payment refused ${r.status} ${JSON.stringify(r.json)}`);
            break;
          }
          stats.paymentRetries++; // network error, 5xx, or 409 (the same key still in progress): the same key again
          await sleep(300);
        }
        await sleep(Math.max(100, (SECONDS * 1000) / open.length)); // spread over the whole load, across the faults
      }
    })();
    const faults = (async () => {
      const start = end - SECONDS * 1000;
      const at = (share: number) => sleep(Math.max(0, start + SECONDS * 1000 * share - Date.now()));
      await at(0.15);
      await cluster.nodes[1].kill();
      await at(0.3);
      await cluster.nodes[1].start();
      await at(0.45);
      services.mosquitto();
      say('Mosquitto restarted');
      await at(0.6);
      services.nats();
      say('NATS restarted');
      await at(0.75);
      pgDownAt = Date.now();
      services.postgresStop();
      say('PostgreSQL stopped');
      await sleep(8000);
      services.postgresStart();
      pgUpAt = Date.now();
      say('PostgreSQL started');
    })();
    await Promise.all([watch, reads, payments, faults]);
    // the load is over: everything settles, every node ready again
    for (const n of cluster.nodes) await waitReady(`${n.url}/readyz`, 60_000);

    // sessions go on
    for (const s of [staff, reader]) {
      const me = await call(cluster.url, s, 'GET', '/api/v1/auth/me');
      if (me.status !== 200) problems.push(`a session made before the faults answers ${me.status} after them`);
    }
    // readiness followed PostgreSQL
    for (const n of cluster.nodes) {
      const down = readiness.find((x) => x.node === n.id && !x.ready && x.at >= pgDownAt);
      if (!down || down.at - pgDownAt > 5000) problems.push(`${n.id}: /readyz did not turn 503 within 5 s of PostgreSQL stopping`);
      const up = readiness.find((x) => x.node === n.id && x.ready && x.at >= pgUpAt);
      if (!up) problems.push(`${n.id}: /readyz did not turn 200 after PostgreSQL came back`);
    }
    // nothing lost, nothing doubled
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      const ids = acknowledged.map((a) => a.paymentId);
      const stored = (await db.query('select id from payments where id = any($1)', [ids])).rows.length;
      if (stored !== ids.length) problems.push(`${ids.length - stored} acknowledged payment(s) not stored`);
      const doubled = (
        await db.query(
          `select pi.bill_id, count(*) as n from payment_items pi join payments p on p.id = pi.payment_id
           where p.channel = 'cash' and p.offline_ref like 'fault-%' group by pi.bill_id having count(*) > 1`,
        )
      ).rows;
      if (doubled.length) problems.push(`${doubled.length} bill(s) paid twice`);
      const perIntent = (
        await db.query(`select offline_ref, count(*) as n from payments where offline_ref like 'fault-%' group by offline_ref having count(*) > 1`)
      ).rows;
      if (perIntent.length) problems.push(`${perIntent.length} payment intent(s) stored twice`);
      // once per slot is the job_runs primary key (job, slot); what can fail is that jobs stop being claimed
      const after = Number((await db.query('select count(*) as n from job_runs where started_at > $1', [new Date(pgUpAt).toISOString()])).rows[0].n);
      if (!after) problems.push('no job ran after PostgreSQL came back');
      stats.jobRunsAfterRestart = after;
    } finally {
      await db.end();
    }
  } finally {
    if (pgDownAt && !pgUpAt) services.postgresStart(); // never leave the machine's database stopped
    await cluster.stop();
  }
  const result = { seconds: SECONDS, nodes: cluster.nodes.length, ...stats, acknowledged: acknowledged.length, readiness, problems, ok: problems.length === 0 };
  console.log(JSON.stringify(result, null, 2));
  if (!result.ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
