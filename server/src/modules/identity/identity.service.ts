// Accounts, sign-in (password and one-time code), sessions, API tokens, role grants.
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { roles, type Actor, type Grant, type Role } from '../../kernel/authz/index.js';
import { maskPhone } from '../../kernel/vault/index.js';
import { IdentityRepository, type GrantRow, type SessionRow, type UserRow } from './identity.repository.js';
import { places, normalisePhone, isMainlandMobile } from '../registry/index.js';
import { administers } from '../../kernel/authz/delegation.js';
import { assertMayGrant, assertMayRevoke } from './identity.delegation.js';

export const MIN_PASSWORD = 10;
const ACCOUNT_LIMIT = 5; // failures per account per window
const ADDRESS_LIMIT = 30; // failures per address per window
const WINDOW_MIN = 15;
const OTP_TTL_S = 300;
const OTP_PER_HOUR = 5;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: UserRow;
}

export class IdentityService {
  readonly repo: IdentityRepository;
  constructor(private k: Kernel) {
    this.repo = new IdentityRepository(k.db);
  }

  private now() {
    return this.k.clock.now();
  }

  async hashPassword(pw: string): Promise<string> {
    if (pw.length < MIN_PASSWORD) throw invalid([{ field: 'password', code: 'auth.password_too_short' }]);
    return argonHash(pw, { algorithm: 2 /* Argon2id */ });
  }

  phoneIndex(phone: string): string {
    return this.k.vault.blindIndex('phone', phone);
  }

  // ---------- throttling ----------
  private async checkThrottle(keys: string[]) {
    const since = new Date(this.now().getTime() - WINDOW_MIN * 60_000).toISOString();
    for (const key of keys) {
      const limit = key.startsWith('ip:') ? ADDRESS_LIMIT : ACCOUNT_LIMIT;
      if ((await this.repo.failuresSince(key, since)) >= limit) throw new AppError(429, 'auth.locked', { minutes: WINDOW_MIN });
    }
  }
  private async fail(keys: string[], code: string): Promise<never> {
    const at = this.now().toISOString();
    for (const key of keys) await this.repo.addFailure(newId('lf'), key, at);
    throw new AppError(401, code);
  }

  // ---------- sign-in ----------
  async loginStaff(username: string, password: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const keys = [`acct:${username.toLowerCase()}`, `ip:${ip}`];
    await this.checkThrottle(keys);
    const user = await this.repo.userByUsername(username.toLowerCase());
    const ok = user?.password_hash ? await argonVerify(user.password_hash, password).catch(() => false) : false;
    if (!user || user.kind !== 'staff' || !ok) return this.fail(keys, 'auth.bad_credentials');
    if (user.disabled) throw new AppError(403, 'auth.disabled');
    await this.repo.clearFailures(keys[0]);
    return this.startSession(user, ip, ua, 'password');
  }

  async loginResidentPassword(phoneRaw: string, password: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const phone = normalisePhone(phoneRaw);
    const keys = [`acct:${this.phoneIndex(phone)}`, `ip:${ip}`];
    await this.checkThrottle(keys);
    const user = await this.repo.userByPhone(this.phoneIndex(phone));
    const ok = user?.password_hash ? await argonVerify(user.password_hash, password).catch(() => false) : false;
    if (!user || !ok) return this.fail(keys, 'auth.bad_credentials');
    if (user.disabled) throw new AppError(403, 'auth.disabled');
    await this.repo.clearFailures(keys[0]);
    return this.startSession(user, ip, ua, 'password');
  }

  /** Sends a one-time code to a phone that belongs to a registered, active resident. */
  async requestOtp(phoneRaw: string, ip: string): Promise<{ expiresInSeconds: number }> {
    const phone = normalisePhone(phoneRaw);
    if (!isMainlandMobile(phone)) throw invalid([{ field: 'phone', code: 'registry.phone_invalid' }]);
    const bidx = this.phoneIndex(phone);
    await this.checkThrottle([`ip:${ip}`]);
    const hourAgo = new Date(this.now().getTime() - 3600_000).toISOString();
    if ((await this.repo.countOtpSince(bidx, hourAgo)) >= OTP_PER_HOUR) throw new AppError(429, 'auth.locked', { minutes: 60 });
    // Answer the same whether or not the phone is registered (no account enumeration);
    // only registered residents actually get a code.
    const known = (await this.repo.userByPhone(bidx)) ?? (await places.residentByPhone(this.k, phone));
    if (known) {
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const at = this.now();
      await this.repo.insertOtp({
        id: newId('otp'),
        phone_bidx: bidx,
        code_hash: sha256(`${bidx}:${code}`),
        expires_at: new Date(at.getTime() + OTP_TTL_S * 1000).toISOString(),
        created_at: at.toISOString(),
      });
      await this.k.sms.send(phone, `【邻里】您的登录验证码是 ${code}，${OTP_TTL_S / 60} 分钟内有效。如非本人操作请忽略。`);
    }
    return { expiresInSeconds: OTP_TTL_S };
  }

