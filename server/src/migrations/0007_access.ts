import type { LinliMigration } from '../kernel/db/migrator.js';

// Smart security: access points, credentials, rules, decisions, visitor passes (issue 4). Slot reserved; the module's tables go here.
export const m0007: LinliMigration = {
  name: '0007_access',
  async up() {},
};
