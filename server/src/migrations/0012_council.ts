import { sql } from 'kysely';
import type { LinliMigration } from '../kernel/db/migrator.js';

// Participation: residents' council — votes (with voter roll, unlinkable ballots and tallies),
// proposals (co-signatures, comments, timeline), meetings (agenda, attendees, minutes) and
// feedback (诉求). See docs/api/council.md for the secrecy design.
export const m0012: LinliMigration = {
  name: '0012_council',
  async up(db, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';

    await db.schema
      .createTable('council_votes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull()) // residents | owners | households
      .addColumn('secret', 'integer', (c) => c.notNull())
      .addColumn('hide_results', 'integer', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull()) // simple | threshold | art278
      .addColumn('major', 'integer', (c) => c.notNull().defaultTo(0)) // Art. 278 items 6–8
      .addColumn('quorum_num', 'integer')
      .addColumn('quorum_den', 'integer')
      .addColumn('threshold_num', 'integer')
      .addColumn('threshold_den', 'integer')
      .addColumn('proposal_id', 'text')
      .addColumn('meeting_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull()) // draft | open | closed
      .addColumn('closes_at', 'text')
      .addColumn('opened_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('roll_heads', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('roll_area_centi', big, (c) => c.notNull().defaultTo(0))
      .addColumn('ballots_cast', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('result', 'text') // frozen JSON verdict, written once at close
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('council_votes_community').on('council_votes').columns(['community_id', 'status']).execute();

    // The voter roll, snapshotted at opening: who may vote and whether they have voted. The
    // conditional update voted 0 → 1 is the one-vote-per-voter guarantee across channels.
    await db.schema
      .createTable('council_vote_roll')
      .addColumn('vote_id', 'text', (c) => c.notNull())
      .addColumn('voter_key', 'text', (c) => c.notNull()) // resident id, or household id
      .addColumn('resident_id', 'text', (c) => c.notNull()) // who represents the entry
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull()) // houses, for the paper-ballot desk
      .addColumn('area_centi', big, (c) => c.notNull())
      .addColumn('voted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('channel', 'text') // online | paper
      .addColumn('voted_at', 'text')
      .addColumn('entered_by', 'text')
      .addPrimaryKeyConstraint('council_vote_roll_pk', ['vote_id', 'voter_key'])
      .execute();
    // Which resident may act for which roll entry (a household's adult members, an owner).
    await db.schema
      .createTable('council_vote_electors')
      .addColumn('vote_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('voter_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('council_vote_electors_pk', ['vote_id', 'resident_id'])
      .execute();
    // Ballots: random ids, no time, no channel; the voter only on named votes. On SQLite the
    // table has no rowid, so its physical order is the random key, not the order of casting.
    await db.schema
      .createTable('council_ballots')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('vote_id', 'text', (c) => c.notNull())
      .addColumn('choice', 'text', (c) => c.notNull()) // yes | no | abstain
      .addColumn('voter_key', 'text') // named votes only
      .addColumn('area_centi', big) // named votes only (an area can identify an owner)
      .modifyEnd(dialect === 'sqlite' ? sql`without rowid` : sql``)
      .execute();
    await db.schema.createIndex('council_ballots_vote').on('council_ballots').columns(['vote_id', 'choice']).execute();
    await db.schema
      .createIndex('council_ballots_voter')
      .on('council_ballots')
      .columns(['vote_id', 'voter_key'])
      .unique()
      .where(sql.ref('voter_key'), 'is not', null)
      .execute();
    // Running totals per choice (heads and area); the only place a secret vote's areas are summed.
    await db.schema
      .createTable('council_tallies')
      .addColumn('vote_id', 'text', (c) => c.notNull())
      .addColumn('choice', 'text', (c) => c.notNull())
      .addColumn('heads', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('area_centi', big, (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('council_tallies_pk', ['vote_id', 'choice'])
      .execute();

    // ---------- proposals ----------
    await db.schema
      .createTable('council_proposals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('attachment_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('author_resident_id', 'text')
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull()) // resident | feedback | staff
      .addColumn('status', 'text', (c) => c.notNull()) // collecting | on_agenda | under_review | accepted | rejected | implementing | done
      .addColumn('cosign_threshold', 'integer', (c) => c.notNull())
      .addColumn('cosigns', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('on_agenda_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('council_proposals_community').on('council_proposals').columns(['community_id', 'created_at']).execute();
    await db.schema
      .createTable('council_cosigns')
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('council_cosigns_pk', ['proposal_id', 'resident_id'])
      .execute();
    await db.schema
      .createTable('council_proposal_updates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('council_proposal_updates_p').on('council_proposal_updates').columns(['proposal_id', 'at']).execute();
    await db.schema
      .createTable('council_follows')
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('council_follows_pk', ['proposal_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('council_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('author_user_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('review', 'text', (c) => c.notNull().defaultTo('none')) // none | pending | kept | removed
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('council_comments_p').on('council_comments').columns(['proposal_id', 'created_at']).execute();
    await db.schema
      .createTable('council_comment_reports')
      .addColumn('comment_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('council_comment_reports_pk', ['comment_id', 'user_id'])
      .execute();

    // ---------- meetings ----------
    await db.schema
      .createTable('council_meetings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('minutes', 'text')
      .addColumn('attendees', 'text', (c) => c.notNull().defaultTo('[]')) // [{name, role, residentId?}]
      .addColumn('status', 'text', (c) => c.notNull()) // planned | held
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('council_agenda_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('meeting_id', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('proposal_id', 'text')
      .addColumn('vote_id', 'text')
      .addColumn('resolution', 'text')
      .execute();
    await db.schema.createIndex('council_agenda_items_m').on('council_agenda_items').columns(['meeting_id', 'sort']).execute();

    // ---------- feedback (诉求) ----------
    await db.schema
      .createTable('council_feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text')
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('resident_name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('photo_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('status', 'text', (c) => c.notNull()) // submitted | answered | work_order | proposal
      .addColumn('answer', 'text')
      .addColumn('answered_by', 'text')
      .addColumn('answered_at', 'text')
      .addColumn('work_order_id', 'text')
      .addColumn('proposal_id', 'text')
      .addColumn('respond_by', 'text', (c) => c.notNull())
      .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rating', 'integer')
      .addColumn('rating_comment', 'text')
      .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM in the community's time zone, for statistics
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('council_feedback_community').on('council_feedback').columns(['community_id', 'status', 'created_at']).execute();
    await db.schema.createIndex('council_feedback_resident').on('council_feedback').columns(['resident_id', 'created_at']).execute();
  },
};
