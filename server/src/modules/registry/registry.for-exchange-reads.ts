// The exchange module's records out: residents as a sharing agreement may release them, read by
// ID number (the blind index), in batches, or as a change feed under place paths. Values are
// decrypted only for the fields asked for; the exchange module decides which fields those are.
import type { Kernel } from '../../kernel/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { startsWith } from '../../kernel/db/index.js';
import type { RegistryTables } from './registry.tables.js';
import { normaliseIdNumber } from './standard/id-number.js';

/** A resident's standard fields by code (registry data standard). */
export interface ExchangedResident {
  residentId: string;
  placePath: string;
  updatedAt: string;
  values: Record<string, string | string[] | null>;
}

type Row = {
  id: string;
  name: string;
  id_number_enc: string;
  gender: string;
  birth_date: string | null;
  ethnicity: string | null;
  phone_enc: string | null;
  tags: string;
  status: string;
  place_path: string;
  updated_at: string;
};

const columns = ['id', 'name', 'id_number_enc', 'gender', 'birth_date', 'ethnicity', 'phone_enc', 'tags', 'status', 'place_path', 'updated_at'] as const;

async function present(k: Kernel, rows: Row[], fields: ReadonlySet<string>): Promise<ExchangedResident[]> {
  let names = new Map<string, string>();
  if (fields.has('address') && rows.length) {
    const ids = new Set<string>();
    for (const r of rows) for (const p of r.place_path.split('/').filter(Boolean)) ids.add(p);
    const db = tablesOf<RegistryTables>(k.db);
    const found: { id: string; name: string; kind: string }[] = [];
    const all = [...ids];
    for (let i = 0; i < all.length; i += 500)
      found.push(
        ...(await db
          .selectFrom('places')
          .select(['id', 'name', 'kind'])
          .where('id', 'in', all.slice(i, i + 500))
          .execute()),
      );
    names = new Map(found.filter((p) => p.kind !== 'region').map((p) => [p.id, p.name]));
  }
  return rows.map((r) => {
    const v: Record<string, string | string[] | null> = {};
    if (fields.has('name')) v.name = r.name;
    if (fields.has('idNumber')) v.idNumber = k.vault.decrypt(r.id_number_enc);
    if (fields.has('gender')) v.gender = r.gender;
    if (fields.has('birthDate')) v.birthDate = r.birth_date;
    if (fields.has('ethnicity')) v.ethnicity = r.ethnicity;
    if (fields.has('phone')) v.phone = k.vault.decryptNullable(r.phone_enc);
    if (fields.has('tags')) v.tags = JSON.parse(r.tags || '[]') as string[];
    if (fields.has('status')) v.status = r.status;
    if (fields.has('address'))
      v.address = r.place_path
        .split('/')
        .filter(Boolean)
        .map((p) => names.get(p))
        .filter(Boolean)
        .join(' ');
    return { residentId: r.id, placePath: r.place_path, updatedAt: r.updated_at, values: v };
  });
}

export const exchangeReads = {
  /** The blind index of an ID number as the registry keys residents by it (null when malformed). */
  idIndex(k: Kernel, idNumber: string): string {
    return k.vault.blindIndex('id_number', normaliseIdNumber(idNumber));
  },

  /** Residents by ID number: a map from the ID number as asked to the resident (absent when unknown). */
  async byIdNumbers(k: Kernel, idNumbers: string[], fields: ReadonlySet<string>): Promise<Map<string, ExchangedResident>> {
    const byBidx = new Map<string, string[]>();
    for (const n of idNumbers) {
      const b = this.idIndex(k, n);
      byBidx.set(b, [...(byBidx.get(b) ?? []), n]);
    }
    const db = tablesOf<RegistryTables>(k.db);
    const keys = [...byBidx.keys()];
    const rows: (Row & { id_number_bidx: string })[] = [];
    for (let i = 0; i < keys.length; i += 500)
      rows.push(
        ...(await db
          .selectFrom('residents')
          .select([...columns, 'id_number_bidx'])
          .where('id_number_bidx', 'in', keys.slice(i, i + 500))
          .execute()),
      );
    const shown = await present(k, rows, fields);
    const out = new Map<string, ExchangedResident>();
    rows.forEach((r, i) => {
      for (const n of byBidx.get(r.id_number_bidx) ?? []) out.set(n, shown[i]);
    });
    return out;
  },

  /** Residents under any of these place paths changed after the cursor (updated_at, id), oldest first. */
  async changedSince(k: Kernel, paths: string[], after: { at: string; id: string } | null, limit: number, fields: ReadonlySet<string>) {
    if (!paths.length) return [];
    const db = tablesOf<RegistryTables>(k.db);
    let q = db
      .selectFrom('residents')
      .select([...columns])
      .where((eb) => eb.or(paths.map((p) => startsWith('place_path', p))));
    if (after) q = q.where((eb) => eb.or([eb('updated_at', '>', after.at), eb.and([eb('updated_at', '=', after.at), eb('id', '>', after.id)])]));
    const rows = await q.orderBy('updated_at').orderBy('id').limit(limit).execute();
    return present(k, rows, fields);
  },
};
