import type { LinliMigration } from '../kernel/db/migrator.js';

// Notifications are stored as message codes with parameters (JSON) and rendered in the reader's
// language when read (kernel/notify). Rows written before keep code = null and are shown with the
// title and body they were written with.
export const m0031: LinliMigration = {
  name: '0031_notification_codes',
  async up(db) {
    await db.schema.alterTable('notifications').addColumn('code', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('body_code', 'text').execute();
    await db.schema.alterTable('notifications').addColumn('params', 'text').execute();
  },
};