  async verifyOtp(phoneRaw: string, code: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const phone = normalisePhone(phoneRaw);
    const bidx = this.phoneIndex(phone);
    const keys = [`acct:${bidx}`, `ip:${ip}`];
    await this.checkThrottle(keys);
    const otp = await this.repo.latestOtp(bidx);
    const nowIso = this.now().toISOString();
    if (!otp || otp.expires_at < nowIso || Number(otp.attempts) >= 5) return this.fail(keys, 'auth.bad_otp');
    if (otp.code_hash !== sha256(`${bidx}:${code.trim()}`)) {
      await this.repo.updateOtp(otp.id, { attempts: Number(otp.attempts) + 1 });
      return this.fail(keys, 'auth.bad_otp');
    }
    await this.repo.updateOtp(otp.id, { used_at: nowIso });
    let user = await this.repo.userByPhone(bidx);
    if (!user) {
      const resident = await places.residentByPhone(this.k, phone);
      if (!resident) return this.fail(keys, 'auth.bad_otp');
      user = await this.createResidentUser({ residentId: resident.id, name: resident.name, phone, communityPath: resident.communityPath });
    }
    if (user.disabled) throw new AppError(403, 'auth.disabled');
    await this.repo.clearFailures(keys[0]);
    return this.startSession(user, ip, ua, 'otp');
  }

  private async startSession(user: UserRow, ip: string, ua: string | undefined, method: string): Promise<LoginResult> {
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const at = this.now();
    const s: SessionRow = {
      id: newId('ses'),
      token_hash: sha256(token),
      csrf_token: csrfToken,
      user_id: user.id,
      created_at: at.toISOString(),
      last_seen_at: at.toISOString(),
      expires_at: new Date(at.getTime() + this.k.config.sessionMaxHours * 3600_000).toISOString(),
      ip,
      user_agent: ua?.slice(0, 300) ?? null,
    };
    await this.repo.insertSession(s);
    await this.k.audit.record({ actorId: user.id, actorName: user.display_name, action: 'identity.login', targetType: 'user', targetId: user.id, ip, detail: { method } });
    return { token, csrfToken, user };
  }

