// HTTP Digest sign-in for devices (RFC 7616, MD5 with qop=auth — what cameras' "alarm host" /
// "HTTP listening" settings speak). Offered next to Basic; a device's user name is its id and its
// password its secret, as for Basic.
//
// What the server keeps: Digest needs MD5(user:realm:password) ("HA1") and device secrets are
// stored only as a SHA-256 hash, so the devices module also stores HA1, encrypted with the vault
// (devices.digest_ha1_enc, written when a device is created or its secret rotated). HA1 does not
// reveal the 192-bit secret, but it is enough to sign in by Digest, hence encrypted rather than
// plain; the realm is part of it, so DIGEST_REALM never changes.
//
// Nonces are stateless: issue time + random + HMAC over both with the vault's index key, so any
// node accepts a nonce any other node issued. A nonce lives NONCE_TTL_MS; after that a correct
// answer gets a fresh challenge with stale=true (clients retry without asking anyone). Replays:
// each nonce's nonce-counts (nc) seen are kept in memory until it expires and a repeated nc is
// refused. That memory is per node: behind a load balancer one replay to another node inside the
// nonce's five minutes is not caught — its effect is nil for camera events (the same body is the
// same event, stored once) and qop=auth protects no body anyway; TLS is what protects the
// content. Only answers with a valid digest are remembered, so strangers cannot fill the memory.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';

export const DIGEST_REALM = 'Linli';
export const NONCE_TTL_MS = 5 * 60_000;
const MAX_TRACKED_NONCES = 50_000;

const md5 = (s: string) => crypto.createHash('md5').update(s, 'utf8').digest('hex');

/** MD5(deviceId:realm:secret), what the server stores for Digest. */
export const digestHa1 = (deviceId: string, secret: string, realm = DIGEST_REALM) => md5(`${deviceId}:${realm}:${secret}`);

/** The response a client computes (RFC 7616 §3.4.1, qop=auth, algorithm MD5). */
export function digestResponse(ha1: string, p: { method: string; uri: string; nonce: string; nc: string; cnonce: string; qop?: string }): string {
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop ?? 'auth'}:${md5(`${p.method}:${p.uri}`)}`);
}

/** The auth-params of `Authorization: Digest …` (names lower-cased), or null if it is not one. */
export function parseDigest(header: string | undefined): Record<string, string> | null {
  const m = /^Digest\s+(.*)$/is.exec(header ?? '');
  if (!m || m[1].length > 2000) return null;
  const out: Record<string, string> = {};
  const text = m[1].trim();
  const re = /([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,\s*|$)/y;
  for (let i = 0; i < text.length;) {
    re.lastIndex = i;
    const hit = re.exec(text);
    if (!hit) return null;
    out[hit[1].toLowerCase()] = hit[2] !== undefined ? hit[2].replace(/\\(.)/g, '$1') : hit[3];
    i = re.lastIndex;
  }
  return out;
}

export type DigestOutcome = { deviceId: string } | { stale: true } | null;

export class DeviceDigest {
  private seen = new Map<string, { until: number; ncs: Set<number> }>();
  constructor(
    private k: Kernel,
    private ha1Of: (deviceId: string) => Promise<string | null>,
  ) {}

  private mac(stamp: string) {
    return this.k.vault.blindIndex('devices.digest.nonce', stamp);
  }

  /** A fresh WWW-Authenticate value (stale: the last answer was right but its nonce had expired). */
  challenge(stale = false): string {
    const stamp = `${this.k.clock.now().getTime().toString(36)}.${crypto.randomBytes(12).toString('base64url')}`;
    const opaque = this.mac('opaque');
    return `Digest realm="${DIGEST_REALM}", qop="auth", algorithm=MD5, nonce="${stamp}.${this.mac(stamp)}", opaque="${opaque}"${stale ? ', stale=true' : ''}`;
  }

  /** Check `Authorization: Digest …` of a request to `url` (its path and query) with `method`. */
  async verify(header: string | undefined, method: string, url: string): Promise<DigestOutcome> {
    const p = parseDigest(header);
    if (!p) return null;
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (!username || username.length > 64 || realm !== DIGEST_REALM || !nonce || !uri || !response || !cnonce || cnonce.length > 200) return null;
    if (qop !== 'auth' || !/^[0-9a-fA-F]{8}$/.test(nc ?? '') || (p.algorithm && p.algorithm.toUpperCase() !== 'MD5')) return null;
    if (!sameTarget(uri, url)) return null;
    const parts = nonce.split('.');
    if (parts.length !== 3 || !safeEqual(parts[2], this.mac(`${parts[0]}.${parts[1]}`))) return null;
    const ha1 = await this.ha1Of(username);
    if (!ha1 || !safeEqual(response.toLowerCase(), digestResponse(ha1, { method, uri, nonce, nc: nc!, cnonce }))) return null;
    const issued = parseInt(parts[0], 36);
    const now = this.k.clock.now().getTime();
    if (!Number.isFinite(issued) || now - issued > NONCE_TTL_MS || issued - now > 60_000) return { stale: true };
    return this.count(nonce, parseInt(nc!, 16), issued + NONCE_TTL_MS, now) ? { deviceId: username } : null;
  }

  /** Remember nc for this nonce; false if it was used already. */
  private count(nonce: string, nc: number, until: number, now: number): boolean {
    let s = this.seen.get(nonce);
    if (!s) {
      if (this.seen.size >= MAX_TRACKED_NONCES) {
        for (const [key, v] of this.seen) if (v.until < now || this.seen.size >= MAX_TRACKED_NONCES) this.seen.delete(key);
      }
      this.seen.set(nonce, (s = { until, ncs: new Set() }));
    }
    if (s.ncs.has(nc) || s.ncs.size >= 10_000) return false;
    s.ncs.add(nc);
    return true;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The digest's uri names the request's target (path + query; an absolute URI's host is not checked). */
function sameTarget(uri: string, url: string): boolean {
  if (uri === url) return true;
  try {
    const u = new URL(uri, 'http://x');
    return u.pathname + u.search === url;
  } catch {
    return false;
  }
}

const instances = new WeakMap<Kernel, DeviceDigest>();

/** The app's Digest checker (one per kernel: its replay memory must be shared by the routes). */
export function deviceDigestFor(k: Kernel, ha1Of: (deviceId: string) => Promise<string | null>): DeviceDigest {
  let d = instances.get(k);
  if (!d) instances.set(k, (d = new DeviceDigest(k, ha1Of)));
  return d;
}
