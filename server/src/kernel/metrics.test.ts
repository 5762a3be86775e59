// GET /metrics: Prometheus text with request latency per route pattern (never the URL, which can
// carry phone and ID numbers), the database gauges and process metrics; loopback or a bearer token only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../test/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

describeEachDialect('metrics endpoint', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { LINLI_METRICS_TOKEN: TOKEN, LINLI_NODE_ID: 'node-a' } });
  });
  afterAll(async () => t?.close());

  /** The value of a sample whose labels include all of `labels` (label order is the library's). */
  const sample = (text: string, name: string, labels: Record<string, string>) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
      .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
  const scrape = (from: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: from, headers });

  it('counts requests by route pattern and status, labelled with the node', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/residents?phone=13912345678', remoteAddress: '127.0.0.1' }); // 401: no session
    await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '127.0.0.1' });
    const r = await scrape('127.0.0.1');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const count = 'linli_http_request_duration_seconds_count';
    expect(sample(r.body, count, { method: 'GET', route: '/api/v1/residents', status: '401', node: 'node-a' })).toEqual([1]);
    expect(sample(r.body, count, { method: 'GET', route: '/healthz', status: '200', node: 'node-a' })).toEqual([1]);
    expect(r.body).not.toContain('13912345678');
    expect(r.body).toContain('linli_process_cpu_seconds_total');
    expect(r.body).toContain('linli_nodejs_eventloop_lag_seconds');
    if (dialect === 'postgres') expect(sample(r.body, 'linli_db_pool_connections', { state: 'total', node: 'node-a' })[0]).toBeGreaterThan(0);
    else expect(sample(r.body, 'linli_db_write_turn_busy', { node: 'node-a' })).toHaveLength(1);
  });

  it('answers another address only with the token, and not through a proxy without it', async () => {
    expect((await scrape('10.0.0.9')).statusCode).toBe(404);
    expect((await scrape('10.0.0.9', { authorization: 'Bearer wrong-token-0123456789abcdef0123456789' })).statusCode).toBe(404);
    expect((await scrape('127.0.0.1', { 'x-forwarded-for': '203.0.113.5' })).statusCode).toBe(404);
    const ok = await scrape('10.0.0.9', { authorization: `Bearer ${TOKEN}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('linli_http_request_duration_seconds_bucket');
  });
});
