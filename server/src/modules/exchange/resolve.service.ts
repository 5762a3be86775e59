// Linking a batch of mapped department records to residents: by the ID-number blind index when
// the record's ID number is valid, else by Fellegi–Sunter matching against the residents of the
// source's place that share a blocking key (resolve.ts). Remembered review decisions apply first.
import type { Kernel } from '../../kernel/index.js';
import { linkableResidents, type LinkableResident } from '../registry/index.js';
import type { MappedRecord } from './mapping.js';
import { Linker, decide, familyYear, normaliseName, simplified, swapDayMonth, type Comparison, type Scored } from './resolve.js';
import type { MatchKind, RecordStatus } from './records.tables.js';
import type { RecordsRepository, SourceRow } from './records.repository.js';

export interface Outcome {
  status: Exclude<RecordStatus, 'rejected'>;
  residentId: string | null;
  kind: MatchKind | null;
  weight: number | null;
  idBidx: string | null;
  fingerprint: string;
  /** the resident proposed to a reviewer */
  review: { candidateId: string; weight: number; levels: Comparison } | null;
}

/** The identity of a record as sent (for remembered decisions and duplicate counts). */
export function fingerprintOf(k: Kernel, sourceId: string, v: MappedRecord): string {
  const parts = [sourceId, v.idNumber ?? '', normaliseName(v.name), v.birthDate ?? '', v.phone ?? '', simplified(v.address ?? '').replace(/\s+/g, '')];
  return k.vault.blindIndex('exchange_record', parts.join('\0'));
}

export class Resolver {
  constructor(
    private k: Kernel,
    private repo: RecordsRepository,
  ) {}

  async resolve(src: SourceRow, records: MappedRecord[]): Promise<Outcome[]> {
    const k = this.k;
    const out: Outcome[] = records.map((v) => ({
      status: 'new',
      residentId: null,
      kind: null,
      weight: null,
      idBidx: v.idNumber ? linkableResidents.idIndex(k, v.idNumber) : null,
      fingerprint: fingerprintOf(k, src.id, v),
      review: null,
    }));
    const inScope = (r: { placePath: string }) => r.placePath.startsWith(src.place_path);

    // 1. deterministic: the ID number's blind index
    const withId = out.filter((o) => o.idBidx);
    const byBidx = new Map(
      (
        await linkableResidents.byIdIndexes(
          k,
          withId.map((o) => o.idBidx!),
        )
      )
        .filter(inScope)
        .map((r) => [r.idBidx, r]),
    );
    for (const o of withId) {
      const r = byBidx.get(o.idBidx!);
      if (r) Object.assign(o, { status: 'linked', residentId: r.id, kind: 'id' });
    }

    // 2. probabilistic, for records without a valid ID number
    const rest = records.map((v, i) => ({ v, o: out[i] })).filter((x) => !x.o.idBidx);
    if (!rest.length) return out;
    const memory = new Map<string, Map<string, 'same' | 'different'>>();
    for (const m of await this.repo.memory([...new Set(rest.map((x) => x.o.fingerprint))])) {
      const mm = memory.get(m.fingerprint) ?? new Map();
      mm.set(m.resident_id, m.decision);
      memory.set(m.fingerprint, mm);
    }
    const phoneKey = (p: string | null) => (p ? linkableResidents.phoneIndex(k, p) : null);
    const birthDates = rest.flatMap(({ v }) => (v.birthDate ? [v.birthDate, swapDayMonth(v.birthDate)].filter((x): x is string => !!x) : []));
    const candidates = await linkableResidents.candidates(k, src.place_path, {
      birthDates,
      phoneBidxs: rest.map(({ v }) => phoneKey(v.phone)).filter((x): x is string => !!x),
      names: rest.flatMap(({ v }) => [v.name, normaliseName(v.name)]),
    });
    const linker = new Linker();
    const known = new Set<string>();
    const addCandidates = async (list: LinkableResident[]) => {
      const fresh = list.filter((c) => !known.has(c.id));
      const labels = await linkableResidents.addressLabels(
        k,
        fresh.map((c) => c.placePath),
      );
      for (const c of fresh) {
        known.add(c.id);
        linker.add({ id: c.id, name: c.name, birthDate: c.birthDate, gender: c.gender, phone: c.phoneBidx, address: labels.get(c.placePath) ?? null });
      }
    };
    await addCandidates(candidates);
    // second pass: for records the first blocks did not settle, residents of the same surname
    // born the same year (a typo in the name and in the date at once)
    const unsettled = rest.filter(({ v }) => {
      const [best = null, second = null] = linker.score({
        name: v.name,
        birthDate: v.birthDate,
        gender: v.gender,
        phone: phoneKey(v.phone),
        address: v.address,
      });
      return decide(best, second) !== 'link';
    });
    const surnameYears = unsettled.map(({ v }) => familyYear(v)).filter((x): x is string => !!x);
    if (surnameYears.length)
      await addCandidates(await linkableResidents.candidates(k, src.place_path, { birthDates: [], phoneBidxs: [], names: [], surnameYears }));
    for (const { v, o } of rest) {
      const remembered = memory.get(o.fingerprint);
      const same = remembered && [...remembered].find(([, d]) => d === 'same');
      if (same) {
        Object.assign(o, { status: 'linked', residentId: same[0], kind: 'remembered' });
        continue;
      }
      const scored: Scored[] = linker
        .score({ name: v.name, birthDate: v.birthDate, gender: v.gender, phone: phoneKey(v.phone), address: v.address })
        .filter((s) => remembered?.get(s.candidateId) !== 'different');
      const [best = null, second = null] = scored;
      const decision = decide(best, second);
      o.weight = best?.weight ?? null;
      if (decision === 'link') Object.assign(o, { status: 'linked', residentId: best!.candidateId, kind: 'probabilistic' });
      else if (decision === 'review')
        Object.assign(o, { status: 'review', review: { candidateId: best!.candidateId, weight: best!.weight, levels: best!.levels } });
    }
    return out;
  }
}
