// One-time sign-in codes by SMS (docs/security/signin.md).
// Every answer depends only on the phone's history of requests and on the address, never on
// whether the phone belongs to a resident: an unknown phone gets a code row too (a random code
// that is never sent), so cool-down, hourly cap, expiry and attempts count the same for both,
// and the only difference is the SMS itself.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { AppError, invalid } from '../../kernel/http/errors.js';
import { t } from '../../kernel/http/i18n.js';
import { places, normalisePhone, isMainlandMobile } from '../registry/index.js';
import type { IdentityRepository, UserRow } from './identity.repository.js';
import type { Throttle } from './identity.throttle.js';

export const OTP_TTL_S = 300; // a code is good for 5 minutes after it is sent (or renewed)
export const OTP_RESEND_S = 60; // at most one SMS a minute per phone
export const OTP_SENDS_PER_HOUR = 5; // at most 5 SMS an hour per phone (see renewal below)
export const OTP_MAX_LIFE_S = 3600; // a renewed code lives at most an hour after it was sent
export const OTP_MAX_ATTEMPTS = 5; // wrong answers a code takes before it is worn out
export const OTP_PER_ADDRESS_HOUR = 30; // codes issued per hour to requests from one address

type OtpRow = NonNullable<Awaited<ReturnType<IdentityRepository['newestOtp']>>>;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const HOUR = 3600_000;

export interface OtpAnswer {
  /** how long the code the phone should use stays valid */
  expiresInSeconds: number;
  /** when asking again may send a new SMS */
  resendInSeconds: number;
}

export class OneTimeCodes {
  private locks = new Map<string, Promise<unknown>>();
  constructor(
    private k: Kernel,
    private repo: IdentityRepository,
    private throttle: Throttle,
    private phoneIndex: (phone: string) => string,
  ) {}

  private now() {
    return this.k.clock.now().getTime();
  }

  private usable(o: OtpRow | undefined, now: number): o is OtpRow {
    return !!o && !o.used_at && Number(o.attempts) < OTP_MAX_ATTEMPTS && Date.parse(o.created_at) + OTP_MAX_LIFE_S * 1000 > now;
  }

  /**
   * Asks for a code. Within a minute of the last code, the answer points at that code (no new
   * SMS). Over the hourly cap, no new SMS either: the newest code is renewed for another five
   * minutes (at most an hour after it was sent), so the owner can use the SMS they already have
   * even when someone else keeps asking for codes to their phone. A new code is sent over the
   * cap only when the newest one can no longer be used (used, or worn out by wrong answers,
   * which the verify throttle slows down).
   */
  async request(phoneRaw: string, ip: string): Promise<OtpAnswer> {
    const phone = normalisePhone(phoneRaw);
    if (!isMainlandMobile(phone)) throw invalid([{ field: 'phone', code: 'registry.phone_invalid' }]);
    const bidx = this.phoneIndex(phone);
    return this.serial(bidx, () => this.decide(phone, bidx, ip));
  }

