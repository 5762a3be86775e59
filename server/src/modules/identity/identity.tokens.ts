// API tokens for machines: they expire, can be listed and revoked by their owner, and record
// when they were last used (docs/security/signin.md).
import crypto from 'node:crypto';
import { NoContent, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, TokenBody, TokenCreated, TokenIdParam, TokenList } from './identity.schema.js';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { requireActor } from '../../kernel/http/auth.js';
import { notFound } from '../../kernel/http/errors.js';
import type { Messages } from '../../kernel/http/i18n.js';
import type { IdentityRepository } from './identity.repository.js';

export { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from './identity.schema.js';
/** last_used_at is written at most once a minute per token (a busy machine does not write on every call). */
export const TOKEN_TOUCH_MS = 60_000;
const DAY = 86_400_000;

/** Its messages: part of the identity manifest's catalog (identity.policy.ts). */
export const tokenMessages: Messages = {
  'identity.token_not_found': { zh: '未找到该令牌', en: 'Token not found' },
};

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class ApiTokens {
  constructor(
    private k: Kernel,
    private repo: IdentityRepository,
  ) {}

  async create(userId: string, name: string, expiresInDays = TOKEN_DEFAULT_DAYS): Promise<{ id: string; token: string; expiresAt: string }> {
    const days = Math.min(Math.max(1, Math.floor(expiresInDays)), TOKEN_MAX_DAYS);
    const token = 'lt_' + crypto.randomBytes(32).toString('base64url');
    const id = newId('tok');
    const at = this.k.clock.now();
    const expiresAt = new Date(at.getTime() + days * DAY).toISOString();
    await this.repo.insertToken({ id, token_hash: sha256(token), user_id: userId, name, created_at: at.toISOString(), expires_at: expiresAt });
    return { id, token, expiresAt };
  }

  /** The owner of a live token (not revoked, not expired), noting the use; null otherwise. */
  async authenticate(token: string): Promise<string | null> {
    const t = await this.repo.tokenByHash(sha256(token));
    if (!t) return null;
    const now = this.k.clock.now();
    // a token without an expiry predates migration 0020's backfill: treat it as expired
    if (!t.expires_at || Date.parse(t.expires_at) <= now.getTime()) return null;
    if (!t.last_used_at || now.getTime() - Date.parse(t.last_used_at) >= TOKEN_TOUCH_MS) await this.repo.touchToken(t.id, now.toISOString());
    return t.user_id as string;
  }
}

export function registerTokenRoutes(app: App, k: Kernel, tokens: ApiTokens, repo: IdentityRepository) {
  app.get('/api/v1/auth/tokens', { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: TokenList } } }, async (req) => {
    const rows = await repo.tokensOf(requireActor(req).userId);
    const now = k.clock.now().toISOString();
    return {
      items: rows.map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at,
        expiresAt: t.expires_at,
        lastUsedAt: t.last_used_at ?? null,
        expired: !t.expires_at || t.expires_at <= now,
      })),
    };
  });
  app.post(
    '/api/v1/auth/tokens',
    { config: { auth: { action: 'create', subject: 'ApiToken' } }, schema: { tags: ['auth'], body: TokenBody, response: { 201: TokenCreated } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const t = await tokens.create(actor.userId, req.body.name, req.body.expiresInDays);
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'identity.token.create',
        targetType: 'api_token',
        targetId: t.id,
        ip: req.ip,
        detail: { expiresAt: t.expiresAt },
      });
      return reply.status(201).send(t);
    },
  );
  // own tokens only: someone else's token id is 404, like a token that does not exist
  app.delete(
    '/api/v1/auth/tokens/:id',
    { config: { auth: 'user' }, schema: { tags: ['auth'], params: TokenIdParam, response: { 204: NoContent } } },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!(await repo.revokeToken(req.params.id, actor.userId, k.clock.now().toISOString()))) throw notFound('identity.token_not_found');
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'identity.token.revoke',
        targetType: 'api_token',
        targetId: req.params.id,
        ip: req.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
