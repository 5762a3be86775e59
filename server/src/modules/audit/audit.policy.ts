// The audit module's permissions (declared by app.ts from the manifest). Reading the log itself
// ('read', 'AuditLog') is granted with the registry's roles (registry.policy.ts).
import type { PermissionTable } from '../../kernel/authz/index.js';

// Checkpoints are platform-wide and hold no personal data: any gov_supervisor grant may read them.
export const auditPermissions: PermissionTable = {
  gov_supervisor: [['read', 'AuditCheckpoint']],
};
