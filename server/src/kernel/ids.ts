// Prefixed, sortable ids: `res_01J…` (ULID, monotonic within a process).
// The ulid library draws its randomness one byte per character (crypto.randomBytes(1), 16 calls
// per id); here it draws from a pooled buffer filled by crypto.randomFillSync 4 KiB at a time
// (256 ids' worth), which profiling showed is most of the cost of an id. Same library, format and
// monotonic order; a byte maps to a character as byte / 256 (uniform over the 32 characters).
import crypto from 'node:crypto';
import { monotonicFactory } from 'ulid';

const POOL_BYTES = 4096;

/** A source of uniform numbers in [0, 1), one pooled random byte each (exported for the test). */
export function pooledRandom(poolBytes = POOL_BYTES): () => number {
  const pool = Buffer.allocUnsafe(poolBytes);
  let at = poolBytes;
  return () => {
    if (at === poolBytes) {
      crypto.randomFillSync(pool);
      at = 0;
    }
    return pool[at++] / 256;
  };
}

const next = monotonicFactory(pooledRandom());

export function newId(prefix: string): string {
  return `${prefix}_${next()}`;
}
