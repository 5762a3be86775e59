// The only code that touches the meeting tables (meetings and their agenda items).
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { whereReach } from './council.common.js';
import type { CouncilTables } from './council.tables.js';

/** A meeting as stored (council.tables.ts). */
export type MeetingRow = Selectable<CouncilTables['council_meetings']>;
export type AgendaItemRow = Insertable<CouncilTables['council_agenda_items']>;

/** The kernel's handle (or a transaction of it) seen through the council's tables. */
const own = (db: Db | Tx) => tablesOf<CouncilTables>(db);

export class MeetingsRepository {
  constructor(private db: Db) {}
  private get own() {
    return own(this.db);
  }

  byId(id: string) {
    return this.own.selectFrom('council_meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async list(reach: Reachable, limit: number, offset: number) {
    const base = whereReach(this.own.selectFrom('council_meetings'), reach);
    const items = await base.selectAll().orderBy('starts_at', 'desc').limit(limit).offset(offset).execute();
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  /** Is there a proposal of this id in the community? */
  async proposalIn(id: string, communityId: string) {
    return !!(await this.own.selectFrom('council_proposals').select('id').where('id', '=', id).where('community_id', '=', communityId).executeTakeFirst());
  }
  /** Is there a vote of this id in the community? */
  async voteIn(id: string, communityId: string) {
    return !!(await this.own.selectFrom('council_votes').select('id').where('id', '=', id).where('community_id', '=', communityId).executeTakeFirst());
  }
  /** The agenda in order, with the linked proposals' and votes' titles and states. */
  agenda(meetingId: string) {
    return this.own
      .selectFrom('council_agenda_items')
      .leftJoin('council_proposals', 'council_proposals.id', 'council_agenda_items.proposal_id')
      .leftJoin('council_votes', 'council_votes.id', 'council_agenda_items.vote_id')
      .select([
        'council_agenda_items.id',
        'council_agenda_items.title',
        'council_agenda_items.proposal_id',
        'council_agenda_items.vote_id',
        'council_agenda_items.resolution',
        'council_proposals.title as proposal_title',
        'council_proposals.status as proposal_status',
        'council_votes.title as vote_title',
        'council_votes.status as vote_status',
        'council_votes.result as vote_result',
      ])
      .where('council_agenda_items.meeting_id', '=', meetingId)
      .orderBy('council_agenda_items.sort')
      .execute();
  }
  async itemCount(meetingId: string) {
    return Number(
      (
        await this.own
          .selectFrom('council_agenda_items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('meeting_id', '=', meetingId)
          .executeTakeFirst()
      )?.n ?? 0,
    );
  }
  async insert(t: Tx, m: MeetingRow) {
    await own(t).insertInto('council_meetings').values(m).execute();
  }
  async insertItem(t: Tx, item: AgendaItemRow) {
    await own(t).insertInto('council_agenda_items').values(item).execute();
  }
  async update(t: Tx, id: string, patch: Updateable<CouncilTables['council_meetings']>) {
    await own(t).updateTable('council_meetings').set(patch).where('id', '=', id).execute();
  }
  /** Record an item's resolution; false when the item is not on this meeting's agenda. */
  async setResolution(t: Tx, meetingId: string, itemId: string, resolution: string): Promise<boolean> {
    const res = await own(t)
      .updateTable('council_agenda_items')
      .set({ resolution })
      .where('id', '=', itemId)
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
