// Accounts, sign-in (password and one-time code), sessions, API tokens, role grants.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { roles, type Actor, type Grant, type Role } from '../../kernel/authz/index.js';
import { maskPhone } from '../../kernel/vault/index.js';
import { IdentityRepository, type GrantRow, type SessionRow, type UserRow } from './identity.repository.js';
import { places, normalisePhone } from '../registry/index.js';
import { Passwords, type PasswordOwner, type VerifyFn } from './identity.password.js';
import { Throttle } from './identity.throttle.js';
import { OneTimeCodes, type OtpAnswer } from './identity.otp.js';
import { ApiTokens } from './identity.tokens.js';
import { administers } from '../../kernel/authz/delegation.js';
import { assertMayGrant, assertMayRevoke } from './identity.delegation.js';

export { MIN_PASSWORD } from './identity.password.js';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: UserRow;
}

export class IdentityService {
  readonly repo: IdentityRepository;
  readonly passwords: Passwords;
  readonly throttle: Throttle;
  readonly codes: OneTimeCodes;
  readonly tokens: ApiTokens;
  /** `opts.verify`: the Argon2 verifier (a test may wrap the real one to see which hash was checked). */
  constructor(
    private k: Kernel,
    opts: { verify?: VerifyFn } = {},
  ) {
    this.repo = new IdentityRepository(k.db);
    this.passwords = new Passwords(opts.verify);
    this.throttle = new Throttle(this.repo, k.clock);
    this.codes = new OneTimeCodes(k, this.repo, this.throttle, (p) => this.phoneIndex(p));
    this.tokens = new ApiTokens(k, this.repo);
  }

  private now() {
    return this.k.clock.now();
  }

  /** Checks strength (identity.password.ts) and hashes with Argon2id. */
  async hashPassword(pw: string, owner: PasswordOwner = {}, field = 'password'): Promise<string> {
    return this.passwords.hash(pw, owner, field);
  }

  phoneIndex(phone: string): string {
    return this.k.vault.blindIndex('phone', phone);
  }

  // ---------- sign-in (throttling: identity.throttle.ts) ----------
  /** Checks a password the same way whether or not the account exists (an unknown one is
   * verified against the dummy hash), under the account's and the address's progressive delay. */
  private async passwordSignIn(keys: string[], find: () => Promise<UserRow | undefined>, password: string): Promise<UserRow> {
    return this.throttle.attempt(keys, async () => {
      const user = await find();
      const ok = await this.passwords.verify(user?.password_hash, password);
      if (!user || !ok) return this.throttle.fail(keys, 'auth.bad_credentials');
      if (user.disabled) throw new AppError(403, 'auth.disabled');
      await this.throttle.succeeded(keys);
      return user;
    });
  }

  async loginStaff(username: string, password: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    const user = await this.passwordSignIn(
      [`acct:${name}`, `ip:${ip}`],
      async () => {
        const u = await this.repo.userByUsername(name);
        return u?.kind === 'staff' ? u : undefined;
      },
      password,
    );
    return this.startSession(user, ip, ua, 'password');
  }

  async loginResidentPassword(phoneRaw: string, password: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const bidx = this.phoneIndex(normalisePhone(phoneRaw));
    const user = await this.passwordSignIn([`acct:${bidx}`, `ip:${ip}`], () => this.repo.userByPhone(bidx), password);
    return this.startSession(user, ip, ua, 'password');
  }

  /** Asks for a one-time code; the answer is the same for registered and unknown phones (identity.otp.ts). */
  async requestOtp(phoneRaw: string, ip: string): Promise<OtpAnswer> {
    return this.codes.request(phoneRaw, ip);
  }

