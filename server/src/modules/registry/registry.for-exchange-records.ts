// The exchange module's records in: residents to link department records to. By the ID-number
// blind index (deterministic), and candidates sharing a blocking key (birth date, phone blind
// index, name) for probabilistic matching, each with the label of the house they live in.
import type { Kernel } from '../../kernel/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { startsWith } from '../../kernel/db/index.js';
import type { RegistryTables } from './registry.tables.js';
import { ResidentsService } from './residents.service.js';
import { maskIdNumber, maskPhone } from '../../kernel/vault/index.js';

/** A resident as entity resolution compares them: no decrypted value, the phone as its blind index. */
export interface LinkableResident {
  id: string;
  name: string;
  birthDate: string | null;
  gender: string;
  phoneBidx: string | null;
  idBidx: string;
  placePath: string;
  communityId: string;
  tags: string[];
}

const columns = ['id', 'name', 'birth_date', 'gender', 'phone_bidx', 'id_number_bidx', 'place_path', 'community_id', 'tags'] as const;
type Row = {
  id: string;
  name: string;
  birth_date: string | null;
  gender: string;
  phone_bidx: string | null;
  id_number_bidx: string;
  place_path: string;
  community_id: string;
  tags: string;
};
const view = (r: Row): LinkableResident => ({
  id: r.id,
  name: r.name,
  birthDate: r.birth_date,
  gender: r.gender,
  phoneBidx: r.phone_bidx,
  idBidx: r.id_number_bidx,
  placePath: r.place_path,
  communityId: r.community_id,
  tags: JSON.parse(r.tags || '[]') as string[],
});

const CHUNK = 500;
async function chunked<T>(keys: string[], run: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await run(keys.slice(i, i + CHUNK))));
  return out;
}

export const linkableResidents = {
  /** The registry's blind index of an ID number (normalised and validated by the caller). */
  idIndex(k: Kernel, idNumber: string): string {
    return k.vault.blindIndex('id_number', idNumber);
  },
  phoneIndex(k: Kernel, phone: string): string {
    return k.vault.blindIndex('phone', phone);
  },

  /** Residents by ID-number blind index (active and moved out alike). */
  async byIdIndexes(k: Kernel, bidxs: string[]): Promise<LinkableResident[]> {
    const db = tablesOf<RegistryTables>(k.db);
    const rows = await chunked([...new Set(bidxs)], (part) => db.selectFrom('residents').select(columns).where('id_number_bidx', 'in', part).execute());
    return rows.map(view);
  },

  /** Residents by id. */
  async byIds(k: Kernel, ids: string[]): Promise<LinkableResident[]> {
    const db = tablesOf<RegistryTables>(k.db);
    return (await chunked([...new Set(ids)], (part) => db.selectFrom('residents').select(columns).where('id', 'in', part).execute())).map(view);
  },

  /** Residents under `placePath` sharing a birth date, a phone or a name with the records being linked. */
  async candidates(
    k: Kernel,
    placePath: string,
    keys: { birthDates: string[]; phoneBidxs: string[]; names: string[]; surnameYears?: string[] },
  ): Promise<LinkableResident[]> {
    const db = tablesOf<RegistryTables>(k.db);
    const base = () => db.selectFrom('residents').select(columns).where(startsWith('place_path', placePath));
    const seen = new Map<string, LinkableResident>();
    const add = (rows: Row[]) => rows.forEach((r) => seen.set(r.id, view(r)));
    add(await chunked([...new Set(keys.birthDates)], (part) => base().where('birth_date', 'in', part).execute()));
    add(await chunked([...new Set(keys.phoneBidxs)], (part) => base().where('phone_bidx', 'in', part).execute()));
    add(await chunked([...new Set(keys.names)], (part) => base().where('name', 'in', part).execute()));
    // "王|1960": same surname, born the same year (a typo in the name and in the date at once),
    // over the name index (a range of names starting with the surname)
    for (const [surname, year] of [...new Set(keys.surnameYears ?? [])].map((x) => x.split('|')))
      add(
        await base()
          .where('name', '>=', surname)
          .where('name', '<', `${surname}\uffff`)
          .where('birth_date', '>=', `${year}-01-01`)
          .where('birth_date', '<=', `${year}-12-31`)
          .execute(),
      );
    return [...seen.values()];
  },

  /** House labels ("花家地西里 3号楼 2单元 301") by place path. */
  async addressLabels(k: Kernel, paths: string[]): Promise<Map<string, string>> {
    const byHouse = await new ResidentsService(k).labelsFromPaths([...new Set(paths)]);
    const out = new Map<string, string>();
    for (const p of paths) {
      const house = p.split('/').filter(Boolean).pop();
      const label = house ? byHouse.get(house) : undefined;
      if (label) out.set(p, label);
    }
    return out;
  },

  /** Residents as a reviewer compares them side by side: ID number and phone masked. */
  async masked(k: Kernel, ids: string[]) {
    const db = tablesOf<RegistryTables>(k.db);
    const rows = await chunked([...new Set(ids)], (part) =>
      db
        .selectFrom('residents')
        .select(['id', 'name', 'gender', 'birth_date', 'ethnicity', 'id_number_enc', 'phone_enc', 'place_path'])
        .where('id', 'in', part)
        .execute(),
    );
    const labels = await this.addressLabels(
      k,
      rows.map((r) => r.place_path),
    );
    return new Map(
      rows.map((r) => {
        const phone = r.phone_enc ? k.vault.decrypt(r.phone_enc) : null;
        return [
          r.id,
          {
            id: r.id,
            name: r.name,
            gender: r.gender,
            birthDate: r.birth_date,
            ethnicity: r.ethnicity,
            idNumberMasked: maskIdNumber(k.vault.decrypt(r.id_number_enc)),
            phoneMasked: phone ? maskPhone(phone) : null,
            address: labels.get(r.place_path) ?? null,
            placePath: r.place_path,
          },
        ] as const;
      }),
    );
  },
};
