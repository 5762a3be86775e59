// Audiences of notices and surveys (participation) and of face-image pushes (access): the
// residents living now under some places, with the registry's tags.
import type { Kernel } from '../../kernel/index.js';
import { escapeLike, like, startsWith } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { ageOn, ageTags } from './standard/codes.js';
import type { RegistryTables } from './registry.tables.js';

/**
 * Residents living now under any of these place paths (communities, estates, buildings, houses),
 * optionally only those with all of the given tags (stored tags, or the derived 'elderly' and
 * 'child' from the birth date). One row per current residency.
 */
export const audience = {
  async residents(k: Kernel, o: { paths: string[]; tags?: string[]; today: string; residentId?: string }) {
    if (!o.paths.length) return [];
    let q = tablesOf<RegistryTables>(k.db)
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
    const derived = new Set(['elderly', 'child']);
    for (const t of o.tags ?? []) if (!derived.has(t)) q = q.where(like('residents.tags', `%"${escapeLike(t)}"%`));
    const rows = await q.orderBy('residents.id').execute();
    const want = (o.tags ?? []).filter((t) => derived.has(t));
    const out = want.length ? rows.filter((r) => r.birthDate && want.every((t) => ageTags(r.birthDate!, o.today).includes(t))) : rows;
    return out.map((r) => ({
      ...r,
      age: r.birthDate ? ageOn(r.birthDate, o.today) : null,
      buildingId: r.placePath.split('/').find((s) => s.startsWith('bld_')) ?? null,
    }));
  },
};
