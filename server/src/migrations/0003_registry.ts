import type { LinliMigration } from '../kernel/db/migrator.js';

// Registry: places (region → community → estate → building → unit → house), households,
// residents, residencies (move-in/move-out history), imports.
export const m0003: LinliMigration = {
  name: '0003_registry',
  async up(db) {
    await db.schema
      .createTable('places')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull()) // region | community | estate | building | unit | house
      .addColumn('region_level', 'text') // district | street (regions only)
      .addColumn('parent_id', 'text', (c) => c.references('places.id'))
      .addColumn('path', 'text', (c) => c.notNull().unique()) // "/reg_…/com_…/est_…/"
      .addColumn('community_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('code', 'text') // GB/T 2260 division code for regions; own code otherwise
      .addColumn('floor', 'integer')
      .addColumn('area_m2', 'real')
      .addColumn('house_use', 'text')
      .addColumn('time_zone', 'text')
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('places_parent').on('places').columns(['parent_id', 'sort', 'name']).execute();
    await db.schema.createIndex('places_sibling_name').on('places').columns(['parent_id', 'name']).unique().execute();
    await db.schema.createIndex('places_community').on('places').columns(['community_id', 'kind']).execute();

    await db.schema
      .createTable('households')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('house_id', 'text', (c) => c.notNull().references('places.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('householder_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('dissolved_at', 'text')
      .execute();
    await db.schema.createIndex('households_house').on('households').column('house_id').execute();

    await db.schema
      .createTable('residents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('id_type', 'text', (c) => c.notNull())
      .addColumn('id_number_enc', 'text', (c) => c.notNull())
      .addColumn('id_number_bidx', 'text', (c) => c.notNull().unique())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text')
      .addColumn('ethnicity', 'text')
      .addColumn('phone_enc', 'text')
      .addColumn('phone_bidx', 'text')
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('status', 'text', (c) => c.notNull()) // active | moved_out
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('residents_phone').on('residents').column('phone_bidx').execute();
    await db.schema.createIndex('residents_community_name').on('residents').columns(['community_id', 'name']).execute();
    await db.schema.createIndex('residents_path').on('residents').columns(['place_path', 'id']).execute();

    await db.schema
      .createTable('residencies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
      .addColumn('house_id', 'text', (c) => c.notNull().references('places.id'))
      .addColumn('household_id', 'text', (c) => c.references('households.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull()) // owner | tenant | family
      .addColumn('relation', 'text') // GB/T 4761 code, relation to the householder
      .addColumn('move_in', 'text', (c) => c.notNull())
      .addColumn('move_out', 'text')
      .addColumn('move_out_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('residencies_resident').on('residencies').columns(['resident_id', 'move_in']).execute();
    await db.schema.createIndex('residencies_house').on('residencies').columns(['house_id', 'move_out']).execute();

    await db.schema
      .createTable('imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // residents | houses
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // uploaded | running | done | failed
      .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mapping', 'text')
      .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('report_file_id', 'text')
      .addColumn('error', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
  },
};
