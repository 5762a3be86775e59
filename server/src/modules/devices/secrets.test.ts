import { describe, expect, it } from 'vitest';
import { hash as argonHash } from '@node-rs/argon2';
import { hashSecret, verifySecret } from './secrets.js';
import { newSecret } from './devices.service.js';

describe('device secrets at rest', () => {
  it('stores a SHA-256 digest that verifies only the same secret', async () => {
    const s = newSecret();
    const h = await hashSecret(s);
    expect(h).not.toContain(s);
    expect(await verifySecret(h, s)).toBe(true);
    expect(await verifySecret(h, s + 'x')).toBe(false);
    expect(await verifySecret(h, '')).toBe(false);
  });

  it('still verifies Argon2id hashes written before, and refuses unknown formats', async () => {
    const legacy = await argonHash('old-device-secret', { algorithm: 2 });
    expect(await verifySecret(legacy, 'old-device-secret')).toBe(true);
    expect(await verifySecret(legacy, 'other')).toBe(false);
    expect(await verifySecret('md5$abc', 'abc')).toBe(false);
  });
});
