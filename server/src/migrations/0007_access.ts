import type { LinliMigration } from '../kernel/db/migrator.js';

// Smart security, doors half (issue 4): access points, door groups, person groups, schedules,
// rules, credentials, per-community signing keys, QR nonce replay cache, decision log,
// anti-passback state, visitor passes and per-controller allow-list snapshots.
export const m0007: LinliMigration = {
  name: '0007_access',
  async up(db) {
    await db.schema
      .createTable('access_points')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      // residents living under this path may open the door without any rule (the default)
      .addColumn('default_scope_path', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // community_gate | estate_gate | unit_door | garage_barrier
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull()) // in | out | both
      .addColumn('controller_id', 'text', (c) => c.notNull())
      .addColumn('open_seconds', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_points_path').on('access_points').column('place_path').execute();
    await db.schema.createIndex('access_points_controller').on('access_points').column('controller_id').execute();

    await db.schema
      .createTable('access_door_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the community's path
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('anti_passback', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('access_door_group_members')
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('point_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_door_group_members_pk', ['group_id', 'point_id'])
      .execute();
    await db.schema.createIndex('access_dgm_point').on('access_door_group_members').column('point_id').execute();

    await db.schema
      .createTable('access_person_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('resident_ids', 'text', (c) => c.notNull()) // JSON array
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('access_schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('windows', 'text', (c) => c.notNull()) // JSON [{ days: [1..7], start: 'HH:MM', end: 'HH:MM' }]
      .addColumn('holidays', 'text', (c) => c.notNull()) // JSON ['YYYY-MM-DD'] local dates
      .addColumn('holiday_windows', 'text', (c) => c.notNull()) // JSON windows that apply on holidays instead
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('access_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('effect', 'text', (c) => c.notNull()) // allow | deny
      .addColumn('who_kind', 'text', (c) => c.notNull()) // everyone | resident | household | role | group
      .addColumn('who_value', 'text')
      .addColumn('door_group_id', 'text') // null = every door of the community
      .addColumn('schedule_id', 'text') // null = at any time
      .addColumn('valid_from', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_rules_community').on('access_rules').column('community_id').execute();

    await db.schema
      .createTable('access_credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the community's path
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull()) // card | fingerprint | qr | pin
      .addColumn('value_bidx', 'text') // keyed blind index of the normalised value (null for qr)
      .addColumn('value_enc', 'text') // vault ciphertext (fingerprint template ref, card number)
      .addColumn('label', 'text', (c) => c.notNull()) // masked, for lists
      .addColumn('card_format', 'text') // w26 | w34 | raw
      .addColumn('status', 'text', (c) => c.notNull()) // active | revoked
      .addColumn('valid_from', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revoke_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema.createIndex('access_credentials_lookup').on('access_credentials').columns(['community_id', 'type', 'value_bidx']).execute();
    await db.schema.createIndex('access_credentials_resident').on('access_credentials').columns(['resident_id', 'status']).execute();

    await db.schema
      .createTable('access_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull().unique())
      .addColumn('public_key', 'text', (c) => c.notNull()) // raw 32-byte Ed25519 key, base64url
      .addColumn('private_key_enc', 'text', (c) => c.notNull()) // vault ciphertext of the PKCS#8 PEM
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // a QR nonce is accepted once, on any node
    await db.schema
      .createTable('access_qr_nonces')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('access_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('point_id', 'text', (c) => c.notNull())
      .addColumn('point_name', 'text', (c) => c.notNull())
      .addColumn('controller_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('credential_type', 'text', (c) => c.notNull())
      .addColumn('credential_id', 'text')
      .addColumn('resident_id', 'text')
      .addColumn('visitor_pass_id', 'text')
      .addColumn('holder_name', 'text')
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull()) // allow | deny
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('open_seconds', 'integer', (c) => c.notNull())
      .addColumn('offline', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // a controller's retry of one event is stored (and opens the door) once
    await db.schema.createIndex('access_log_event').on('access_log').columns(['controller_id', 'event_id']).unique().execute();
    await db.schema.createIndex('access_log_path').on('access_log').columns(['place_path', 'at']).execute();
    await db.schema.createIndex('access_log_resident').on('access_log').columns(['resident_id', 'at']).execute();
    await db.schema.createIndex('access_log_point').on('access_log').columns(['point_id', 'at']).execute();
    await db.schema.createIndex('access_log_at').on('access_log').column('at').execute();

    await db.schema
      .createTable('access_apb')
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_apb_pk', ['group_id', 'holder'])
      .execute();

    await db.schema
      .createTable('access_visitor_passes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the host's house
      .addColumn('host_resident_id', 'text', (c) => c.notNull())
      .addColumn('host_name', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull()) // resident | guard
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('visitor_name', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addColumn('point_ids', 'text', (c) => c.notNull()) // JSON array
      .addColumn('max_uses', 'integer', (c) => c.notNull())
      .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull()) // active | revoked
      .addColumn('link_code', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_vp_path').on('access_visitor_passes').columns(['place_path', 'valid_from']).execute();
    await db.schema.createIndex('access_vp_host').on('access_visitor_passes').columns(['host_resident_id', 'created_at']).execute();

    // allow-list snapshot per controller: the last list sent, entry by entry, with the version at
    // which each entry last changed (deleted = tombstone), so "changes since N" is exact
    await db.schema
      .createTable('access_list_entries')
      .addColumn('controller_id', 'text', (c) => c.notNull())
      .addColumn('entry_key', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('access_list_entries_pk', ['controller_id', 'entry_key'])
      .execute();
    await db.schema.createIndex('access_list_version').on('access_list_entries').columns(['controller_id', 'version']).execute();
    await db.schema
      .createTable('access_list_versions')
      .addColumn('controller_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
