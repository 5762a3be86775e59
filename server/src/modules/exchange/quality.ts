// Data quality per source: completeness (mapped fields that hold a value), validity against the
// standard (rows with no error or warning), duplicates (records of one import that are the same
// person by ID number or identity), match rate (linked among the usable rows), and the same
// figures month by month over the last 12 months.
import type { Kernel } from '../../kernel/index.js';
import { localDate } from '../../kernel/clock.js';
import type { RecordsRepository, SourceRow } from './records.repository.js';
import { standardFields, type ProfileDefinition } from './mapping.js';

export interface QualityFigures {
  records: number;
  completeness: number | null;
  validity: number | null;
  duplicates: number;
  matchRate: number | null;
}

type Row = { import_id: string; status: string; filled: number; valid: number; fingerprint: string | null; id_bidx: string | null; created_at: string };

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);

export function figures(rows: Row[], mappedFields: number): QualityFigures {
  const usable = rows.filter((r) => r.status !== 'rejected');
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of rows) {
    const key = r.id_bidx ?? r.fingerprint;
    if (!key) continue;
    const k = `${r.import_id}|${key}`;
    if (seen.has(k)) duplicates++;
    else seen.add(k);
  }
  return {
    records: rows.length,
    completeness: ratio(
      rows.reduce((s, r) => s + r.filled, 0),
      rows.length * mappedFields,
    ),
    validity: ratio(rows.filter((r) => r.valid === 1).length, rows.length),
    duplicates,
    matchRate: ratio(usable.filter((r) => r.status === 'linked').length, usable.length),
  };
}

/** The last 12 months (YYYY-MM), oldest first, in the community's time zone. */
export function lastMonths(today: string, n = 12): string[] {
  const [y, m] = today.split('-').map(Number);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

export async function qualityOf(k: Kernel, repo: RecordsRepository, s: SourceRow) {
  const today = localDate(k.clock.now(), k.config.timeZone);
  const months = lastMonths(today);
  const rows = await repo.qualityRows(s.id, `${months[0]}-01`);
  const profile = await repo.latestProfile(s.id);
  const def = profile ? (JSON.parse(profile.definition) as ProfileDefinition) : null;
  const mapped = def ? standardFields.filter((f) => def.columns[f]).length : standardFields.length;
  const monthOf = (iso: string) => localDate(new Date(iso), k.config.timeZone).slice(0, 7);
  const latestImport = rows.reduce<Row | null>((a, r) => (!a || r.created_at > a.created_at ? r : a), null)?.import_id;
  return {
    sourceId: s.id,
    latest: figures(
      rows.filter((r) => r.import_id === latestImport),
      mapped,
    ),
    year: figures(rows, mapped),
    trend: months.map((month) => ({
      month,
      ...figures(
        rows.filter((r) => monthOf(r.created_at) === month),
        mapped,
      ),
    })),
  };
}
