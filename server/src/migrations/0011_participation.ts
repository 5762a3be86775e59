import type { LinliMigration } from '../kernel/db/migrator.js';

// Participation: notices, events, surveys, council, votes, feedback, points (issue 6). Slot reserved; the module's tables go here.
export const m0011: LinliMigration = {
  name: '0011_participation',
  async up() {},
};
