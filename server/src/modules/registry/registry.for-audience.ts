// Audiences of notices and surveys (participation) and of face-image pushes (access): the
// residents living now under some places, with the registry's tags.
import type { Kernel } from '../../kernel/index.js';
import { ageOn, ageTags } from './standard/codes.js';
import { RegistryReadsRepository } from './registry.reads.repository.js';

/**
 * Residents living now under any of these place paths (communities, estates, buildings, houses),
 * optionally only those with all of the given tags (stored tags, or the derived 'elderly' and
 * 'child' from the birth date). One row per current residency.
 */
export const audience = {
  async residents(k: Kernel, o: { paths: string[]; tags?: string[]; today: string; residentId?: string }) {
    if (!o.paths.length) return [];
    const derived = new Set(['elderly', 'child']);
    const rows = await new RegistryReadsRepository(k.db).audience({
      paths: o.paths,
      tags: (o.tags ?? []).filter((t) => !derived.has(t)),
      residentId: o.residentId,
    });
    const want = (o.tags ?? []).filter((t) => derived.has(t));
    const out = want.length ? rows.filter((r) => r.birthDate && want.every((t) => ageTags(r.birthDate!, o.today).includes(t))) : rows;
    return out.map((r) => ({
      ...r,
      age: r.birthDate ? ageOn(r.birthDate, o.today) : null,
      buildingId: r.placePath.split('/').find((s) => s.startsWith('bld_')) ?? null,
    }));
  },
};
