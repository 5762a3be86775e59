// Signatures of the exchange API, in the X-Road manner (../shared/references/x-road-signing-and-logging.md):
// - requests are signed by the client's subsystem with HTTP Message Signatures (RFC 9421, Ed25519),
//   covering @method, @target-uri (or @path) and content-digest (RFC 9530), with `created`, `nonce`
//   and `keyid` (the id of the client's registered public key);
// - responses are signed by the platform with its own Ed25519 key, covering @status,
//   content-digest and `linli-request-hash` (the hash of the request they answer, cf. X-Road-Request-Hash).
// RFC 9421 signature bases, parsing and verification come from the `http-message-signatures` library;
// what is written here is the policy around it (required components, age, replay, digest) and the
// platform key, which is kept like the audit signing key: a key-ring file apart from the database
// (`<dataDir>/exchange-signing.key`, mode 0600, made on first start; retired keys stay as public: lines).
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { httpbis, createSigner, createVerifier } from 'http-message-signatures';
import { newPrivateKeyBase64, parseSigningKeys, keyIdOf, type SigningKeys } from '../../kernel/audit/signing.js';

/** How old a request's `created` may be (and how far ahead of our clock). */
export const MAX_AGE_S = 300;
export const FUTURE_SKEW_S = 30;
export const SIGNATURE_LABEL = 'linli';
export const REQUEST_HASH_HEADER = 'linli-request-hash';

/** RFC 9530 Content-Digest of a body (sha-256). */
export function contentDigest(body: string | Buffer): string {
  return `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`;
}

/** base64 SHA-256 of a text (message bodies in the log are kept as hashes). */
export function sha256(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * The request hash a response carries (cf. X-Road-Request-Hash, SHA-512 over headers and body):
 * SHA-512 over SHA-512(method, target URI, Signature-Input, Signature) and SHA-512(body), base64.
 */
export function requestHash(method: string, targetUri: string, signatureInput: string, signature: string, body: string | Buffer): string {
  const h = crypto.createHash('sha512').update([method.toUpperCase(), targetUri, signatureInput, signature].join('\n')).digest();
  const b = crypto.createHash('sha512').update(body).digest();
  return crypto
    .createHash('sha512')
    .update(Buffer.concat([h, b]))
    .digest('base64');
}

/** A key id for a client's public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function clientKeyId(spkiBase64: string): string {
  return keyIdOf(Buffer.from(spkiBase64, 'base64'));
}

/** Parse a client's registered public key: base64 SPKI DER or PEM, Ed25519 only. Returns base64 SPKI DER. */
export function parseEd25519PublicKey(text: string): string | null {
  let key: KeyObject;
  try {
    const t = text.trim();
    key = t.startsWith('-----') ? crypto.createPublicKey(t) : crypto.createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
  if (key.asymmetricKeyType !== 'ed25519') return null;
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

type Headers = Record<string, string | string[] | undefined>;

function flat(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export type VerifyFailure =
  | 'exchange.signature_missing'
  | 'exchange.signature_malformed'
  | 'exchange.signature_components'
  | 'exchange.signature_stale'
  | 'exchange.signature_unknown_key'
  | 'exchange.signature_invalid'
  | 'exchange.digest_mismatch';

export interface VerifiedRequest {
  keyId: string;
  nonce: string;
  created: number;
  requestHash: string;
}

/** A registered client key, as the verifier needs it. */
export interface ClientKey {
  keyId: string;
  publicKey: KeyObject;
}

/**
 * Check a signed request: the Signature / Signature-Input pair labelled "linli" (or the only one),
 * covering @method, @target-uri or @path and content-digest, with created, nonce and keyid; the
 * created time within MAX_AGE_S of `now`; the signature by the key named; the body's digest. The
 * nonce is not checked here (the caller records it: a nonce seen before is a replay).
 */
export async function verifySignedRequest(
  req: { method: string; url: string; headers: Headers; body: string },
  now: Date,
  findKey: (keyId: string) => Promise<ClientKey | null>,
): Promise<{ ok: true; value: VerifiedRequest } | { ok: false; code: VerifyFailure }> {
  const h = flat(req.headers);
  const sig = h['signature'];
  const input = h['signature-input'];
  if (!sig || !input) return { ok: false, code: 'exchange.signature_missing' };
  // the covered components and parameters, read from the signature input (the library checks them too)
  const m = /^\s*([A-Za-z0-9_.*-]+)=\(([^)]*)\)(.*)$/.exec(input);
  // exactly one signature: a second member would let the checks below read another one than is verified
  if (!m || (input.match(/(^|,)\s*[A-Za-z0-9_.*-]+=\(/g) ?? []).length !== 1) return { ok: false, code: 'exchange.signature_malformed' };
  const components = m[2].split(/\s+/).filter(Boolean);
  const params = m[3];
  const created = Number(/;created=(\d+)/.exec(params)?.[1] ?? NaN);
  const nonce = /;nonce="([^"]{8,128})"/.exec(params)?.[1];
  const keyId = /;keyid="([^"]{1,100})"/.exec(params)?.[1];
  if (!Number.isFinite(created) || !nonce || !keyId) return { ok: false, code: 'exchange.signature_malformed' };
  const covers = (c: string) => components.includes(`"${c}"`);
  if (!covers('@method') || !(covers('@target-uri') || covers('@path')) || !covers('content-digest'))
    return { ok: false, code: 'exchange.signature_components' };
  const nowS = Math.floor(now.getTime() / 1000);
  if (nowS - created > MAX_AGE_S || created - nowS > FUTURE_SKEW_S) return { ok: false, code: 'exchange.signature_stale' };
  const key = await findKey(keyId);
  if (!key) return { ok: false, code: 'exchange.signature_unknown_key' };
  let ok: boolean | null = false;
  try {
    ok = await httpbis.verifyMessage(
      {
        keyLookup: async (p) => (p.keyid === keyId ? { id: keyId, algs: ['ed25519'], verify: createVerifier(key.publicKey, 'ed25519') } : null),
        requiredParams: ['created', 'nonce', 'keyid'],
        requiredFields: ['@method', 'content-digest'],
        notAfter: nowS + FUTURE_SKEW_S,
      },
      { method: req.method, url: req.url, headers: h },
    );
  } catch {
    ok = false;
  }
  if (!ok) return { ok: false, code: 'exchange.signature_invalid' };
  if (h['content-digest'] !== contentDigest(req.body)) return { ok: false, code: 'exchange.digest_mismatch' };
  return { ok: true, value: { keyId, nonce, created, requestHash: requestHash(req.method, req.url, input, sig, req.body) } };
}

