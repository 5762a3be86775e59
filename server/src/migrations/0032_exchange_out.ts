import type { LinliMigration } from '../kernel/db/migrator.js';

// Data exchange, records out (issue 16): organisations (X-Road members) with their officers and
// machine clients (subsystems, each authenticated by registered Ed25519 public keys that rotate and
// revoke), sharing agreements, their daily usage, the nonces of signed requests (replay guard) and
// the hash-chained message log of every exchange request and response.
export const m0032: LinliMigration = {
  name: '0032_exchange_out',
  async up(db) {
    await db.schema
      .createTable('exchange_orgs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique()) // member code, e.g. a unified social credit code
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // police | civil_affairs | health | street_office | property
      .addColumn('place_id', 'text', (c) => c.notNull()) // the place it serves (scope of its officers' view)
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('exchange_officers')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_officers_org').on('exchange_officers').column('org_id').execute();

    await db.schema
      .createTable('exchange_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('subsystem_code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // active | disabled
      .addColumn('encryption_key', 'text') // JWK (X25519 or RSA) bulk exports are encrypted to
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('exchange_clients_code', ['org_id', 'subsystem_code'])
      .execute();

    await db.schema
      .createTable('exchange_client_keys')
      .addColumn('key_id', 'text', (c) => c.primaryKey()) // derived from the public key
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull()) // base64 SPKI DER, Ed25519
      .addColumn('status', 'text', (c) => c.notNull()) // active | retired | revoked
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('exchange_client_keys_client').on('exchange_client_keys').column('client_id').execute();

    await db.schema
      .createTable('exchange_agreements')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('provider_org_id', 'text', (c) => c.notNull())
      .addColumn('consumer_org_id', 'text', (c) => c.notNull())
      .addColumn('consumer_client_id', 'text') // one subsystem of the consumer, or any of its clients
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull()) // JSON array of field codes
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('place_ids', 'text', (c) => c.notNull()) // JSON array
      .addColumn('place_paths', 'text', (c) => c.notNull()) // JSON array (materialised paths of place_ids)
      .addColumn('scope_path', 'text', (c) => c.notNull()) // authorization scope: the provider's place
      .addColumn('valid_from', 'text', (c) => c.notNull()) // YYYY-MM-DD, inclusive
      .addColumn('valid_to', 'text', (c) => c.notNull()) // YYYY-MM-DD, inclusive
      .addColumn('daily_limit', 'integer', (c) => c.notNull()) // records per day
      .addColumn('log_bodies', 'integer', (c) => c.notNull().defaultTo(0)) // keep message bodies in the log
      .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected | suspended | revoked
      .addColumn('drafted_by', 'text', (c) => c.notNull())
      .addColumn('drafted_by_name', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_name', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('status_note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_agreements_scope').on('exchange_agreements').columns(['scope_path', 'status']).execute();

    await db.schema
      .createTable('exchange_usage')
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('records', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('exchange_usage_pk', ['agreement_id', 'day'])
      .execute();

    await db.schema
      .createTable('exchange_nonces')
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exchange_nonces_pk', ['key_id', 'nonce'])
      .execute();
    await db.schema.createIndex('exchange_nonces_expiry').on('exchange_nonces').column('expires_at').execute();

    await db.schema
      .createTable('exchange_msglog')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      .addColumn('key_id', 'text')
      .addColumn('org_id', 'text')
      .addColumn('agreement_id', 'text')
      .addColumn('operation', 'text', (c) => c.notNull()) // lookup | batch | changes | export | refused
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull()) // ok | a problem code
      .addColumn('records', 'integer', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response_hash', 'text', (c) => c.notNull())
      .addColumn('request_body', 'text') // kept only where the agreement says
      .addColumn('response_body', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_msglog_org').on('exchange_msglog').columns(['org_id', 'seq']).execute();
    await db.schema.createIndex('exchange_msglog_agreement').on('exchange_msglog').columns(['agreement_id', 'seq']).execute();
  },
};