  // ---------- request authentication ----------
  async actorFromSession(token: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    const s = await this.repo.sessionWithUser(sha256(token));
    if (!s || s.disabled) return null;
    const now = this.now();
    const idleLimit = new Date(now.getTime() - this.k.config.sessionIdleMinutes * 60_000).toISOString();
    if (s.expires_at < now.toISOString() || s.last_seen_at < idleLimit) {
      await this.repo.deleteSession(s.id);
      return null;
    }
    if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) await this.repo.touchSession(s.id, now.toISOString());
    const grants = await this.repo.grantsOf(s.user_id);
    const actor: Actor = {
      userId: s.user_id, kind: s.kind, name: s.display_name, residentId: s.resident_id, sessionId: s.id, via: 'session',
      grants: grants.map((g): Grant => ({ role: g.role, placeId: g.place_id, scopePath: g.scope_path })),
    };
    return { actor, csrfToken: s.csrf_token };
  }

  async actorFromToken(token: string): Promise<Actor | null> {
    const t = await this.repo.tokenByHash(sha256(token));
    if (!t) return null;
    return this.actorFor(t.user_id, null, 'token');
  }

  async actorFor(userId: string, sessionId: string | null, via: 'session' | 'token'): Promise<Actor | null> {
    const user = await this.repo.userById(userId);
    if (!user || user.disabled) return null;
    const grants = await this.repo.grantsOf(userId);
    return {
      userId: user.id,
      kind: user.kind,
      name: user.display_name,
      residentId: user.resident_id,
      sessionId,
      via,
      grants: grants.map((g): Grant => ({ role: g.role, placeId: g.place_id, scopePath: g.scope_path })),
    };
  }

  async logout(sessionId: string) {
    await this.repo.deleteSession(sessionId);
  }

  // ---------- accounts and grants ----------
  async createStaffUser(input: { username: string; displayName: string; password: string }, by: Actor | null, ip?: string): Promise<UserRow> {
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9_.-]{3,40}$/.test(username)) throw invalid([{ field: 'username', code: 'identity.username_invalid' }]);
    if (await this.repo.userByUsername(username)) throw invalid([{ field: 'username', code: 'identity.username_taken' }]);
    const at = this.now().toISOString();
    const user: UserRow = {
      id: newId('usr'), kind: 'staff', username, phone_bidx: null, phone_enc: null, display_name: input.displayName,
      password_hash: await this.hashPassword(input.password), resident_id: null, disabled: 0, lang: 'zh-CN', created_at: at, updated_at: at,
    };
    await this.repo.insertUser(user);
    await this.k.audit.record({ actorId: by?.userId ?? null, actorName: by?.name ?? 'system', action: 'identity.user.create', targetType: 'user', targetId: user.id, ip, detail: { username } });
    return user;
  }

  async createResidentUser(input: { residentId: string; name: string; phone: string; communityPath: string; password?: string }): Promise<UserRow> {
    const at = this.now().toISOString();
    const user: UserRow = {
      id: newId('usr'), kind: 'resident', username: null, phone_bidx: this.phoneIndex(input.phone), phone_enc: this.k.vault.encrypt(input.phone),
      display_name: input.name, password_hash: input.password ? await this.hashPassword(input.password) : null, resident_id: input.residentId,
      disabled: 0, lang: 'zh-CN', created_at: at, updated_at: at,
    };
    await this.repo.insertUser(user);
    await this.repo.insertGrant({ id: newId('grt'), user_id: user.id, role: 'resident', place_id: input.communityPath.split('/').filter(Boolean).pop() ?? null, scope_path: input.communityPath, created_at: at, created_by: null });
    return user;
  }

  async setPassword(userId: string, current: string | null, next: string, keepSessionId?: string) {
    const user = await this.repo.userById(userId);
    if (!user) throw notFound();
    if (current !== null && user.password_hash && !(await argonVerify(user.password_hash, current).catch(() => false))) {
      throw invalid([{ field: 'currentPassword', code: 'auth.bad_credentials' }]);
    }
    await this.repo.updateUser(userId, { password_hash: await this.hashPassword(next), updated_at: this.now().toISOString() });
    await this.repo.deleteSessionsOf(userId, keepSessionId);
  }

  async addGrant(userId: string, role: Role, placeId: string | null, by: Actor | null, ip?: string): Promise<GrantRow> {
    if (!roles.includes(role)) throw invalid([{ field: 'role', code: 'validation.enum', params: { values: roles.join(', ') } }]);
    const user = await this.repo.userById(userId);
    if (!user || (by && !(await this.visibleTo(by, userId)))) throw notFound('identity.user_not_found');
    let scopePath = '/';
    if (role === 'platform_admin') placeId = null; // platform-wide
    else {
      if (!placeId) throw invalid([{ field: 'placeId', code: 'validation.required' }]);
      const place = await places.getPlace(this.k, placeId);
      if (!place || (by && !administers(by, place.path))) throw notFound('registry.place_not_found');
      scopePath = place.path;
    }
    // who may grant what, where, to whom: kernel/authz/delegation.ts (403 with its own code)
    await assertMayGrant(this.k, by, { userId, kind: user.kind }, { role, placeId, scopePath }, ip);
    const g: GrantRow = { id: newId('grt'), user_id: userId, role, place_id: placeId, scope_path: scopePath, created_at: this.now().toISOString(), created_by: by?.userId ?? null };
    await this.repo.insertGrant(g);
    await this.k.audit.record({ actorId: by?.userId ?? null, actorName: by?.name ?? 'system', action: 'identity.grant.add', targetType: 'user', targetId: userId, scopePath, ip, detail: { role, placeId, grantor: by?.userId ?? null } });
    return g;
  }

  /** A staff user is visible to an administrator when one of its grants lies in their scope (or it has none yet). */
  async visibleTo(by: Actor, userId: string): Promise<boolean> {
    const grants = await this.repo.grantsOf(userId);
    return !grants.length || grants.some((g) => this.k.authz.can(by, 'manage', 'User', { placePath: g.scope_path }));
  }

  async removeGrant(userId: string, grantId: string, by: Actor, ip?: string) {
    const g = await this.repo.grantById(grantId);
    if (!g || g.user_id !== userId || !administers(by, g.scope_path)) throw notFound();
    // you may revoke only what you could grant (kernel/authz/delegation.ts)
    await assertMayRevoke(this.k, by, { role: g.role, placeId: g.place_id, scopePath: g.scope_path, targetUserId: userId }, ip);
    await this.repo.deleteGrant(grantId);
    await this.k.audit.record({ actorId: by.userId, actorName: by.name, action: 'identity.grant.remove', targetType: 'user', targetId: userId, scopePath: g.scope_path, ip, detail: { role: g.role, placeId: g.place_id, grantor: by.userId, grantedBy: g.created_by } });
  }

  async createApiToken(userId: string, name: string): Promise<{ id: string; token: string }> {
    const token = 'lt_' + crypto.randomBytes(32).toString('base64url');
    const id = newId('tok');
    await this.repo.insertToken({ id, token_hash: sha256(token), user_id: userId, name, created_at: this.now().toISOString() });
    return { id, token };
  }

  maskedPhoneOf(user: UserRow): string | null {
    return user.phone_enc ? maskPhone(this.k.vault.decrypt(user.phone_enc)) : null;
  }
}
