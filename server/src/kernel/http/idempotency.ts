// Idempotency keys for requests that must not take effect twice (payments, votes, door
// opens). The client sends `Idempotency-Key`; keys are per actor. The first request claims
// the key by inserting a placeholder row (status 0), so of concurrent duplicates exactly one
// runs the handler; the others get 409 while it runs, and later repeats get the stored
// response replayed (`Idempotency-Replayed: true`). The same key with a different request is
// refused with 422. A handler that throws releases the key, so the client may retry.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { iso, type Clock } from '../clock.js';
import { AppError } from './errors.js';
import { registerMessages } from './i18n.js';

registerMessages({
  'idempotency.missing_key': {
    zh: '请求缺少 Idempotency-Key 请求头（8 到 100 个字符）',
    en: 'The Idempotency-Key header (8 to 100 characters) is required',
  },
  'idempotency.conflict': { zh: '幂等键已用于另一个请求', en: 'The idempotency key was used for a different request' },
  'idempotency.in_progress': { zh: '相同的请求正在处理中，请稍后重试', en: 'The same request is still being processed; retry shortly' },
});

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotency-Replayed';
/** A placeholder older than this belongs to a run that died (crash, restart); it may be taken over. */
export const STALE_CLAIM_MS = 5 * 60_000;

export function requestHash(req: FastifyRequest): string {
  return crypto
    .createHash('sha256')
    .update(req.method)
    .update('\n')
    .update(req.url)
    .update('\n')
    .update(JSON.stringify(req.body ?? null))
    .digest('hex');
}

export async function withIdempotency<B>(
  k: { db: Db; clock: Clock },
  req: FastifyRequest,
  reply: FastifyReply,
  handler: () => Promise<{ status: number; body: B }>,
): Promise<B> {
  const actorId = req.actor?.userId;
  if (!actorId) throw new AppError(401, 'auth.required');
  const raw = req.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length < 8 || key.length > 100) throw new AppError(400, 'idempotency.missing_key');
  const hash = requestHash(req);
  const now = k.clock.now();

  const claimed = await k.db
    .insertInto('idempotency_keys')
    .values({ key, actor_id: actorId, request_hash: hash, status: 0, response: '', created_at: iso(now) })
    .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    const row = await k.db.selectFrom('idempotency_keys').selectAll().where('actor_id', '=', actorId).where('key', '=', key).executeTakeFirst();
    if (row) {
      if (row.request_hash !== hash) throw new AppError(422, 'idempotency.conflict');
      if (Number(row.status) !== 0) {
        reply.header(REPLAYED_HEADER, 'true');
        reply.status(Number(row.status));
        // the answer stored by the first run: the same body B, as JSON
        return (row.response === '' ? undefined : JSON.parse(row.response)) as B;
      }
      // still running, unless the claim is stale: then take it over (one node wins the update)
      if (now.getTime() - new Date(row.created_at).getTime() < STALE_CLAIM_MS) throw new AppError(409, 'idempotency.in_progress');
      const took = await k.db
        .updateTable('idempotency_keys')
        .set({ created_at: iso(now) })
        .where('actor_id', '=', actorId)
        .where('key', '=', key)
        .where('status', '=', 0)
        .where('created_at', '=', row.created_at)
        .executeTakeFirst();
      if (Number(took.numUpdatedRows) !== 1) throw new AppError(409, 'idempotency.in_progress');
    } else {
      // released between our insert and select (the first run failed): let the client retry
      throw new AppError(409, 'idempotency.in_progress');
    }
  }

  let result: { status: number; body: B };
  try {
    result = await handler();
  } catch (e) {
    await k.db.deleteFrom('idempotency_keys').where('actor_id', '=', actorId).where('key', '=', key).where('status', '=', 0).execute();
    throw e;
  }
  await k.db
    .updateTable('idempotency_keys')
    .set({ status: result.status, response: result.body === undefined ? '' : JSON.stringify(result.body) })
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .execute();
  reply.status(result.status);
  return result.body;
}
