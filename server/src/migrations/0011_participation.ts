import type { LinliMigration } from '../kernel/db/migrator.js';

// Participation (issue 6): notices with read receipts, surveys with a respondent roll kept apart
// from the responses (anonymous responses hold no resident link), events with registrations and
// check-in, and the points ledger with rules, rewards, redemptions and honours.
export const m0011: LinliMigration = {
  name: '0011_participation',
  async up(db) {
    // per-community values of the components' declared settings (defaults live in the manifests)
    await db.schema
      .createTable('pt_component_settings')
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('component', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull()) // JSON
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pt_component_settings_pk', ['community_id', 'component', 'key'])
      .execute();

    // ---------- notices ----------
    await db.schema
      .createTable('pt_notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the community's path (scope)
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body_html', 'text', (c) => c.notNull()) // sanitised on save
      .addColumn('audience', 'text', (c) => c.notNull()) // JSON { placeIds, tags }
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]')) // JSON file ids
      .addColumn('status', 'text', (c) => c.notNull()) // scheduled | published | withdrawn
      .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('publish_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('published_at', 'text')
      .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pt_notices_path').on('pt_notices').columns(['place_path', 'publish_at']).execute();
    await db.schema.createIndex('pt_notices_due').on('pt_notices').columns(['status', 'publish_at']).execute();
    await db.schema
      .createTable('pt_notice_recipients')
      .addColumn('notice_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('building_id', 'text')
      .addColumn('read_at', 'text')
      .addPrimaryKeyConstraint('pt_notice_recipients_pk', ['notice_id', 'resident_id'])
      .execute();
    await db.schema.createIndex('pt_notice_recipients_resident').on('pt_notice_recipients').columns(['resident_id', 'notice_id']).execute();

    // ---------- surveys ----------
    await db.schema
      .createTable('pt_surveys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('questions', 'text', (c) => c.notNull()) // JSON
      .addColumn('audience', 'text', (c) => c.notNull()) // JSON { placeIds, tags }
      .addColumn('per', 'text', (c) => c.notNull()) // resident | household
      .addColumn('anonymous', 'integer', (c) => c.notNull())
      .addColumn('opens_at', 'text', (c) => c.notNull())
      .addColumn('closes_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pt_surveys_path').on('pt_surveys').columns(['place_path', 'opens_at']).execute();
    // the roll: who (or which household) has answered. Its primary key is the one-response rule.
    await db.schema
      .createTable('pt_survey_respondents')
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('respondent_key', 'text', (c) => c.notNull()) // resident id or household id
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('building_id', 'text')
      .addColumn('responded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pt_survey_respondents_pk', ['survey_id', 'respondent_key'])
      .execute();
    // responses: resident_id is null for anonymous surveys; ids are random (not time-ordered) and
    // only the day is kept, so rows cannot be lined up with the roll by time
    await db.schema
      .createTable('pt_survey_responses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text')
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pt_survey_responses_survey').on('pt_survey_responses').column('survey_id').execute();

    // ---------- events ----------
    await db.schema
      .createTable('pt_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('organiser_kind', 'text', (c) => c.notNull()) // community | social_org | volunteer_team
      .addColumn('organiser_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // open | cancelled
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pt_events_path').on('pt_events').columns(['place_path', 'starts_at']).execute();
    await db.schema
      .createTable('pt_event_registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('resident_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // registered | waitlisted | cancelled
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('checked_in_at', 'text')
      .addColumn('volunteer_hours', 'real')
      .execute();
    await db.schema.createIndex('pt_event_reg_unique').on('pt_event_registrations').columns(['event_id', 'resident_id']).unique().execute();
    await db.schema.createIndex('pt_event_reg_resident').on('pt_event_registrations').columns(['resident_id', 'registered_at']).execute();

    // ---------- points ----------
    await db.schema
      .createTable('pt_point_rules')
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('component', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('daily_cap', 'integer', (c) => c.notNull()) // 0 = none
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pt_point_rules_pk', ['community_id', 'component', 'action'])
      .execute();
    await db.schema
      .createTable('pt_points_ledger')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('component', 'text', (c) => c.notNull()) // a component name, or 'staff' / 'rewards'
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('delta', 'integer', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull()) // local date, for daily caps
      .addColumn('reason', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // each verified action is credited once
    await db.schema.createIndex('pt_points_once').on('pt_points_ledger').columns(['component', 'action', 'ref', 'resident_id']).unique().execute();
    await db.schema.createIndex('pt_points_resident').on('pt_points_ledger').columns(['resident_id', 'day']).execute();
    await db.schema
      .createTable('pt_point_balances')
      .addColumn('resident_id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('balance', 'integer', (c) => c.notNull())
      .addColumn('earned', 'integer', (c) => c.notNull()) // lifetime credits, for honour thresholds
      .addColumn('leaderboard_opt_out', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('pt_point_balances_path').on('pt_point_balances').columns(['place_path', 'earned']).execute();
    await db.schema
      .createTable('pt_rewards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('cost', 'integer', (c) => c.notNull())
      .addColumn('stock', 'integer', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pt_redemptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reward_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('cost', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // pending | fulfilled
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('fulfilled_at', 'text')
      .addColumn('fulfilled_by', 'text')
      .execute();
    await db.schema.createIndex('pt_redemptions_resident').on('pt_redemptions').columns(['resident_id', 'created_at']).execute();
    await db.schema
      .createTable('pt_honours')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('threshold', 'integer') // lifetime points that award it; null = staff only
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pt_honour_awards')
      .addColumn('honour_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('awarded_at', 'text', (c) => c.notNull())
      .addColumn('awarded_by', 'text')
      .addPrimaryKeyConstraint('pt_honour_awards_pk', ['honour_id', 'resident_id'])
      .execute();
    await db.schema.createIndex('pt_honour_awards_resident').on('pt_honour_awards').column('resident_id').execute();
  },
};
