import type { LinliMigration } from '../kernel/db/migrator.js';

// Kernel: the transactional outbox of domain events (kernel/events/outbox.ts).
export const m0013: LinliMigration = {
  name: '0013_event_outbox',
  async up(db) {
    await db.schema
      .createTable('event_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('event_outbox_at').on('event_outbox').column('at').execute();
  },
};
