// The registry's reads for other modules (registry.for-*.ts, behind index.ts): billing's houses
// and occupants, audiences of notices and pushes, the council's electorate.
import type { Db } from '../../kernel/db/index.js';
import { escapeLike, like, startsWith } from '../../kernel/db/index.js';
import { registryDb } from './places.repository.js';
import type { RegistryDb } from './registry.tables.js';

export class RegistryReadsRepository {
  private db: RegistryDb;
  constructor(db: Db) {
    this.db = registryDb(db);
  }

  /** A community's houses (all, or those of `houseIds`), by path. */
  houses(communityId: string, houseIds?: string[]) {
    let q = this.db.selectFrom('places').select(['id', 'path', 'name', 'area_m2']).where('community_id', '=', communityId).where('kind', '=', 'house');
    if (houseIds) q = houseIds.length ? q.where('id', 'in', houseIds) : q.where('id', '=', '');
    return q.orderBy('path').execute();
  }

  /** Who lives now in a community's houses (all, or those of `houseIds`), with their stored tags. */
  occupants(communityId: string, houseIds?: string[]) {
    let q = this.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select(['residencies.house_id', 'residencies.household_id', 'residents.id', 'residents.tags'])
      .where('residencies.community_id', '=', communityId)
      .where('residencies.move_out', 'is', null);
    if (houseIds) q = houseIds.length ? q.where('residencies.house_id', 'in', houseIds) : q.where('residencies.house_id', '=', '');
    return q.execute();
  }

  /** Active residents living now under any of the paths, with all of the stored tags; one row per current residency. */
  audience(o: { paths: string[]; tags: string[]; residentId?: string }) {
    let q = this.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select([
        'residents.id as residentId',
        'residents.name as name',
        'residents.birth_date as birthDate',
        'residencies.house_id as houseId',
        'residencies.household_id as householdId',
        'residencies.place_path as placePath',
        'residencies.role as role',
      ])
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .where((eb) => eb.or(o.paths.map((p) => startsWith('residencies.place_path', p))));
    if (o.residentId) q = q.where('residents.id', '=', o.residentId);
    for (const t of o.tags) q = q.where(like('residents.tags', `%"${escapeLike(t)}"%`));
    return q.orderBy('residents.id').execute();
  }

  /** Current residencies of active residents of a community with their house, oldest move-in first (the electorate). */
  electorate(communityId: string) {
    return this.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .innerJoin('places', 'places.id', 'residencies.house_id')
      .select([
        'residencies.resident_id as residentId',
        'residents.name as name',
        'residents.birth_date as birthDate',
        'residencies.house_id as houseId',
        'residencies.household_id as householdId',
        'residencies.role as role',
        'residencies.move_in as moveIn',
        'places.name as houseName',
        'places.path as housePath',
        'places.area_m2 as areaM2',
      ])
      .where('residencies.community_id', '=', communityId)
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .orderBy('residencies.move_in')
      .orderBy('residencies.resident_id')
      .execute();
  }

  /** Does this active resident live in the community now and was born on or before `bornBy`? */
  async livesInBornBy(residentId: string, communityId: string, bornBy: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('residencies')
      .innerJoin('residents', 'residents.id', 'residencies.resident_id')
      .select('residents.id')
      .where('residencies.resident_id', '=', residentId)
      .where('residencies.community_id', '=', communityId)
      .where('residencies.move_out', 'is', null)
      .where('residents.status', '=', 'active')
      .where('residents.birth_date', '<=', bornBy)
      .executeTakeFirst();
    return !!r;
  }
}
