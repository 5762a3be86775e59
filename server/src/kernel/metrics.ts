// Metrics in Prometheus' text format (prom-client), one registry per app (tests build many apps in
// one process). The kernel measures what it owns: request latency per route, the database pool,
// jobs, the outbox and the process. Modules add theirs through `kernel.metrics` (ingest rate and
// queue, rule evaluation lag, door decisions…), by name, so that a metric is made once.
//
// `GET /metrics` answers a scraper on the same machine (loopback) or one that presents
// `Authorization: Bearer $LINLI_METRICS_TOKEN`; anyone else gets 404, as if there were nothing.
// docs/operations.md: the load balancer does not pass /metrics through; Prometheus scrapes each node.
import crypto from 'node:crypto';
import client, { type Counter, type Gauge, type Histogram } from 'prom-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from './db/index.js';

export class Metrics {
  readonly registry = new client.Registry();
  readonly http: Histogram<'method' | 'route' | 'status'>;
  private processMetrics = false;

  constructor(nodeId: string) {
    this.registry.setDefaultLabels({ node: nodeId });
    this.http = this.histogram('linli_http_request_duration_seconds', 'HTTP request duration by route (the route pattern, not the URL)', [
      'method',
      'route',
      'status',
    ]);
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return (this.registry.getSingleMetric(name) as Counter<L>) ?? new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (g: Gauge<L>) => void | Promise<void>): Gauge<L> {
    return (
      (this.registry.getSingleMetric(name) as Gauge<L>) ??
      new client.Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(collect
          ? {
              collect: async function (this: Gauge<L>) {
                await collect(this);
              },
            }
          : {}),
      })
    );
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]): Histogram<L> {
    return (
      (this.registry.getSingleMetric(name) as Histogram<L>) ??
      new client.Histogram({
        name,
        help,
        labelNames,
        buckets: buckets ?? [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [this.registry],
      })
    );
  }

  /** The text a scraper reads. Process metrics (CPU, memory, event-loop lag, GC) start at the first scrape. */
  async text(): Promise<string> {
    if (!this.processMetrics) {
      this.processMetrics = true;
      client.collectDefaultMetrics({ register: this.registry, prefix: 'linli_' });
    }
    return this.registry.metrics();
  }
}

/** Database pool (PostgreSQL) or write-lock queue (SQLite), read at each scrape. */
export function databaseMetrics(metrics: Metrics, database: Database): void {
  metrics.gauge('linli_db_pool_connections', 'PostgreSQL pool connections by state', ['state'], (g) => {
    const pool = database.pool;
    if (!pool) return;
    g.set({ state: 'total' }, pool.totalCount);
    g.set({ state: 'idle' }, pool.idleCount);
    g.set({ state: 'waiting' }, pool.waitingCount);
  });
  metrics.gauge('linli_db_write_turn_busy', 'SQLite: a writer holds or waits for the write lock (1) or not (0)', [], (g) => {
    if (database.turns) g.set(database.turns.busy ? 1 : 0);
  });
}

function loopback(req: FastifyRequest): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

function tokenMatches(header: string | undefined, token: string | null): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = crypto.createHash('sha256').update(header.slice(7)).digest();
  return crypto.timingSafeEqual(given, crypto.createHash('sha256').update(token).digest());
}

/** Times every request by its route pattern and serves GET /metrics. */
export function installMetrics(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.http.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { auth: 'public', rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
    // behind a proxy we run, the socket is the proxy's: only the token admits a scraper then
    const local = loopback(req) && !req.headers['x-forwarded-for'];
    if (!local && !tokenMatches(req.headers.authorization, token)) return reply.status(404).type('text/plain').send('Not Found');
    return reply.type(metrics.registry.contentType).send(await metrics.text());
  });
}
