import type { LinliMigration } from '../kernel/db/migrator.js';

// Life services: household-service providers, bookings (issue 5). Slot reserved; the module's tables go here.
export const m0010: LinliMigration = {
  name: '0010_services',
  async up() {},
};
