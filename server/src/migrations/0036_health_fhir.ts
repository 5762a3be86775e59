import type { LinliMigration } from '../kernel/db/migrator.js';

// FHIR R4 on the health module (issue 17, item 4). What a FHIR Observation carries beyond a reading:
// its status (a cancelled or entered-in-error Observation is kept as such but is never a reading, so
// it is not charted and raises no alert), its dataAbsentReason (no value: not a reading either), and
// the LOINC code and UCUM unit the sender used, so that an import exports again as it came in.
// Keyed by the pseudonymous patient id like every health row; no personal data.
export const m0036: LinliMigration = {
  name: '0036_health_fhir',
  async up(db, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('health_fhir_observations')
      .addColumn('id', 'text', (c) => c.primaryKey()) // the Observation id: the reading's id when it is one
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('reading_id', 'text') // the reading it became (final/amended/corrected/preliminary with a value)
      .addColumn('status', 'text', (c) => c.notNull()) // FHIR Observation.status
      .addColumn('code', 'text', (c) => c.notNull()) // LOINC code as sent
      .addColumn('unit', 'text') // UCUM code as sent
      .addColumn('value1', 'double precision') // value (or systolic) as sent
      .addColumn('value2', 'double precision') // diastolic as sent
      .addColumn('absent', 'text') // dataAbsentReason code
      .addColumn('ts', big, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_fhir_observations_patient').on('health_fhir_observations').columns(['patient_id', 'ts']).execute();
  },
};
