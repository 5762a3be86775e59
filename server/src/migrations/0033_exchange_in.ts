import type { LinliMigration } from '../kernel/db/migrator.js';

// The exchange module's records-in half (issue 16): a department's sources, their versioned
// mapping profiles, each upload or push (an import) with its records, the resolution of each
// record to a resident (deterministic by the ID-number blind index, else Fellegi–Sunter), the
// review queue and the remembered decisions, and the provenance of every attribute a source
// asserted. Personal data is vault ciphertext; ID numbers and phones are compared by blind index.
export const m0033: LinliMigration = {
  name: '0033_exchange_in',
  async up(db) {
    await db.schema
      .createTable('exchange_sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text') // the organisation (exchange_orgs) whose data it is, when registered
      .addColumn('department', 'text', (c) => c.notNull()) // police | civil_affairs | health | street_office | property
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull()) // the place whose residents it covers
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('exchange_profiles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull()) // JSON: columns → standard fields, code translations
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_profiles_version').unique().on('exchange_profiles').columns(['source_id', 'version']).execute();

    await db.schema
      .createTable('exchange_imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addColumn('profile_version', 'integer', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull()) // upload | push
      .addColumn('file_name', 'text')
      .addColumn('encoding', 'text')
      .addColumn('status', 'text', (c) => c.notNull()) // done | failed
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .addColumn('linked', 'integer', (c) => c.notNull())
      .addColumn('review', 'integer', (c) => c.notNull())
      .addColumn('new_count', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_imports_source').on('exchange_imports').columns(['source_id', 'created_at']).execute();

    await db.schema
      .createTable('exchange_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('import_id', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('row_n', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // rejected | linked | review | new
      .addColumn('errors', 'text') // JSON [{ field, code, params }] for a rejected row (and warnings)
      .addColumn('data_enc', 'text', (c) => c.notNull()) // vault: the record mapped onto the standard (JSON)
      .addColumn('raw_enc', 'text') // vault: the row as the department sent it (rejected rows, for the report)
      .addColumn('fingerprint', 'text') // blind index of the record's identity (remembered decisions, duplicates)
      .addColumn('id_bidx', 'text')
      .addColumn('resident_id', 'text')
      .addColumn('match_kind', 'text') // id | probabilistic | decision | remembered
      .addColumn('match_weight', 'real')
      .addColumn('filled', 'integer', (c) => c.notNull()) // standard fields present
      .addColumn('valid', 'integer', (c) => c.notNull()) // 1 when every present field passed the standard
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_records_import').on('exchange_records').columns(['import_id', 'row_n']).execute();
    await db.schema.createIndex('exchange_records_source').on('exchange_records').columns(['source_id', 'created_at']).execute();
    await db.schema.createIndex('exchange_records_resident').on('exchange_records').columns(['resident_id']).execute();

    await db.schema
      .createTable('exchange_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('candidate_id', 'text', (c) => c.notNull()) // the resident proposed
      .addColumn('weight', 'real', (c) => c.notNull())
      .addColumn('levels', 'text', (c) => c.notNull()) // JSON: the agreement level of each attribute
      .addColumn('status', 'text', (c) => c.notNull()) // pending | same | different
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_reviews_status').on('exchange_reviews').columns(['status', 'created_at']).execute();

    // a decision applies again when the same record (fingerprint) meets the same resident
    await db.schema
      .createTable('exchange_match_memory')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull()) // same | different
      .addColumn('review_id', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exchange_match_memory_pk', ['fingerprint', 'resident_id'])
      .execute();

    // provenance: which source asserted which value of which attribute of a resident, and when
    await db.schema
      .createTable('exchange_assertions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('attribute', 'text', (c) => c.notNull()) // name | birthDate | gender | ethnicity | phone | address | tags
      .addColumn('value_enc', 'text', (c) => c.notNull()) // vault
      .addColumn('value_key', 'text', (c) => c.notNull()) // blind index of the normalised value (comparison)
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('asserted_at', 'text', (c) => c.notNull())
      .addColumn('current', 'integer', (c) => c.notNull()) // 1 = the source's latest word on it
      .execute();
    // Blocking keys of probabilistic linking read the registry's residents by birth date and by
    // name across communities (bench/exchange/link.ts: 1,000,000 residents); without these every
    // batch of incoming records would scan the table.
    await db.schema.createIndex('residents_birth_date').on('residents').column('birth_date').execute();
    await db.schema.createIndex('residents_name').on('residents').column('name').execute();

    await db.schema.createIndex('exchange_assertions_resident').on('exchange_assertions').columns(['resident_id', 'attribute', 'current']).execute();
  },
};
