import type { LinliMigration } from '../kernel/db/migrator.js';

// Two small changes (docs/security/misc.md):
// - device_types.scope_path / community_id: null = a platform-wide type (platform admins only);
//   set = a community's own type, made and changed by that community's property managers.
// - registration_reviews: a resident registration whose ID number is already held in a community
//   the registering staff cannot see waits here for a supervisor over both communities, instead of
//   telling the staff that the person exists elsewhere.
export const m0023: LinliMigration = {
  name: '0023_type_scope_registration_reviews',
  async up(db) {
    await db.schema.alterTable('device_types').addColumn('scope_path', 'text').execute();
    await db.schema.alterTable('device_types').addColumn('community_id', 'text').execute();

    await db.schema
      .createTable('registration_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull()) // where the person is being registered
      .addColumn('place_path', 'text', (c) => c.notNull()) // the house (or community) asked for
      .addColumn('house_id', 'text')
      .addColumn('existing_resident_id', 'text', (c) => c.notNull())
      .addColumn('existing_path', 'text', (c) => c.notNull()) // where that record lived when asked
      .addColumn('id_number_bidx', 'text', (c) => c.notNull())
      .addColumn('payload_enc', 'text', (c) => c.notNull()) // the submitted registration, vault-encrypted JSON
      .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .execute();
    await db.schema.createIndex('registration_reviews_status').on('registration_reviews').columns(['status', 'requested_at']).execute();
    await db.schema.createIndex('registration_reviews_bidx').on('registration_reviews').columns(['id_number_bidx', 'community_id']).execute();
  },
};
