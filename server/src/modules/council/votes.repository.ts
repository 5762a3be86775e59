// The only code that touches the vote tables (votes, roll, electors, ballots, tallies).
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { escapeLike, insertMany, like } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { CouncilTables } from './council.tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './council.common.js';
import { choices, type Choice, type Count } from './votes.rules.js';

/** A vote as stored (council.tables.ts). */
export type VoteRow = Selectable<CouncilTables['council_votes']>;
/** An entry of a vote's roll as stored. */
export type RollRow = Selectable<CouncilTables['council_vote_roll']>;

const num = (r: { numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined) => Number(r?.numUpdatedRows ?? r?.numInsertedOrUpdatedRows ?? 0);

/** The kernel's handle (or a transaction of it) seen through the council's tables. */
const own = (db: Db | Tx) => tablesOf<CouncilTables>(db);

/** A ballot id that carries no time and no order (unlike the platform's sortable ids). */
export const ballotId = () => 'bal_' + crypto.randomBytes(16).toString('hex');

export class VotesRepository {
  constructor(private database: Database) {}
  get db(): Db {
    return this.database.db;
  }
  private get own() {
    return own(this.database.db);
  }

  byId(id: string, db: Db = this.db) {
    return own(db).selectFrom('council_votes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insert(v: VoteRow, db: Db = this.db) {
    await own(db).insertInto('council_votes').values(v).execute();
  }
  async list(reach: Reachable, f: { statuses?: VoteRow['status'][]; proposalId?: string }, limit: number, offset: number) {
    let q = whereReach(this.own.selectFrom('council_votes'), reach);
    if (f.statuses) q = q.where('status', 'in', f.statuses);
    if (f.proposalId) q = q.where('proposal_id', '=', f.proposalId);
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }

  /** Open votes whose planned closing time has passed. */
  async due(now: string): Promise<VoteRow[]> {
    return await this.own
      .selectFrom('council_votes')
      .selectAll()
      .where('status', '=', 'open')
      .where('closes_at', 'is not', null)
      .where('closes_at', '<=', now)
      .limit(100)
      .execute();
  }
  /** draft → open, or open → closed; false when the vote was not in `from` (someone else won). */
  async setStatus(t: Tx, id: string, from: VoteRow['status'], patch: Partial<VoteRow>): Promise<boolean> {
    return num(await own(t).updateTable('council_votes').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst()) === 1;
  }
  async update(t: Tx, id: string, patch: Partial<VoteRow>) {
    await own(t).updateTable('council_votes').set(patch).where('id', '=', id).execute();
  }

  /** Count a ballot on an open vote; also takes the vote's row lock so close waits for casts. */
  async countBallot(t: Tx, id: string, at: string): Promise<boolean> {
    return (
      num(
        await own(t)
          .updateTable('council_votes')
          .set((eb) => ({ ballots_cast: eb('ballots_cast', '+', 1), updated_at: at }))
          .where('id', '=', id)
          .where('status', '=', 'open')
          .executeTakeFirst(),
      ) === 1
    );
  }

  // ---------- roll ----------
  async insertRoll(t: Tx, roll: RollRow[], electors: { vote_id: string; resident_id: string; voter_key: string }[]) {
    await insertMany(this.database, t, 'council_vote_roll', roll);
    await insertMany(this.database, t, 'council_vote_electors', electors);
    await own(t)
      .insertInto('council_tallies')
      .values(choices.map((choice) => ({ vote_id: roll[0].vote_id, choice, heads: 0, area_centi: 0 })))
      .execute();
  }
  async voterKeyOf(voteId: string, residentId: string, db: Db = this.db): Promise<string | null> {
    const r = await own(db)
      .selectFrom('council_vote_electors')
      .select('voter_key')
      .where('vote_id', '=', voteId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    return r?.voter_key ?? null;
  }
  rollEntry(voteId: string, voterKey: string, db: Db = this.db) {
    return own(db).selectFrom('council_vote_roll').selectAll().where('vote_id', '=', voteId).where('voter_key', '=', voterKey).executeTakeFirst();
  }
  /** The one-vote guarantee: only a roll entry that has not voted yet flips to voted. */
  async markVoted(t: Tx, voteId: string, voterKey: string, channel: 'online' | 'paper', at: string, enteredBy: string | null): Promise<boolean> {
    const r = await own(t)
      .updateTable('council_vote_roll')
      .set({ voted: 1, channel, voted_at: at, entered_by: enteredBy })
      .where('vote_id', '=', voteId)
      .where('voter_key', '=', voterKey)
      .where('voted', '=', 0)
      .executeTakeFirst();
    return num(r) === 1;
  }
  async roll(voteId: string, f: { q?: string; voted?: boolean }, limit: number, offset: number) {
    let q = this.own.selectFrom('council_vote_roll').where('vote_id', '=', voteId);
    if (f.q) q = q.where((eb) => eb.or([like('name', `%${escapeLike(f.q!)}%`), like('label', `%${escapeLike(f.q!)}%`)]));
    if (f.voted !== undefined) q = q.where('voted', '=', f.voted ? 1 : 0);
    const items = await q.selectAll().orderBy('label').orderBy('name').orderBy('voter_key').limit(limit).offset(offset).execute();
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  async turnout(voteId: string, db: Db = this.db): Promise<Count> {
    const r = await own(db)
      .selectFrom('council_vote_roll')
      .select((eb) => [eb.fn.countAll<number>().as('heads'), eb.fn.sum<number>('area_centi').as('area')])
      .where('vote_id', '=', voteId)
      .where('voted', '=', 1)
      .executeTakeFirst();
    return { heads: Number(r?.heads ?? 0), area: Number(r?.area ?? 0) };
  }

  // ---------- ballots and tallies ----------
  async insertBallot(t: Tx, b: { vote_id: string; choice: Choice; voter_key: string | null; area_centi: number | null }) {
    await own(t)
      .insertInto('council_ballots')
      .values({ id: ballotId(), ...b })
      .execute();
  }
  async addToTally(t: Tx, voteId: string, choice: Choice, area: number) {
    await own(t)
      .updateTable('council_tallies')
      .set((eb) => ({ heads: eb('heads', '+', 1), area_centi: eb('area_centi', '+', area) }))
      .where('vote_id', '=', voteId)
      .where('choice', '=', choice)
      .execute();
  }
  async tallies(voteId: string, db: Db = this.db): Promise<Record<Choice, Count>> {
    const rows = await own(db).selectFrom('council_tallies').selectAll().where('vote_id', '=', voteId).execute();
    const out = Object.fromEntries(choices.map((c) => [c, { heads: 0, area: 0 }])) as Record<Choice, Count>;
    for (const r of rows) out[r.choice] = { heads: Number(r.heads), area: Number(r.area_centi) };
    return out;
  }
  async ballotCounts(voteId: string, db: Db = this.db): Promise<Record<string, number>> {
    const rows = await own(db)
      .selectFrom('council_ballots')
      .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
      .where('vote_id', '=', voteId)
      .groupBy('choice')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.choice, Number(r.n)]));
  }
  /** Named votes: who chose what (never for secret votes: their ballots have no voter). */
  namedBallots(voteId: string) {
    return this.own
      .selectFrom('council_ballots')
      .innerJoin('council_vote_roll', (j) =>
        j.onRef('council_vote_roll.vote_id', '=', 'council_ballots.vote_id').onRef('council_vote_roll.voter_key', '=', 'council_ballots.voter_key'),
      )
      .select(['council_vote_roll.name', 'council_vote_roll.label', 'council_ballots.choice', 'council_vote_roll.channel', 'council_vote_roll.area_centi'])
      .where('council_ballots.vote_id', '=', voteId)
      .orderBy('council_vote_roll.label')
      .orderBy('council_vote_roll.name')
      .execute();
  }

  /**
   * At close of a secret vote: rewrite its ballots and tallies in one transaction, so their
   * physical order and PostgreSQL's per-row transaction ids (xmin) no longer match the casting
   * transactions recorded on the roll.
   */
  async reseal(t: Tx, voteId: string) {
    const ballots = await own(t).selectFrom('council_ballots').select(['choice']).where('vote_id', '=', voteId).execute();
    await own(t).deleteFrom('council_ballots').where('vote_id', '=', voteId).execute();
    const fresh = ballots
      .map((b) => ({ id: ballotId(), vote_id: voteId, choice: b.choice, voter_key: null, area_centi: null }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    await insertMany(this.database, t, 'council_ballots', fresh);
    await own(t)
      .updateTable('council_tallies')
      .set((eb) => ({ heads: eb('heads', '+', 0) }))
      .where('vote_id', '=', voteId)
      .execute();
  }
}