  async verifyOtp(phoneRaw: string, code: string, ip: string, ua: string | undefined): Promise<LoginResult> {
    const user = await this.codes.verify(phoneRaw, code, ip, async (phone, bidx) => {
      const existing = await this.repo.userByPhone(bidx);
      if (existing) return existing;
      const resident = await places.residentByPhone(this.k, phone);
      return resident ? this.createResidentUser({ residentId: resident.id, name: resident.name, phone, communityPath: resident.communityPath }) : null;
    });
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
    await this.k.audit.record({
      actorId: user.id,
      actorName: user.display_name,
      action: 'identity.login',
      targetType: 'user',
      targetId: user.id,
      ip,
      detail: { method },
    });
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
      userId: s.user_id,
      kind: s.kind,
      name: s.display_name,
      residentId: s.resident_id,
      sessionId: s.id,
      via: 'session',
      grants: grants.map((g): Grant => ({ role: g.role, placeId: g.place_id, scopePath: g.scope_path })),
    };
    return { actor, csrfToken: s.csrf_token };
  }

  /** The actor of a live API token; an expired or revoked one is refused (identity.tokens.ts). */
  async actorFromToken(token: string): Promise<Actor | null> {
    const userId = await this.tokens.authenticate(token);
    return userId ? this.actorFor(userId, null, 'token') : null;
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
      id: newId('usr'),
      kind: 'staff',
      username,
      phone_bidx: null,
      phone_enc: null,
      display_name: input.displayName,
      password_hash: await this.hashPassword(input.password, { username, displayName: input.displayName }),
      resident_id: null,
      disabled: 0,
      lang: 'zh-CN',
      created_at: at,
      updated_at: at,
    };
    await this.repo.insertUser(user);
    await this.k.audit.record({
      actorId: by?.userId ?? null,
      actorName: by?.name ?? 'system',
      action: 'identity.user.create',
      targetType: 'user',
      targetId: user.id,
      ip,
      detail: { username },
    });
    return user;
  }

  async createResidentUser(input: { residentId: string; name: string; phone: string; communityPath: string; password?: string }): Promise<UserRow> {
    const at = this.now().toISOString();
    const user: UserRow = {
      id: newId('usr'),
      kind: 'resident',
      username: null,
      phone_bidx: this.phoneIndex(input.phone),
      phone_enc: this.k.vault.encrypt(input.phone),
      display_name: input.name,
      password_hash: input.password ? await this.hashPassword(input.password, { displayName: input.name, phone: input.phone }) : null,
      resident_id: input.residentId,
      disabled: 0,
      lang: 'zh-CN',
      created_at: at,
      updated_at: at,
    };
    await this.repo.insertUser(user);
    await this.repo.insertGrant({
      id: newId('grt'),
      user_id: user.id,
      role: 'resident',
      place_id: input.communityPath.split('/').filter(Boolean).pop() ?? null,
      scope_path: input.communityPath,
      created_at: at,
      created_by: null,
    });
    return user;
  }

  async setPassword(userId: string, current: string | null, next: string, keepSessionId?: string) {
    const user = await this.repo.userById(userId);
    if (!user) throw notFound();
    if (current !== null && user.password_hash && !(await this.passwords.verify(user.password_hash, current))) {
      throw invalid([{ field: 'currentPassword', code: 'auth.bad_credentials' }]);
    }
    const owner = { username: user.username, displayName: user.display_name, phone: user.phone_enc ? this.k.vault.decrypt(user.phone_enc) : null };
    await this.repo.updateUser(userId, { password_hash: await this.hashPassword(next, owner, 'newPassword'), updated_at: this.now().toISOString() });
    await this.repo.deleteSessionsOf(userId, keepSessionId);
  }

  async addGrant(userId: string, role: Role, placeId: string | null, by: Actor | null, ip?: string): Promise<GrantRow> {
    if (!roles.includes(role)) throw invalid([{ field: 'role', code: 'validation.enum', params: { values: roles.join(', ') } }]);
    const user = await this.repo.userById(userId);
    if (!user || (by && !(await this.visibleTo(by, userId)))) throw notFound('identity.user_not_found');
    let scopePath = '/';
    if (role === 'platform_admin')
      placeId = null; // platform-wide
    else {
      if (!placeId) throw invalid([{ field: 'placeId', code: 'validation.required' }]);
      const place = await places.getPlace(this.k, placeId);
      if (!place || (by && !administers(by, place.path))) throw notFound('registry.place_not_found');
      scopePath = place.path;
    }
    // who may grant what, where, to whom: kernel/authz/delegation.ts (403 with its own code)
    await assertMayGrant(this.k, by, { userId, kind: user.kind }, { role, placeId, scopePath }, ip);
    // granting a role the user already holds there changes nothing: the grant that exists is the answer
    const held = (await this.repo.grantsOf(userId)).find((x) => x.role === role && x.scope_path === scopePath);
    if (held) return held;
    const g: GrantRow = {
      id: newId('grt'),
      user_id: userId,
      role,
      place_id: placeId,
      scope_path: scopePath,
      created_at: this.now().toISOString(),
      created_by: by?.userId ?? null,
    };
    await this.repo.insertGrant(g);
    await this.k.audit.record({
      actorId: by?.userId ?? null,
      actorName: by?.name ?? 'system',
      action: 'identity.grant.add',
      targetType: 'user',
      targetId: userId,
      scopePath,
      ip,
      detail: { role, placeId, grantor: by?.userId ?? null },
    });
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
    await this.k.audit.record({
      actorId: by.userId,
      actorName: by.name,
      action: 'identity.grant.remove',
      targetType: 'user',
      targetId: userId,
      scopePath: g.scope_path,
      ip,
      detail: { role: g.role, placeId: g.place_id, grantor: by.userId, grantedBy: g.created_by },
    });
  }

  /** A new API token: 90 days unless `expiresInDays` (at most 365) says otherwise. */
  async createApiToken(userId: string, name: string, expiresInDays?: number): Promise<{ id: string; token: string; expiresAt: string }> {
    return this.tokens.create(userId, name, expiresInDays);
  }

  maskedPhoneOf(user: UserRow): string | null {
    return user.phone_enc ? maskPhone(this.k.vault.decrypt(user.phone_enc)) : null;
  }
}
