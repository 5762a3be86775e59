import type { LinliMigration } from '../kernel/db/migrator.js';

// Life services: fee items, meter readings, bills, payments, ledger, receipts (issue 5). Slot reserved; the module's tables go here.
export const m0009: LinliMigration = {
  name: '0009_billing',
  async up() {},
};
