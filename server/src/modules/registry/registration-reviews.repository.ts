// Data access of registration reviews (table registration_reviews, migration 0023).
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Schema } from '../../kernel/db/tables.js';
import type { RegistryTables, ReviewStatus } from './registry.tables.js';

export type ReviewRow = Selectable<RegistryTables['registration_reviews']>;

export class ReviewsRepository {
  constructor(private db: Db) {}

  /** The pending review of this person for this community, if any. */
  async pendingFor(idNumberBidx: string, communityId: string) {
    return tablesOf<RegistryTables>(this.db)
      .selectFrom('registration_reviews')
      .select('id')
      .where('id_number_bidx', '=', idNumberBidx)
      .where('community_id', '=', communityId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  }
  async insert(row: ReviewRow, t: Transaction<Schema>) {
    await txOf<RegistryTables>(t).insertInto('registration_reviews').values(row).execute();
  }
  byId(id: string) {
    return tablesOf<RegistryTables>(this.db).selectFrom('registration_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** Newest first, at most 500. */
  list(status?: ReviewStatus) {
    let q = tablesOf<RegistryTables>(this.db).selectFrom('registration_reviews').selectAll().orderBy('requested_at', 'desc').limit(500);
    if (status) q = q.where('status', '=', status);
    return q.execute();
  }
  /** Decide a pending review inside the transaction; false when it was decided already (a second approval, a race). */
  async claim(
    t: Transaction<Schema>,
    id: string,
    d: { status: 'approved' | 'rejected'; decided_by: string; decided_at: string; decision_note: string | null },
  ) {
    const res = await txOf<RegistryTables>(t)
      .updateTable('registration_reviews')
      .set(d)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
