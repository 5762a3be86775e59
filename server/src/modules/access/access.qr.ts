// Phone QR tokens: a compact token signed with Ed25519, short enough for a QR code that a phone
// camera reads fast. Keys are made and tokens signed with node:crypto; the server verifies with
// libsodium (sodium-native, crypto_sign_verify_detached) on the raw 32-byte public key: about twice
// node:crypto's verify rate on the same core (docs/api/access.md), and a door's QR decision
// verifies every token. Both are plain Ed25519 (RFC 8032): the same keys and signatures. Format: base64url(JSON payload) "." base64url(signature).
// Payload: v version, k key id, m community id, c credential id (or visitor pass id),
// s door scope ('*' = every door the holder may open, or point ids), i issued / e expires
// (unix seconds, e - i <= 60), n nonce. Controllers verify offline with the community's public
// key (in their allow-list); the server additionally refuses a nonce it has already seen.
import crypto from 'node:crypto';
import sodium from 'sodium-native';

export const QR_MAX_TTL_S = 60;

export interface QrPayload {
  v: 1;
  k: string;
  m: string;
  c: string;
  s: string[];
  i: number;
  e: number;
  n: string;
}

export interface KeyPair {
  publicKey: string; // raw 32 bytes, base64url
  privatePem: string;
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ format: 'jwk' }).x!, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

const publicKeys = new Map<string, crypto.KeyObject>();
/** The public key as a node:crypto key object (tests, and anyone verifying with node:crypto). */
export function publicKeyObject(raw: string): crypto.KeyObject {
  let k = publicKeys.get(raw);
  if (!k) {
    k = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
    if (publicKeys.size > 1000) publicKeys.clear();
    publicKeys.set(raw, k);
  }
  return k;
}

const rawKeys = new Map<string, Buffer>();
/** The raw 32-byte public key for libsodium (decoded once per key). */
function rawPublicKey(b64url: string): Buffer | null {
  let k = rawKeys.get(b64url);
  if (!k) {
    k = Buffer.from(b64url, 'base64url');
    if (k.length !== sodium.crypto_sign_PUBLICKEYBYTES) return null;
    if (rawKeys.size > 1000) rawKeys.clear();
    rawKeys.set(b64url, k);
  }
  return k;
}

/** Ed25519 verification of a detached signature with a raw (base64url) public key, by libsodium. */
export function verifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  const k = rawPublicKey(publicKey);
  return !!k && signature.length === sodium.crypto_sign_BYTES && sodium.crypto_sign_verify_detached(signature, message, k);
}

export function signToken(p: Omit<QrPayload, 'v' | 'n'> & { n?: string }, privateKey: crypto.KeyObject): string {
  const payload: QrPayload = { v: 1, k: p.k, m: p.m, c: p.c, s: p.s, i: p.i, e: p.e, n: p.n ?? crypto.randomBytes(12).toString('base64url') };
  const body = Buffer.from(JSON.stringify(payload));
  return body.toString('base64url') + '.' + crypto.sign(null, body, privateKey).toString('base64url');
}

export type QrError = 'qr_malformed' | 'qr_bad_signature' | 'qr_expired' | 'qr_wrong_key' | 'qr_wrong_door';

/** Parse without verifying (to find the key id). */
export function decodeToken(token: string): { payload: QrPayload; body: Buffer; sig: Buffer } | null {
  if (token.length > 1000) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  try {
    const body = Buffer.from(token.slice(0, dot), 'base64url');
    const sig = Buffer.from(token.slice(dot + 1), 'base64url');
    const p = JSON.parse(body.toString('utf8')) as QrPayload;
    const ok =
      p &&
      p.v === 1 &&
      typeof p.k === 'string' &&
      typeof p.m === 'string' &&
      typeof p.c === 'string' &&
      Array.isArray(p.s) &&
      p.s.every((x) => typeof x === 'string') &&
      Number.isInteger(p.i) &&
      Number.isInteger(p.e) &&
      typeof p.n === 'string' &&
      p.n.length >= 8 &&
      p.n.length <= 64;
    return ok && sig.length === 64 ? { payload: p, body, sig } : null;
  } catch {
    return null;
  }
}

/**
 * Verify a token for a door: signed by the community's key, not expired, lifetime ≤ 60 s,
 * and the door within its scope. The nonce (replay) is the caller's to check.
 */
export function verifyToken(token: string, o: { keyId: string; communityId: string; publicKey: string; pointId: string; nowS: number }): QrPayload | QrError {
  const d = decodeToken(token);
  if (!d) return 'qr_malformed';
  const p = d.payload;
  if (p.k !== o.keyId || p.m !== o.communityId) return 'qr_wrong_key';
  if (!verifyEd25519(d.body, d.sig, o.publicKey)) return 'qr_bad_signature';
  if (p.e - p.i > QR_MAX_TTL_S || p.e <= o.nowS || p.i > o.nowS + 30) return 'qr_expired';
  if (!p.s.includes('*') && !p.s.includes(o.pointId)) return 'qr_wrong_door';
  return p;
}
