import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { FixedClock } from '../clock.js';
import { Authz, type Actor } from '../authz/index.js';
import { installAuth } from './auth.js';
import { AppError, installErrorHandling } from './errors.js';
import { STALE_CLAIM_MS, withIdempotency } from './idempotency.js';
import { eventually } from '../../test/wait.js';

function actor(userId: string): Actor {
  return { userId, kind: 'resident', name: userId, grants: [], residentId: null, sessionId: null, via: 'token' };
}

describeEachDialect('withIdempotency', (dialect) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let clock: FixedClock;
  let runs: number;
  let failNext: boolean;
  let gate: Promise<void> | null;

  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    clock = new FixedClock(new Date('2025-03-01T08:00:00Z'));
    runs = 0;
    failNext = false;
    gate = null;
    app = Fastify({ logger: false });
    installErrorHandling(app);
    installAuth(app, new Authz(), () => async (req) => {
      const u = req.headers['x-test-user'];
      return typeof u === 'string' ? { actor: actor(u), csrfToken: null } : null;
    });
    const k = { db: tdb.database.db, clock };
    app.post(
      '/api/v1/pay',
      { config: { auth: 'user' }, schema: { body: Type.Object({ amountFen: Type.Integer() }, { additionalProperties: false }) } },
      async (req, reply) =>
        withIdempotency(k, req, reply, async () => {
          if (gate) await gate;
          if (failNext) {
            failNext = false;
            throw new AppError(422, 'validation.failed');
          }
          runs++; // the side effect
          return { status: 201, body: { paymentNo: runs, amountFen: (req.body as { amountFen: number }).amountFen } };
        }),
    );
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await tdb.drop();
  });

  const pay = (key: string | null, amountFen = 100, user = 'usr_a') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/pay',
      headers: { 'x-test-user': user, ...(key ? { 'idempotency-key': key } : {}) },
      payload: { amountFen },
    });

  it('runs the handler once across 5 retries and replays the stored response', async () => {
    const first = await pay('key-00000001');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ paymentNo: 1, amountFen: 100 });
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      const again = await pay('key-00000001');
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual({ paymentNo: 1, amountFen: 100 });
      expect(again.headers['idempotency-replayed']).toBe('true');
    }
    expect(runs).toBe(1);
    // a new key is a new request; the same key for another user is that user's own
    expect((await pay('key-00000002')).json()).toEqual({ paymentNo: 2, amountFen: 100 });
    expect((await pay('key-00000001', 100, 'usr_b')).json()).toEqual({ paymentNo: 3, amountFen: 100 });
    expect(runs).toBe(3);
  });

  it('requires a key of 8–100 characters', async () => {
    for (const key of [null, 'short', 'x'.repeat(101)]) {
      const r = await pay(key);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'idempotency.missing_key', status: 400 });
    }
    const en = await app.inject({ method: 'POST', url: '/api/v1/pay?lang=en', headers: { 'x-test-user': 'usr_a' }, payload: { amountFen: 1 } });
    expect(en.json().title).toContain('Idempotency-Key');
    expect(runs).toBe(0);
  });

  it('refuses the same key for a different request with 422', async () => {
    await pay('key-00000001', 100);
    const r = await pay('key-00000001', 999);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'idempotency.conflict' });
    expect(runs).toBe(1);
  });

  it('of concurrent duplicates only one runs; the others get 409 in progress', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    let answered = 0;
    const inflight = Array.from({ length: 5 }, () => pay('key-concurrent').finally(() => answered++));
    // the losers answer while the winner is still held at the gate
    await vi.waitFor(async () => {
      const rows = await tdb.database.db.selectFrom('idempotency_keys').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe(0);
    });
    await eventually(() => answered === 4); // the four losers, while the winner waits at the gate
    open();
    const res = await Promise.all(inflight);
    const codes = res.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409]);
    for (const r of res.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('idempotency.in_progress');
    expect(runs).toBe(1);
    // and afterwards the stored result is replayed
    const later = await pay('key-concurrent');
    expect([later.statusCode, later.headers['idempotency-replayed'], runs]).toEqual([201, 'true', 1]);
  });

  it('a failed handler releases the key so the client can retry', async () => {
    failNext = true;
    expect((await pay('key-00000009')).statusCode).toBe(422);
    const retry = await pay('key-00000009');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBeUndefined();
    expect(runs).toBe(1);
  });

  it('a claim left by a crashed run is taken over once stale', async () => {
    await tdb.database.db
      .insertInto('idempotency_keys')
      .values({ key: 'key-crashed1', actor_id: 'usr_a', request_hash: 'x', status: 0, response: '', created_at: clock.now().toISOString() })
      .execute();
    // a different hash is still a conflict
    expect((await pay('key-crashed1')).statusCode).toBe(422);
    // the same request: in progress while the claim is fresh, taken over when stale
    gate = new Promise(() => {}); // the first run never finishes (the node "crashed")
    void pay('key-crashed2');
    await vi.waitFor(async () => expect(await tdb.database.db.selectFrom('idempotency_keys').selectAll().execute()).toHaveLength(2));
    gate = null;
    expect((await pay('key-crashed2')).statusCode).toBe(409);
    clock.advance(STALE_CLAIM_MS + 1000);
    const r = await pay('key-crashed2');
    expect(r.statusCode).toBe(201);
    expect(runs).toBe(1);
  });
});
