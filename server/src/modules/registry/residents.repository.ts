// Registry data access, part 2: residents and residencies.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db, Tx } from '../../kernel/db/index.js';
import { escapeLike, like, startsWith } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { registryDb, whereReach } from './places.repository.js';
import type { RegistryDb, RegistryTables, ResidentStatus } from './registry.tables.js';

/** A resident as stored (registry.tables.ts); `tags` is a JSON array of codes. */
export type ResidentRow = Selectable<RegistryTables['residents']>;
export type ResidencyRow = Selectable<RegistryTables['residencies']>;

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
  status?: ResidentStatus;
}

export class ResidentsRepository {
  private db: RegistryDb;
  constructor(
    db: Db,
    private likeOp: 'like' | 'ilike',
  ) {
    this.db = registryDb(db);
  }
  private on(t?: Db | Tx): RegistryDb {
    return t ? registryDb(t) : this.db;
  }

  byId(id: string, t?: Db | Tx) {
    return this.on(t).selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byIds(ids: string[]) {
    if (!ids.length) return Promise.resolve<ResidentRow[]>([]);
    return this.db.selectFrom('residents').selectAll().where('id', 'in', ids).execute();
  }
  byIdBidx(bidx: string, t?: Db | Tx) {
    return this.on(t).selectFrom('residents').selectAll().where('id_number_bidx', '=', bidx).executeTakeFirst();
  }
  byIdBidxs(bidxs: string[], t?: Db | Tx) {
    if (!bidxs.length) return Promise.resolve<ResidentRow[]>([]);
    return this.on(t).selectFrom('residents').selectAll().where('id_number_bidx', 'in', bidxs).execute();
  }
  byPhoneBidx(bidx: string) {
    return this.db.selectFrom('residents').selectAll().where('phone_bidx', '=', bidx).where('status', '=', 'active').orderBy('created_at').executeTakeFirst();
  }
  async insert(r: Insertable<RegistryTables['residents']>, t?: Db | Tx) {
    await this.on(t).insertInto('residents').values(r).execute();
  }
  async update(id: string, patch: Updateable<RegistryTables['residents']>, t?: Db | Tx) {
    await this.on(t).updateTable('residents').set(patch).where('id', '=', id).execute();
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
    const items = await q
      .selectAll()
      .orderBy(exact ? 'id' : 'name')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
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
      const rows = await this.filtered(f).selectAll().where('id', '>', after).orderBy('id').limit(batch).execute();
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1].id;
    }
  }

  residenciesOf(residentIds: string[], t?: Db | Tx) {
    if (!residentIds.length) return Promise.resolve<ResidencyRow[]>([]);
    return this.on(t).selectFrom('residencies').selectAll().where('resident_id', 'in', residentIds).orderBy('move_in').execute();
  }
  residencyById(id: string, t?: Db | Tx) {
    return this.on(t).selectFrom('residencies').selectAll().where('id', '=', id).executeTakeFirst();
  }
  currentOfHouse(houseId: string, t?: Db | Tx) {
    return this.on(t).selectFrom('residencies').selectAll().where('house_id', '=', houseId).where('move_out', 'is', null).orderBy('move_in').execute();
  }
  async insertResidency(r: Insertable<RegistryTables['residencies']>, t?: Db | Tx) {
    await this.on(t).insertInto('residencies').values(r).execute();
  }
  async updateResidency(id: string, patch: Updateable<RegistryTables['residencies']>, t?: Db | Tx) {
    await this.on(t).updateTable('residencies').set(patch).where('id', '=', id).execute();
  }
}
