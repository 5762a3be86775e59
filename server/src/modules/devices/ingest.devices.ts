// The ingest pipeline's device cache (ingest.ts): device profiles loaded from the database and
// kept in memory so validation stays synchronous, unknown ids remembered briefly, and device
// credentials checked once per secret (secrets.ts) and then by a constant-time sha256 compare.
import crypto from 'node:crypto';
import { verifySecret } from './secrets.js';
import { parseKeys, type TelemetryKey } from './devices.repository.js';
import type { TelemetryRepository } from './telemetry.repository.js';

export const CACHE_TTL_MS = 5 * 60_000;
/** A verified device credential is trusted this long without reading the device again: the safety
 * net for a devices.device.changed event a node missed (e.g. cut off from NATS). */
export const DEVICE_AUTH_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 10_000;

export interface CachedDevice {
  id: string;
  typeCode: string;
  communityId: string;
  placePath: string;
  keys: Map<string, TelemetryKey>;
  secretHash: string;
  /** sha256 of the last secret verified against secretHash. */
  verified: Buffer | null;
  loadedAt: number;
}

/** A device credential: its secret ('valid'), not its secret ('wrong'), or no such device. */
export type CredentialCheck = 'valid' | 'wrong' | 'unknown';

const sha = (s: string) => crypto.createHash('sha256').update(s).digest();

export class DeviceCache {
  private cache = new Map<string, CachedDevice>();
  // Devices of one type share one parsed profile and one copy of their place's strings: with
  // 10,000 devices a copy each cost megabytes (docs/performance.md, memory).
  private profiles = new Map<string, Map<string, TelemetryKey>>();
  private strings = new Map<string, string>();
  private unknown = new Map<string, number>(); // id → until (wall time)

  constructor(private repo: TelemetryRepository) {}

  get(deviceId: string): CachedDevice | null {
    return this.cache.get(deviceId) ?? null;
  }

  /** Until when (wall time) the device is known not to exist, if it was looked up recently. */
  unknownUntil(deviceId: string): number | undefined {
    return this.unknown.get(deviceId);
  }

  /** Check a device credential (per connection or HTTP request); warms the device cache. */
  async authenticate(deviceId: string, secret: string): Promise<boolean> {
    return (await this.check(deviceId, secret)) === 'valid';
  }

  /** Like authenticate, but tells a device Linli does not know ('unknown') from a wrong secret
   * ('wrong'): an EMQX authenticator chain passes unknown names on to the next authenticator. */
  async check(deviceId: string, secret: string): Promise<CredentialCheck> {
    if (typeof deviceId !== 'string' || !deviceId || deviceId.length > 64) return 'unknown';
    const d = await this.load(deviceId);
    if (!d) return 'unknown';
    if (typeof secret !== 'string' || !secret || secret.length > 200) return 'wrong';
    const h = sha(secret);
    if (d.verified && crypto.timingSafeEqual(d.verified, h)) return 'valid';
    const ok = await verifySecret(d.secretHash, secret);
    if (ok) d.verified = h;
    return ok ? 'valid' : 'wrong';
  }

  /**
   * The device, if `secret` is its credential. A secret verified less than `maxAgeMs` ago is
   * accepted from memory (constant-time sha256 compare, no query); otherwise the device is read
   * again and the secret verified against the stored hash.
   */
  async verify(deviceId: string, secret: string, maxAgeMs = DEVICE_AUTH_TTL_MS): Promise<CachedDevice | null> {
    const d = this.cache.get(deviceId);
    if (
      d?.verified &&
      Date.now() - d.loadedAt < maxAgeMs &&
      typeof secret === 'string' &&
      secret.length <= 200 &&
      crypto.timingSafeEqual(d.verified, sha(secret))
    )
      return d;
    return (await this.authenticate(deviceId, secret)) ? this.get(deviceId) : null;
  }

  /** Drop what is cached about a device (after an update, a rotation, or its creation). */
  forget(deviceId: string): void {
    this.cache.delete(deviceId);
    this.unknown.delete(deviceId);
  }

  private intern(s: string): string {
    const had = this.strings.get(s);
    if (had !== undefined) return had;
    if (this.strings.size > 100_000) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  private profile(telemetry: string): Map<string, TelemetryKey> {
    let keys = this.profiles.get(telemetry);
    if (!keys) {
      if (this.profiles.size > 10_000) this.profiles.clear();
      this.profiles.set(telemetry, (keys = new Map(parseKeys(telemetry).map((x) => [x.key, x]))));
    }
    return keys;
  }

  /** Load a device row into the cache (keeping a verified secret when the stored hash is unchanged). */
  async load(deviceId: string): Promise<CachedDevice | null> {
    const row = await this.repo.deviceForCache(deviceId);
    if (!row) {
      this.cache.delete(deviceId);
      this.unknown.set(deviceId, Date.now() + UNKNOWN_TTL_MS);
      return null;
    }
    const prev = this.cache.get(deviceId);
    const d: CachedDevice = {
      id: row.id,
      typeCode: this.intern(row.type_code),
      communityId: this.intern(row.community_id),
      placePath: this.intern(row.place_path),
      keys: this.profile(row.telemetry),
      secretHash: row.secret_hash,
      verified: prev && prev.secretHash === row.secret_hash ? prev.verified : null,
      loadedAt: Date.now(),
    };
    this.unknown.delete(deviceId);
    this.cache.set(deviceId, d);
    return d;
  }
}
