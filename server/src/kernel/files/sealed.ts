// Envelope encryption of stored files: each file has its own random 256-bit data key; the bytes
// on disk are AES-256-GCM under that key, and the key itself is kept in the file's metadata row
// wrapped by the vault (kernel/vault: AES-256-GCM under the vault's active key, with its key id),
// so `linli vault rotate` re-wraps the data keys without rewriting any file.
// On disk: "LNF1" | 12-byte IV | ciphertext | 16-byte tag. The file id is the additional
// authenticated data: the bytes of one file cannot be passed off as another's.
import crypto from 'node:crypto';
import type { Vault } from '../vault/index.js';

const MAGIC = Buffer.from('LNF1', 'latin1');

export function seal(vault: Vault, fileId: string, plain: Buffer): { data: Buffer; keyEnc: string } {
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(fileId, 'utf8'));
  const data = Buffer.concat([MAGIC, iv, c.update(plain), c.final(), c.getAuthTag()]);
  return { data, keyEnc: vault.encrypt(key.toString('base64')) };
}

export function unseal(vault: Vault, fileId: string, keyEnc: string, data: Buffer): Buffer {
  if (data.length < MAGIC.length + 12 + 16 || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`files: ${fileId} is not an encrypted file`);
  const key = Buffer.from(vault.decrypt(keyEnc), 'base64');
  const iv = data.subarray(MAGIC.length, MAGIC.length + 12);
  const d = crypto.createDecipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(fileId, 'utf8'));
  d.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([d.update(data.subarray(MAGIC.length + 12, data.length - 16)), d.final()]);
}
