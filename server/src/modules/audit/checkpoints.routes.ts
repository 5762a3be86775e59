// The signed checkpoints of the audit log (kernel/audit/checkpoints.ts) for the console: the
// government supervisor (and the platform admin) sees them and downloads the export an outside
// witness keeps (`linli audit verify --witness <file>` checks the log against it).
// Checkpoints are platform-wide (they anchor the whole log, not a community's part of it) and
// hold no personal data, so any gov_supervisor grant may read them (audit.policy.ts).
import { Type } from '@sinclair/typebox';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { auditChain } from '../../kernel/audit/verify.js';
import { exportCheckpoints } from '../../kernel/audit/checkpoints.verify.js';

const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});

const Key = Type.Object({
  keyId: Type.String({ description: 'first 16 hex digits of SHA-256 over the public key (SPKI DER)' }),
  algorithm: Type.Literal('Ed25519'),
  publicKey: Type.String({ description: 'base64 SPKI DER' }),
  active: Type.Boolean({ description: 'signs new checkpoints; retired keys only verify old ones' }),
});

const CheckpointSchema = Type.Object({
  chain: Type.String(),
  seq: Type.Integer({ description: 'the log held this many entries; headHash is the hash of the last' }),
  headHash: Type.String(),
  at: Type.String({ format: 'date-time' }),
  keyId: Type.String(),
  signature: Type.String({ description: 'Ed25519 over JSON ["linli.checkpoint.v1", chain, seq, headHash, at, keyId], base64url' }),
});

const CheckpointPage = Type.Object({
  chain: Type.String(),
  /** The log's last entry now: entries after the last checkpoint are not anchored yet. */
  head: Type.Integer(),
  keys: Type.Array(Key),
  items: Type.Array(CheckpointSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

const ExportSchema = Type.Object({
  format: Type.Literal('linli.checkpoints.v1'),
  chain: Type.String(),
  exportedAt: Type.String({ format: 'date-time' }),
  keys: Type.Array(Key),
  checkpoints: Type.Array(CheckpointSchema),
});

const gate = { auth: { action: 'read', subject: 'AuditCheckpoint' } };

export function registerCheckpointRoutes(app: App, k: Kernel): void {
  app.get(
    '/api/v1/audit/checkpoints',
    {
      config: gate,
      schema: { tags: ['audit'], summary: 'Signed checkpoints of the audit log, newest first', querystring: PageQuery, response: { 200: CheckpointPage } },
    },
    async (req) => {
      const { page, pageSize } = req.query;
      const { items, total } = await k.checkpoints.get(auditChain.name).page(pageSize, (page - 1) * pageSize);
      const head = (await auditChain.head(k.db))?.seq ?? 0;
      return { chain: auditChain.name, head, keys: k.checkpoints.keys.list(), items, total, page, pageSize };
    },
  );

  app.get(
    '/api/v1/audit/checkpoints/export',
    {
      config: gate,
      schema: { tags: ['audit'], summary: 'Every checkpoint with the public keys, for an outside witness to keep', response: { 200: ExportSchema } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const doc = await exportCheckpoints(k.db, auditChain.name, k.checkpoints.keys.list(), k.clock.now());
      // who took a witness copy, and up to where
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'audit.checkpoints.export',
        targetType: 'system',
        targetId: null,
        ip: req.ip,
        detail: { checkpoints: doc.checkpoints.length, lastSeq: doc.checkpoints.at(-1)?.seq ?? 0 },
      });
      const day = doc.exportedAt.slice(0, 10);
      return reply.header('content-disposition', `attachment; filename="audit-checkpoints-${day}.json"`).send(doc);
    },
  );
}
