import { describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import { newId, pooledRandom } from './ids.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/; // Crockford base32, 10 time + 16 random characters

describe('newId', () => {
  it('is the prefix, an underscore and a ULID of the current time', () => {
    const before = Date.now();
    const id = newId('res');
    const after = Date.now();
    const [prefix, ulid] = id.split('_');
    expect(prefix).toBe('res');
    expect(ulid).toMatch(ULID);
    expect(decodeTime(ulid)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(ulid)).toBeLessThanOrEqual(after);
  });

  it('is unique and strictly increasing within the process, also within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('alg'));
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // many fall in the same millisecond: there the library increments the random part
    const times = ids.map((x) => decodeTime(x.slice(4)));
    expect(new Set(times).size).toBeLessThan(ids.length);
  });

  it('ids made in different milliseconds have fresh random parts', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      seen.add(newId('x').slice(12)); // the 16 random characters
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(seen.size).toBe(20);
  });
});

describe('pooledRandom', () => {
  it('gives numbers in [0, 1) that cover every one of the 32 characters, across pool refills', () => {
    const rnd = pooledRandom(64);
    const counts = new Array(32).fill(0);
    for (let i = 0; i < 64 * 500; i++) {
      const x = rnd();
      expect(x >= 0 && x < 1).toBe(true);
      counts[Math.floor(x * 32)]++;
    }
    // 1000 expected per character; a uniform source stays well inside 700..1300
    for (const c of counts) expect(c > 700 && c < 1300).toBe(true);
  });

  it('does not repeat the pool after a refill', () => {
    const rnd = pooledRandom(32);
    const first = Array.from({ length: 32 }, rnd).join();
    const second = Array.from({ length: 32 }, rnd).join();
    expect(second).not.toBe(first);
  });
});
