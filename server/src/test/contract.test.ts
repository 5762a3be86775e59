// The API contract: every route declares what it answers (OpenAPI is complete and the web client is
// generated from it). Responses themselves are checked against their schemas in every test that
// drives the app (harness.ts turns validateResponses on; kernel/http/contract.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { contracts } from '../app.js';
import { routesWithoutResponseSchema } from '../kernel/http/contract.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('sqlite');
});
afterAll(async () => t?.close());

it('every API route declares the schema of its successful answer (or is declared raw: files, streams)', () => {
  const routes = contracts.get(t.app)!;
  expect(routes.length).toBeGreaterThan(100);
  expect(routesWithoutResponseSchema(routes)).toEqual([]);
});

it('every API operation in the OpenAPI document documents its problem+json errors', () => {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  const missing: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    if (!p.startsWith('/api/')) continue;
    for (const [m, op] of Object.entries(ops)) if (!op.responses?.['4XX'] && !op.responses?.['4xx']) missing.push(`${m.toUpperCase()} ${p}`);
  }
  expect(missing).toEqual([]);
});