  private async decide(phone: string, bidx: string, ip: string): Promise<OtpAnswer> {
    const now = this.now();
    const hourAgo = new Date(now - HOUR).toISOString();
    if ((await this.repo.countOtpFromIpSince(ip, hourAgo)) >= OTP_PER_ADDRESS_HOUR) {
      const oldest = await this.repo.oldestOtpSince('ip', ip, hourAgo);
      throw new AppError(429, 'auth.retry_later', { seconds: Math.max(1, Math.ceil(((oldest ? Date.parse(oldest) : now) + HOUR - now) / 1000)) });
    }
    // the same look-ups for every phone, known or not
    const [user, resident, latest, sentLastHour, oldestInHour] = await Promise.all([
      this.repo.userByPhone(bidx),
      this.residentByPhone(phone),
      this.repo.newestOtp(bidx),
      this.repo.countOtpSince(bidx, hourAgo),
      this.repo.oldestOtpSince('phone_bidx', bidx, hourAgo),
    ]);
    const sinceLatest = latest ? now - Date.parse(latest.created_at) : Infinity;
    const capFreesIn = (oldestInHour ? Date.parse(oldestInHour) + HOUR : now) - now;
    const secs = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

    if (sinceLatest < OTP_RESEND_S * 1000) {
      const resendIn = secs(Math.max(OTP_RESEND_S * 1000 - sinceLatest, sentLastHour >= OTP_SENDS_PER_HOUR ? capFreesIn : 0));
      if (!this.usable(latest, now)) throw new AppError(429, 'auth.retry_later', { seconds: Math.max(1, secs(OTP_RESEND_S * 1000 - sinceLatest)) });
      return { expiresInSeconds: secs(Date.parse(latest.expires_at) - now), resendInSeconds: resendIn };
    }
    if (sentLastHour >= OTP_SENDS_PER_HOUR && this.usable(latest, now)) {
      const expires = Math.min(now + OTP_TTL_S * 1000, Date.parse(latest.created_at) + OTP_MAX_LIFE_S * 1000);
      if (expires > Date.parse(latest.expires_at)) await this.repo.updateOtp(latest.id, { expires_at: new Date(expires).toISOString() });
      return {
        expiresInSeconds: secs(Math.max(expires, Date.parse(latest.expires_at)) - now),
        resendInSeconds: secs(Math.max(capFreesIn, OTP_RESEND_S * 1000)),
      };
    }
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    await this.repo.insertOtp({
      id: newId('otp'),
      phone_bidx: bidx,
      code_hash: sha256(`${bidx}:${code}`),
      expires_at: new Date(now + OTP_TTL_S * 1000).toISOString(),
      created_at: new Date(now).toISOString(),
      ip,
    });
    // only a registered resident's phone gets the SMS; an unknown phone's code is never sent
    // rendered now, in the recipient's language (their account's setting; zh-CN for a resident without an account)
    if (user || resident) await this.k.sms.send(phone, t(user?.lang === 'en' ? 'en' : 'zh-CN', 'identity.otp.sms', { code, minutes: OTP_TTL_S / 60 }));
    return { expiresInSeconds: OTP_TTL_S, resendInSeconds: OTP_RESEND_S };
  }

  /**
   * Checks a code against the phone's newest code. Wrong answers wear the code out after
   * OTP_MAX_ATTEMPTS and count as sign-in failures of the phone and the address (progressive
   * delay). `userFor` finds or creates the account once the code is right (null: nobody).
   */
  async verify(phoneRaw: string, code: string, ip: string, userFor: (phone: string, bidx: string) => Promise<UserRow | null>): Promise<UserRow> {
    const phone = normalisePhone(phoneRaw);
    const bidx = this.phoneIndex(phone);
    const keys = [`acct:${bidx}`, `ip:${ip}`];
    return this.throttle.attempt(keys, async () => {
      const otp = await this.repo.newestOtp(bidx);
      const now = this.now();
      if (!otp || otp.used_at || Date.parse(otp.expires_at) <= now || Number(otp.attempts) >= OTP_MAX_ATTEMPTS) return this.throttle.fail(keys, 'auth.bad_otp');
      const given = Buffer.from(sha256(`${bidx}:${code.trim()}`));
      if (!crypto.timingSafeEqual(given, Buffer.from(otp.code_hash))) {
        await this.repo.updateOtp(otp.id, { attempts: Number(otp.attempts) + 1 });
        return this.throttle.fail(keys, 'auth.bad_otp');
      }
      await this.repo.updateOtp(otp.id, { used_at: new Date(now).toISOString() });
      const user = await userFor(phone, bidx);
      if (!user) return this.throttle.fail(keys, 'auth.bad_otp');
      if (user.disabled) throw new AppError(403, 'auth.disabled');
      await this.throttle.succeeded(keys);
      return user;
    });
  }

  private residentByPhone(phone: string) {
    return places.residentByPhone(this.k, phone);
  }

  /** Requests for one phone run one at a time in this process (no two SMS slip past the cool-down). */
  private async serial<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(run);
    const tail = mine.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}
