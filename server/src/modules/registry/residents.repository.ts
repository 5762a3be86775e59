// Registry data access, part 2: residents and residencies.
import type { Db } from '../../kernel/db/index.js';
import { escapeLike, like, startsWith } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { whereReach } from './places.repository.js';

export interface ResidentRow {
  id: string;
  community_id: string;
  place_path: string;
  name: string;
  id_type: string;
  id_number_enc: string;
  id_number_bidx: string;
  gender: string;
  birth_date: string | null;
  ethnicity: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  tags: string; // JSON array of codes
  status: 'active' | 'moved_out';
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResidencyRow {
  id: string;
  resident_id: string;
  house_id: string;
  household_id: string | null;
  community_id: string;
  place_path: string;
  role: string;
  relation: string | null;
  move_in: string;
  move_out: string | null;
  move_out_reason: string | null;
  created_at: string;
}

export interface ResidentFilter {
  reach: Reachable;
  q?: string;
  phoneBidx?: string;
  idBidx?: string;
  houseId?: string;
  placePath?: string;
  tag?: string;
  bornOnOrBefore?: string; // elderly
  bornAfter?: string; // child
  status?: string;
}

export class ResidentsRepository {
  constructor(
    private db: Db,
    private likeOp: 'like' | 'ilike',
  ) {}

  byId(id: string, db: Db = this.db) {
    return db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst() as Promise<ResidentRow | undefined>;
  }
  byIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as ResidentRow[]);
    return this.db.selectFrom('residents').selectAll().where('id', 'in', ids).execute() as Promise<ResidentRow[]>;
  }
  byIdBidx(bidx: string, db: Db = this.db) {
    return db.selectFrom('residents').selectAll().where('id_number_bidx', '=', bidx).executeTakeFirst() as Promise<ResidentRow | undefined>;
  }
  byIdBidxs(bidxs: string[], db: Db = this.db) {
    if (!bidxs.length) return Promise.resolve([] as ResidentRow[]);
    return db.selectFrom('residents').selectAll().where('id_number_bidx', 'in', bidxs).execute() as Promise<ResidentRow[]>;
  }
  byPhoneBidx(bidx: string) {
    return this.db
      .selectFrom('residents')
      .selectAll()
      .where('phone_bidx', '=', bidx)
      .where('status', '=', 'active')
      .orderBy('created_at')
      .executeTakeFirst() as Promise<ResidentRow | undefined>;
  }
  async insert(r: ResidentRow, db: Db = this.db) {
    await db.insertInto('residents').values(r).execute();
  }
  async update(id: string, patch: Partial<ResidentRow>, db: Db = this.db) {
    await db.updateTable('residents').set(patch).where('id', '=', id).execute();
  }

  private filtered(f: ResidentFilter) {
    let q = this.db.selectFrom('residents');
    q = whereReach(q, 'residents.place_path', f.reach, 'residents.id');
    if (f.phoneBidx) q = q.where('phone_bidx', '=', f.phoneBidx);
    if (f.idBidx) q = q.where('id_number_bidx', '=', f.idBidx);
    if (f.q) q = q.where(like('name', `%${escapeLike(f.q)}%`, this.likeOp === 'ilike'));
    if (f.placePath) q = q.where(startsWith('place_path', f.placePath));
    if (f.status) q = q.where('status', '=', f.status);
    if (f.tag) q = q.where(like('tags', `%"${escapeLike(f.tag)}"%`));
    if (f.bornOnOrBefore) q = q.where('birth_date', '<=', f.bornOnOrBefore);
    if (f.bornAfter) q = q.where('birth_date', '>', f.bornAfter);
    if (f.houseId) {
      const houseId = f.houseId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('residencies')
            .select('residencies.id')
            .whereRef('residencies.resident_id', '=', 'residents.id')
            .where('residencies.house_id', '=', houseId)
            .where('residencies.move_out', 'is', null),
        ),
      );
    }
    return q;
  }

  async list(f: ResidentFilter, limit: number, offset: number) {
    const q = this.filtered(f);
    const exact = !!(f.phoneBidx || f.idBidx);
    const items = (await q
      .selectAll()
      .orderBy(exact ? 'id' : 'name')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute()) as ResidentRow[];
    // an exact lookup returns few rows: the count is the rows themselves
    const total =
      exact && offset === 0 && items.length < limit
        ? items.length
        : Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }

  async *stream(f: ResidentFilter, batch = 2000) {
    let after = '';
    for (;;) {
      const rows = (await this.filtered(f).selectAll().where('id', '>', after).orderBy('id').limit(batch).execute()) as ResidentRow[];
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1].id;
    }
  }

  residenciesOf(residentIds: string[], db: Db = this.db) {
    if (!residentIds.length) return Promise.resolve([] as ResidencyRow[]);
    return db.selectFrom('residencies').selectAll().where('resident_id', 'in', residentIds).orderBy('move_in').execute() as Promise<ResidencyRow[]>;
  }
  residencyById(id: string, db: Db = this.db) {
    return db.selectFrom('residencies').selectAll().where('id', '=', id).executeTakeFirst() as Promise<ResidencyRow | undefined>;
  }
  currentOfHouse(houseId: string, db: Db = this.db) {
    return db.selectFrom('residencies').selectAll().where('house_id', '=', houseId).where('move_out', 'is', null).orderBy('move_in').execute() as Promise<
      ResidencyRow[]
    >;
  }
  async insertResidency(r: ResidencyRow, db: Db = this.db) {
    await db.insertInto('residencies').values(r).execute();
  }
  async updateResidency(id: string, patch: Partial<ResidencyRow>, db: Db = this.db) {
    await db.updateTable('residencies').set(patch).where('id', '=', id).execute();
  }
}
