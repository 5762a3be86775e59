// Per-community Ed25519 signing keys for QR tokens. The private key is stored encrypted by the
// vault; the public key goes to controllers in their allow-list. Keys are created on first use.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { AccessRepository, type KeyRow } from './access.repository.js';
import { generateKeyPair } from './access.qr.js';

const cache = new WeakMap<Kernel, Map<string, { row: KeyRow; priv: crypto.KeyObject }>>();

export async function communityKey(k: Kernel, communityId: string): Promise<{ row: KeyRow; priv: crypto.KeyObject }> {
  let m = cache.get(k);
  if (!m) cache.set(k, (m = new Map()));
  const hit = m.get(communityId);
  if (hit) return hit;
  const repo = new AccessRepository(k.db);
  let row = await repo.keyOf(communityId);
  if (!row) {
    const kp = generateKeyPair();
    await repo.insertKey({
      id: newId('akey'),
      community_id: communityId,
      public_key: kp.publicKey,
      private_key_enc: k.vault.encrypt(kp.privatePem),
      created_at: k.clock.now().toISOString(),
    });
    row = (await repo.keyOf(communityId))!; // another node may have won the race: use its key
  }
  const v = { row, priv: crypto.createPrivateKey(k.vault.decrypt(row.private_key_enc)) };
  m.set(communityId, v);
  return v;
}

/** Only the public half, as controllers get it. */
export async function publicKeyOf(k: Kernel, communityId: string) {
  const { row } = await communityKey(k, communityId);
  return { keyId: row.id, publicKey: row.public_key, alg: 'Ed25519' as const };
}
