// A Linli cluster on this machine, set up the way docs/operations.md ("Several nodes") tells an
// operator to: N app nodes sharing one PostgreSQL database, the external MQTT broker (shared
// subscriptions split the device stream), NATS between the nodes, the same vault and audit signing
// keys on every node, and HAProxy in front with deploy/haproxy.cfg (only the bind address and the
// server lines rewritten). Used by `npm run cluster` and by the fault test (cluster.faults.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { projectRoot } from '../kernel/paths.js';
import { newPrivateKeyBase64 } from '../kernel/audit/signing.js';

export interface ClusterOptions {
  nodes: number;
  /** A PostgreSQL server URL; the cluster makes a fresh database on it (and drops it at stop). */
  pgUrl: string;
  mqttUrl: string;
  natsUrl: string;
  /** HAProxy listens here; node i on basePort + i. */
  proxyPort: number;
  basePort: number;
  /** Seed the demo community on the first node before the others start. */
  seedDemo: boolean;
  /** Keep the database at stop (for looking around afterwards). */
  keepDatabase?: boolean;
  log?: (line: string) => void;
}

export interface ClusterNode {
  id: string;
  port: number;
  url: string;
  process: ChildProcess | null;
  logFile: string;
  /** SIGKILL: no goodbye, no finishing of work in hand. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface Cluster {
  url: string;
  databaseUrl: string;
  dir: string;
  env: Record<string, string>;
  nodes: ClusterNode[];
  stop(): Promise<void>;
}

async function admin(url: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** Wait until `url` answers 200 (or give up after `ms`). */
export async function waitReady(url: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

/** deploy/haproxy.cfg with this cluster's bind address and servers. */
export function haproxyConfig(template: string, proxyPort: number, nodes: { id: string; port: number }[]): string {
  const lines = template.split('\n');
  const out: string[] = [];
  let serversAt = -1;
  for (const l of lines) {
    if (/^\s*bind\s/.test(l)) out.push(`    bind 127.0.0.1:${proxyPort}`);
    else if (/^\s*server\s/.test(l)) {
      if (serversAt < 0) serversAt = out.length;
    } else out.push(l);
  }
  if (serversAt < 0) throw new Error('deploy/haproxy.cfg has no server lines');
  out.splice(serversAt, 0, ...nodes.map((n) => `    server ${n.id} 127.0.0.1:${n.port} check`));
  return out.join('\n');
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const say = o.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-cluster-'));
  const name = `linli_cluster_${crypto.randomBytes(4).toString('hex')}`;
  await admin(o.pgUrl, `create database ${name}`);
  const u = new URL(o.pgUrl);
  u.pathname = '/' + name;
  const databaseUrl = u.toString();
  // the settings every node shares (deploy/linli.env.example)
  const env: Record<string, string> = {
    LINLI_DATABASE_URL: databaseUrl,
    LINLI_MQTT_URL: o.mqttUrl,
    LINLI_NATS_URL: o.natsUrl,
    LINLI_MASTER_KEY: `k1:${crypto.randomBytes(32).toString('base64')},index:${crypto.randomBytes(32).toString('base64')}`,
    LINLI_AUDIT_SIGNING_KEY: `private:${newPrivateKeyBase64()}`,
    LINLI_AUDIT_WITNESS_FILE: path.join(dir, 'audit-checkpoints.jsonl'),
    LINLI_HOST: '127.0.0.1',
    LINLI_TRUST_PROXY: 'true',
    LINLI_MQTT_PORT: '0',
    LINLI_DEMO_SIMULATE: 'false',
    LINLI_LOG_LEVEL: 'warn',
  };

  const nodes: ClusterNode[] = Array.from({ length: o.nodes }, (_, i) => {
    const id = `linli${i + 1}`;
    const port = o.basePort + i;
    const logFile = path.join(dir, `${id}.log`);
    const node: ClusterNode = {
      id,
      port,
      url: `http://127.0.0.1:${port}`,
      process: null,
      logFile,
      async start() {
        const dataDir = path.join(dir, id);
        fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const out = fs.openSync(logFile, 'a');
        node.process = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
          cwd: projectRoot,
          env: {
            ...process.env,
            ...env,
            LINLI_NODE_ID: id,
            LINLI_PORT: String(port),
            LINLI_DATA_DIR: dataDir,
            LINLI_SEED_DEMO: o.seedDemo && i === 0 ? 'true' : 'false',
          },
          stdio: ['ignore', out, out],
        });
        fs.closeSync(out);
        await waitReady(`${node.url}/readyz`);
        say(`${id} ready on ${node.url}`);
      },
      async kill() {
        const p = node.process;
        if (!p) return;
        p.kill('SIGKILL');
        await exited(p);
        node.process = null;
        say(`${id} killed (SIGKILL)`);
      },
    };
    return node;
  });

  let proxy: ChildProcess | null = null;
  const stop = async () => {
    for (const n of nodes) {
      const p = n.process;
      if (p) {
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
        await exited(p);
        clearTimeout(t);
      }
    }
    if (proxy) {
      proxy.kill('SIGTERM');
      await exited(proxy);
    }
    if (!o.keepDatabase) await admin(o.pgUrl, `drop database if exists ${name} with (force)`).catch(() => {});
  };

  try {
    // the first node migrates (and seeds), then the others join
    await nodes[0].start();
    await Promise.all(nodes.slice(1).map((n) => n.start()));
    const cfg = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(cfg, haproxyConfig(fs.readFileSync(path.join(projectRoot, 'deploy/haproxy.cfg'), 'utf8'), o.proxyPort, nodes));
    const check = spawn('haproxy', ['-c', '-q', '-f', cfg], { stdio: 'inherit' });
    await exited(check);
    if (check.exitCode !== 0) throw new Error(`haproxy refused ${cfg}`);
    const out = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
    proxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    await waitReady(`http://127.0.0.1:${o.proxyPort}/readyz`, 30_000);
    say(`HAProxy on http://127.0.0.1:${o.proxyPort} in front of ${nodes.length} node(s)`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${o.proxyPort}`, databaseUrl, dir, env, nodes, stop };
}
