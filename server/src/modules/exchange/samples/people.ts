// The demo community's residents as the sample files describe them: name, ID, codes and the
// address of the house they live in (estate, building, unit, house), in registry order.
import type { DemoData } from '../../../seed/demo-data.js';

export interface SamplePerson {
  name: string;
  idNumber: string;
  gender: string;
  ethnicity: string;
  birthDate: string;
  phone: string | null;
  relation: string;
  address: string;
}

/** Active residents of the first community, with their current house's address. */
export function samplePeople(d: DemoData): SamplePerson[] {
  const byKey = new Map<string, { name: string; parentKey: string | null }>();
  for (const list of [d.regions, d.communities, d.estates, d.buildings, d.units])
    for (const p of list) byKey.set(p.key, { name: p.name, parentKey: p.parentKey });
  for (const h of d.houses) byKey.set(h.key, { name: h.number, parentKey: h.parentKey });
  const community = d.communities[0].key;
  const chain = (key: string) => {
    const out: string[] = [];
    for (let k: string | null = key; k; k = byKey.get(k)?.parentKey ?? null) out.unshift(k);
    return out;
  };
  const residents = new Map(d.residents.map((r) => [r.key, r]));
  const out: SamplePerson[] = [];
  const seen = new Set<string>();
  for (const hh of d.households) {
    const keys = chain(hh.houseKey);
    if (!keys.includes(community)) continue;
    const names = keys.slice(keys.indexOf(community) + 1).map((k) => byKey.get(k)!.name);
    for (const m of hh.members) {
      const r = residents.get(m.residentKey)!;
      if (m.moveOut || r.status !== 'active' || seen.has(r.key)) continue;
      seen.add(r.key);
      out.push({
        name: r.name,
        idNumber: r.idNumber,
        gender: r.gender,
        ethnicity: r.ethnicity,
        birthDate: r.birthDate,
        phone: r.phone,
        relation: m.relation,
        address: names.join(' '),
      });
    }
  }
  return out;
}
