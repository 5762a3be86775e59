// Sign-in throttling by progressive delay, not lock-out (docs/security/signin.md).
// Every failed sign-in is recorded under the keys it concerns: `acct:<username or phone index>`
// and `ip:<address>`. A key has a number of free failures; after that, each further attempt
// must wait 2^k seconds after the key's last failure (k = failures beyond the free ones, capped).
// An attempt made while waiting is answered 429 with Retry-After and is not counted, so hammering
// does not lengthen the wait, and the right password after the wait signs in.
import { AppError } from '../../kernel/http/errors.js';
import type { Messages } from '../../kernel/http/i18n.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import type { IdentityRepository } from './identity.repository.js';

/** Its messages: part of the identity manifest's catalog (identity.policy.ts). */
export const throttleMessages: Messages = {
  'auth.retry_later': { zh: '尝试次数过多，请 {seconds} 秒后再试', en: 'Too many attempts; try again in {seconds} s' },
};

export interface DelayPolicy {
  free: number; // failures without any wait
  capSeconds: number; // the longest wait
}

/** Per account: five free tries, then 2, 4, 8 … s, at most 5 min (about 12 guesses an hour). */
export const ACCOUNT_POLICY: DelayPolicy = { free: 5, capSeconds: 300 };
/** Per address: generous (many residents share one address behind carrier NAT), same ramp. */
export const ADDRESS_POLICY: DelayPolicy = { free: 30, capSeconds: 300 };
/** Failures older than this are forgotten (the identity.expire-sessions job purges them). */
export const FAILURE_WINDOW_MS = 24 * 3600_000;

/** Seconds an attempt must wait after the last of `failures` failures. */
export function delaySeconds(failures: number, p: DelayPolicy): number {
  if (failures < p.free) return 0;
  return Math.min(2 ** (failures - p.free + 1), p.capSeconds);
}

const policyOf = (key: string) => (key.startsWith('ip:') ? ADDRESS_POLICY : ACCOUNT_POLICY);

export class Throttle {
  private locks = new Map<string, Promise<unknown>>();
  constructor(
    private repo: IdentityRepository,
    private clock: Clock,
  ) {}

  /**
   * Runs one sign-in attempt for `keys` ([account key, address key]). Attempts on the same
   * account run one at a time in this process, so parallel guesses cannot all slip through
   * the same gap; each waits for the failure the one before it recorded.
   */
  async attempt<T>(keys: string[], run: () => Promise<T>): Promise<T> {
    const lockKey = keys[0];
    const before = this.locks.get(lockKey) ?? Promise.resolve();
    const mine = before
      .catch(() => undefined)
      .then(async () => {
        await this.check(keys);
        return run();
      });
    const tail = mine.catch(() => undefined);
    this.locks.set(lockKey, tail);
    try {
      return await mine;
    } finally {
      if (this.locks.get(lockKey) === tail) this.locks.delete(lockKey);
    }
  }

  /** 429 with the seconds to wait when any key is still waiting after its last failure. */
  async check(keys: string[]): Promise<void> {
    const now = this.clock.now().getTime();
    const since = new Date(now - FAILURE_WINDOW_MS).toISOString();
    let wait = 0;
    for (const key of keys) {
      const { n, last } = await this.repo.failureStats(key, since);
      if (!last) continue;
      const until = Date.parse(last) + delaySeconds(n, policyOf(key)) * 1000;
      wait = Math.max(wait, until - now);
    }
    if (wait > 0) throw new AppError(429, 'auth.retry_later', { seconds: Math.ceil(wait / 1000) });
  }

  /** Records a failure under every key, then throws 401 with `code`. */
  async fail(keys: string[], code: string): Promise<never> {
    const at = this.clock.now().toISOString();
    for (const key of keys) await this.repo.addFailure(newId('lf'), key, at);
    throw new AppError(401, code);
  }

  /** A success forgives the account's failures (never the address's: an attacker could clear
   * them by signing in to an account of their own). */
  async succeeded(keys: string[]): Promise<void> {
    await this.repo.clearFailures(keys[0]);
  }
}