/**
 * Sign a request as a client does (tests, the benchmark, client examples in docs): adds
 * Content-Digest, Signature-Input and Signature. `url` is the full target URI.
 */
export async function signRequest(
  o: { method: string; url: string; body?: string; headers?: Record<string, string> },
  key: { keyId: string; privateKey: KeyObject },
  opts: { created?: Date; nonce?: string; components?: string[] } = {},
): Promise<Record<string, string>> {
  const body = o.body ?? '';
  const headers: Record<string, string> = { ...(o.headers ?? {}), 'content-digest': contentDigest(body) };
  if (body) headers['content-type'] ??= 'application/json';
  const signed = await httpbis.signMessage(
    {
      key: createSigner(key.privateKey, 'ed25519', key.keyId),
      name: SIGNATURE_LABEL,
      fields: opts.components ?? ['@method', '@target-uri', 'content-digest'],
      params: ['created', 'nonce', 'keyid', 'alg'],
      paramValues: { created: opts.created ?? new Date(), nonce: opts.nonce ?? crypto.randomBytes(16).toString('base64url') },
    },
    { method: o.method, url: o.url, headers },
  );
  return signed.headers as Record<string, string>;
}

/** The platform's signing key for exchange responses. */
export class PlatformSigner {
  constructor(readonly keys: SigningKeys) {}

  get keyId(): string {
    return this.keys.activeKeyId;
  }

  /** Headers for a response body: content-digest, the request hash, and the platform's signature over them and the status. */
  async sign(status: number, body: string, reqHash: string, now: Date): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      'content-digest': contentDigest(body),
      [REQUEST_HASH_HEADER]: reqHash,
    };
    const keys = this.keys;
    const signed = await httpbis.signMessage(
      {
        key: { id: keys.activeKeyId, alg: 'ed25519', sign: async (data: Buffer) => Buffer.from(keys.sign(data), 'base64url') },
        name: SIGNATURE_LABEL,
        fields: ['@status', 'content-digest', REQUEST_HASH_HEADER],
        params: ['created', 'keyid', 'alg'],
        paramValues: { created: now },
      },
      { status, headers },
    );
    return signed.headers as Record<string, string>;
  }
}

/** Verify a platform response (clients, tests): its signature by one of the platform's public keys. */
export async function verifySignedResponse(
  res: { status: number; headers: Headers },
  platformKeys: { keyId: string; publicKey: string }[],
  body: string,
): Promise<boolean> {
  const h = flat(res.headers);
  if (h['content-digest'] !== contentDigest(body)) return false;
  try {
    const r = await httpbis.verifyMessage(
      {
        keyLookup: async (p) => {
          const k = platformKeys.find((x) => x.keyId === p.keyid);
          if (!k) return null;
          const key = crypto.createPublicKey({ key: Buffer.from(k.publicKey, 'base64'), format: 'der', type: 'spki' });
          return { id: k.keyId, algs: ['ed25519'], verify: createVerifier(key, 'ed25519') };
        },
        requiredFields: ['@status', 'content-digest', REQUEST_HASH_HEADER],
        requiredParams: ['created', 'keyid'],
        tolerance: 3600,
      },
      { status: res.status, headers: h },
    );
    return r === true;
  } catch {
    return false;
  }
}

const HEADER =
  "# Linli exchange signing key: signs the platform's responses on the exchange API. Keep it secret,\n# apart from the database and its backups. Retired keys stay as public: lines.\n";

export function exchangeKeyFilePath(dataDir: string): string {
  return path.join(dataDir, 'exchange-signing.key');
}

/** The platform's exchange signing key ring: LINLI_EXCHANGE_SIGNING_KEY, else the key file (made on first use). */
export function loadPlatformSigner(dataDir: string, fromEnv = process.env.LINLI_EXCHANGE_SIGNING_KEY): PlatformSigner {
  if (fromEnv) return new PlatformSigner(parseSigningKeys(fromEnv, 'LINLI_EXCHANGE_SIGNING_KEY'));
  const file = exchangeKeyFilePath(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${HEADER}private:${newPrivateKeyBase64()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return new PlatformSigner(parseSigningKeys(fs.readFileSync(file, 'utf8'), file));
}
