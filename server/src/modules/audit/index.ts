// Audit module: the console's view of the kernel's hash-chained audit log and its signed checkpoints.
import type { Module } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { registerCheckpointRoutes } from './checkpoints.routes.js';
import { AuditPage, AuditQuery } from './audit.schema.js';
import { auditPage } from './audit.queries.js';
import { auditPermissions } from './audit.policy.js';

export { auditEntries } from './audit.for-registry.js';
export { auditPermissions } from './audit.policy.js';

export const auditModule: Module = {
  name: 'audit',
  summary: "The audit log for the console (each role sees its scope's entries) and the log's signed checkpoints with their witness export",
  url: import.meta.url,
  permissions: auditPermissions,
  publishes: [],
  subscribes: [],
  jobs: [],
  matrix: 'audit.authz-rows.js',
  docs: 'docs/api/audit.md',
  async register(app, k) {
    // Staff see entries about their scope; platform-wide entries (no scope) only platform admins.
    app.get(
      '/api/v1/audit',
      {
        config: { auth: { action: 'read', subject: 'AuditLog' } },
        schema: { tags: ['audit'], summary: 'The audit log, newest first', querystring: AuditQuery, response: { 200: AuditPage } },
      },
      async (req) => auditPage(k, k.authz.reach(requireActor(req), 'read', 'AuditLog'), req.query),
    );
    registerCheckpointRoutes(app, k);
  },
};
