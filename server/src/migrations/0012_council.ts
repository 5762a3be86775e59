import type { LinliMigration } from '../kernel/db/migrator.js';

// Participation: residents' council — proposals, meetings, votes, feedback (issue 6). Slot reserved; the module's tables go here.
export const m0012: LinliMigration = {
  name: '0012_council',
  async up() {},
};
