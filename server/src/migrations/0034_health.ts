import type { LinliMigration } from '../kernel/db/migrator.js';

// Community health (issue 17): institutions, doctors, family-doctor teams, contracts and consent,
// readings, alerts, clinical notes and follow-ups. Privacy by construction: every health row is
// keyed by a pseudonymous patient id (pat_…); the link to the resident is vault ciphertext
// (link_enc) plus a keyed blind index (link_bidx), so a copy of the database alone does not say
// whose readings are whose. Clinical text (advice, assessment, follow-up notes, snooze reasons,
// close notes) is vault ciphertext too. Also adds the home-device types the readings come from.

const k = (key: string, unit: string, min: number, max: number, zh: string, en: string) => ({ key, unit, min, max, zh, en });
export const healthDeviceTypes = [
  {
    code: 'bp_monitor',
    zh: '血压计',
    en: 'Blood pressure monitor',
    keys: [
      k('systolic', 'mm[Hg]', 30, 300, '收缩压', 'Systolic'),
      k('diastolic', 'mm[Hg]', 20, 250, '舒张压', 'Diastolic'),
      k('pulse', '/min', 20, 250, '脉搏', 'Pulse'),
    ],
  },
  {
    code: 'glucometer',
    zh: '血糖仪',
    en: 'Glucometer',
    // glucose_context: 0 random, 1 fasting, 2 after a meal
    keys: [k('glucose', 'mmol/L', 0.5, 40, '血糖', 'Glucose'), k('glucose_context', '{context}', 0, 2, '测量时机', 'Context')],
  },
  { code: 'oximeter', zh: '血氧仪', en: 'Pulse oximeter', keys: [k('spo2', '%', 50, 100, '血氧饱和度', 'SpO2'), k('pulse', '/min', 20, 250, '脉搏', 'Pulse')] },
  { code: 'scale', zh: '体重秤', en: 'Scale', keys: [k('weight', 'kg', 2, 300, '体重', 'Weight')] },
];

export const m0034: LinliMigration = {
  name: '0034_health',
  async up(db, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    const real = 'double precision';

    await db.schema
      .createTable('health_institutions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // center 社区卫生服务中心 | station 社区卫生服务站
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('health_doctors')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('institution_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('health_teams')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('institution_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('health_team_members')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('health_team_members_pk', ['team_id', 'user_id'])
      .execute();
    await db.schema.createIndex('health_team_members_user').on('health_team_members').columns(['user_id']).execute();

    // the pseudonymous patient: link_enc = vault(resident id); link_bidx = HMAC(resident id)
    await db.schema
      .createTable('health_patients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('link_enc', 'text', (c) => c.notNull())
      .addColumn('link_bidx', 'text', (c) => c.notNull().unique())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the community's path (aggregates, scope)
      .addColumn('conditions', 'text', (c) => c.notNull().defaultTo('[]')) // JSON ["hypertension","diabetes"]
      .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0)) // health-data consent in force
      .addColumn('consent_at', 'text')
      .addColumn('last_reading_at', big)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_patients_path').on('health_patients').columns(['place_path']).execute();

    await db.schema
      .createTable('health_contracts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('package', 'text', (c) => c.notNull()) // basic | elderly | chronic
      .addColumn('signed_by', 'text', (c) => c.notNull()) // self | guardian
      .addColumn('guardian_enc', 'text')
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // active | ended
      .addColumn('renewals', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_contracts_patient').on('health_contracts').columns(['patient_id', 'status']).execute();
    await db.schema.createIndex('health_contracts_team').on('health_contracts').columns(['team_id', 'status']).execute();

    // household members the patient names as viewers (viewer_bidx = HMAC(resident id))
    await db.schema
      .createTable('health_viewers')
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('viewer_bidx', 'text', (c) => c.notNull())
      .addColumn('viewer_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('health_viewers_pk', ['patient_id', 'viewer_bidx'])
      .execute();
    await db.schema.createIndex('health_viewers_viewer').on('health_viewers').columns(['viewer_bidx']).execute();

    // device bound to a patient (its telemetry becomes the patient's readings)
    await db.schema
      .createTable('health_device_bindings')
      .addColumn('device_id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // kind: bp (v1 sys, v2 dia, v3 pulse) | glucose (v1 mmol/L, context) | hr | spo2 | temp (Cel) | weight (kg)
    await db.schema
      .createTable('health_readings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ts', big, (c) => c.notNull())
      .addColumn('v1', real, (c) => c.notNull())
      .addColumn('v2', real)
      .addColumn('v3', real)
      .addColumn('context', 'text')
      .addColumn('source', 'text', (c) => c.notNull()) // device | portal | clinic | fhir
      .addColumn('device_id', 'text')
      .addColumn('shared', 'integer', (c) => c.notNull()) // consent was in force: the team sees it
      .addColumn('level', 'text', (c) => c.notNull().defaultTo('normal')) // normal | high | urgent (low counts as urgent)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_readings_patient').on('health_readings').columns(['patient_id', 'kind', 'ts']).execute();

    // per-patient overrides of the default thresholds (JSON per rule)
    await db.schema
      .createTable('health_thresholds')
      .addColumn('patient_id', 'text', (c) => c.primaryKey())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('set_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('health_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull()) // high | urgent
      .addColumn('status', 'text', (c) => c.notNull()) // open | acknowledged | closed
      .addColumn('open_key', 'text', (c) => c.unique()) // patient|rule while not closed: one open alert per patient and rule
      .addColumn('reading_id', 'text')
      .addColumn('value', 'text', (c) => c.notNull()) // JSON summary of the reading(s)
      .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .addColumn('snoozed_until', 'text')
      .addColumn('snooze_reason_enc', 'text')
      .addColumn('escalated_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('action', 'text') // advice | call | visit | referral
      .addColumn('note_enc', 'text')
      .execute();
    await db.schema.createIndex('health_alerts_team').on('health_alerts').columns(['team_id', 'status']).execute();
    await db.schema.createIndex('health_alerts_patient').on('health_alerts').columns(['patient_id', 'opened_at']).execute();

    // advice 健康建议 | assessment 初步诊断
    await db.schema
      .createTable('health_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text_enc', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_notes_patient').on('health_notes').columns(['patient_id', 'created_at']).execute();

    // 随访 after the national forms: hypertension / type-2 diabetes, quarterly
    await db.schema
      .createTable('health_followups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('disease', 'text', (c) => c.notNull()) // hypertension | diabetes
      .addColumn('visit_date', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull()) // clinic | home | phone
      .addColumn('control', 'text', (c) => c.notNull()) // satisfied | unsatisfied | adverse | complication
      .addColumn('notes_enc', 'text')
      .addColumn('next_due', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('health_followups_patient').on('health_followups').columns(['patient_id', 'disease', 'visit_date']).execute();

    const at = new Date().toISOString();
    await db
      .insertInto('device_types')
      .values(
        healthDeviceTypes.map((t) => ({
          id: `dty_${t.code}`,
          code: t.code,
          name_zh: t.zh,
          name_en: t.en,
          telemetry: JSON.stringify(t.keys),
          heartbeat_s: 86_400,
          builtin: 1,
          created_by: null,
          created_at: at,
        })),
      )
      .execute();
  },
};
