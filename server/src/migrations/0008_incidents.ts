import type { LinliMigration } from '../kernel/db/migrator.js';

// Smart security: cameras, camera events, security incidents (issue 4). Slot reserved; the module's tables go here.
export const m0008: LinliMigration = {
  name: '0008_incidents',
  async up() {},
};
