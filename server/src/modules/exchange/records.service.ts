// Records in: sources, their versioned mapping profiles, uploads (CSV/XLSX, GBK or UTF-8) and
// pushes (JSON) mapped onto the standard, linked to residents, their provenance recorded.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { AppError, invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { maskIdNumber, maskPhone, registerEncryptedColumns } from '../../kernel/vault/index.js';
import { places, readSheet } from '../registry/index.js';
import { applyProfile, checkProfile, type MappedRecord, type ProfileDefinition } from './mapping.js';
import { Resolver } from './resolve.service.js';
import { applyWelfareTags, assertionsOf } from './records.provenance.js';
import { RecordsRepository, type AssertionRow, type ImportRow, type ProfileRow, type RecordRow, type ReviewRow, type SourceRow } from './records.repository.js';
import type { Department } from './records.tables.js';

registerEncryptedColumns({ table: 'exchange_records', idColumn: 'id', columns: ['data_enc', 'raw_enc'] });
registerEncryptedColumns({ table: 'exchange_assertions', idColumn: 'id', columns: ['value_enc'] });

export const MAX_PUSH = 1000;

export const sourceView = (s: SourceRow) => ({
  id: s.id,
  orgId: s.org_id,
  department: s.department,
  name: s.name,
  placeId: s.place_id,
  createdAt: s.created_at,
});

export const profileView = (p: ProfileRow) => ({
  id: p.id,
  sourceId: p.source_id,
  version: p.version,
  definition: JSON.parse(p.definition) as ProfileDefinition,
  note: p.note,
  createdAt: p.created_at,
});

export const importView = (r: ImportRow) => ({
  id: r.id,
  sourceId: r.source_id,
  profileVersion: r.profile_version,
  via: r.via,
  fileName: r.file_name,
  encoding: r.encoding,
  status: r.status,
  total: r.total,
  rejected: r.rejected,
  linked: r.linked,
  review: r.review,
  newCount: r.new_count,
  createdAt: r.created_at,
});

/** A mapped record as staff see it: ID number and phone masked. */
export function maskedRecord(v: MappedRecord) {
  return {
    name: v.name,
    idNumberMasked: v.idNumber ? maskIdNumber(v.idNumber) : null,
    gender: v.gender,
    birthDate: v.birthDate,
    ethnicity: v.ethnicity,
    phoneMasked: v.phone ? maskPhone(v.phone) : null,
    address: v.address,
    tags: v.tags,
  };
}

export class RecordsService {
  readonly repo: RecordsRepository;
  private resolver: Resolver;
  constructor(private k: Kernel) {
    this.repo = new RecordsRepository(k);
    this.resolver = new Resolver(k, this.repo);
  }

  private today() {
    return localDate(this.k.clock.now(), this.k.config.timeZone);
  }

  /** The place prefixes an actor reaches for an action (null = everywhere). */
  reach(actor: Actor, action: string, subject: string): string[] | null {
    const r = this.k.authz.reach(actor, action, subject);
    return r.all ? null : r.prefixes;
  }

  /** A source the actor may act on; anything else is 404. */
  async reachable(actor: Actor, action: string, id: string, subject = 'ExchangeSource'): Promise<SourceRow> {
    const s = await this.repo.source(id);
    if (!s || !this.k.authz.can(actor, action, subject, { placePath: s.place_path })) throw notFound('exchange.source_not_found');
    return s;
  }

  // ---------- sources and profiles ----------
  async createSource(
    actor: Actor,
    input: { name: string; department: Department; placeId: string; orgId?: string | null; profile?: ProfileDefinition },
    ip: string,
  ) {
    const place = await places.getPlace(this.k, input.placeId);
    if (!place || !this.k.authz.can(actor, 'configure', 'ExchangeSource', { placePath: place.path })) throw notFound('registry.place_not_found');
    if (input.profile) {
      const errors = checkProfile(input.profile).map((e) => ({ ...e, field: `profile.${e.field}` }));
      if (errors.length) throw invalid(errors);
    }
    const at = this.k.clock.now().toISOString();
    const s: SourceRow = {
      id: newId('xsr'),
      org_id: input.orgId ?? null,
      department: input.department,
      name: input.name.trim(),
      place_id: place.id,
      place_path: place.path,
      created_by: actor.userId,
      created_at: at,
    };
    await this.repo.transaction(async (t) => {
      await t.insertInto('exchange_sources').values(s).execute();
      if (input.profile)
        await this.repo.insertProfile(
          { id: newId('xpf'), source_id: s.id, version: 1, definition: JSON.stringify(input.profile), note: null, created_by: actor.userId, created_at: at },
          t,
        );
    });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'exchange.source.create',
      targetType: 'exchange_source',
      targetId: s.id,
      scopePath: s.place_path,
      ip,
    });
    return sourceView(s);
  }

  async sources(actor: Actor) {
    return (await this.repo.sources(this.reach(actor, 'read', 'ExchangeSource'))).map(sourceView);
  }

  async profiles(actor: Actor, sourceId: string) {
    await this.reachable(actor, 'read', sourceId);
    return (await this.repo.profiles(sourceId)).map(profileView);
  }

  /** A new version of the source's profile; earlier imports keep the version they came in under. */
  async addProfile(actor: Actor, sourceId: string, input: { definition: ProfileDefinition; note?: string | null }, ip: string) {
    const s = await this.reachable(actor, 'configure', sourceId);
    const errors = checkProfile(input.definition).map((e) => ({ ...e, field: `definition.${e.field}` }));
    if (errors.length) throw invalid(errors);
    const latest = await this.repo.latestProfile(s.id);
    const p: ProfileRow = {
      id: newId('xpf'),
      source_id: s.id,
      version: (latest?.version ?? 0) + 1,
      definition: JSON.stringify(input.definition),
      note: input.note?.trim() || null,
      created_by: actor.userId,
      created_at: this.k.clock.now().toISOString(),
    };
    await this.repo.insertProfile(p);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'exchange.profile.create',
      targetType: 'exchange_source',
      targetId: s.id,
      scopePath: s.place_path,
      ip,
      detail: { version: p.version },
    });
    return profileView(p);
  }

  // ---------- records in ----------
  async upload(actor: Actor, sourceId: string, file: { name: string; data: Buffer }, ip: string) {
    const s = await this.reachable(actor, 'import', sourceId);
    const sheet = await readSheet(file.data, file.name);
    const rows = sheet.rows.map((r) => ({ n: r.n, cells: Object.fromEntries(sheet.headers.map((h, i) => [h, r.cells[i] ?? ''])) }));
    return this.ingest(actor, s, rows, { via: 'upload', fileName: file.name, encoding: sheet.encoding }, ip);
  }

  async push(actor: Actor, sourceId: string, records: Record<string, unknown>[], ip: string) {
    const s = await this.reachable(actor, 'import', sourceId);
    if (!records.length) throw invalid([{ field: 'records', code: 'validation.required' }]);
    if (records.length > MAX_PUSH) throw new AppError(413, 'exchange.too_many_records', { limit: MAX_PUSH });
    const rows = records.map((r, i) => ({ n: i + 1, cells: Object.fromEntries(Object.entries(r).map(([key, v]) => [key, v == null ? '' : String(v)])) }));
    return this.ingest(actor, s, rows, { via: 'push', fileName: null, encoding: null }, ip);
  }

  /** Map every row with the source's latest profile, link what can be linked, record it all in one transaction. */
  async ingest(
    actor: Actor,
    s: SourceRow,
    rows: { n: number; cells: Record<string, string> }[],
    how: { via: 'upload' | 'push'; fileName: string | null; encoding: string | null },
    ip: string,
  ) {
    const profile = await this.repo.latestProfile(s.id);
    if (!profile) throw new AppError(409, 'exchange.no_profile');
    const def = JSON.parse(profile.definition) as ProfileDefinition;
    const today = this.today();
    const mapped = rows.map((r) => applyProfile(def, r.cells, today));
    const usable = mapped.map((m, i) => ({ m, i })).filter((x) => !x.m.errors.length);
    const outcomes = await this.resolver.resolve(
      s,
      usable.map((x) => x.m.value),
    );
    const at = this.k.clock.now().toISOString();
    const importId = newId('xim');
    const records: RecordRow[] = [];
    const reviews: ReviewRow[] = [];
    const assertions: AssertionRow[] = [];
    const welfare = new Map<string, string[]>();
    const outcomeOf = new Map(usable.map((x, j) => [x.i, outcomes[j]]));
    for (let i = 0; i < rows.length; i++) {
      const m = mapped[i];
      const o = outcomeOf.get(i);
      const recordId = newId('xrc');
      const issues: FieldError[] = [...m.errors, ...m.warnings];
      records.push({
        id: recordId,
        import_id: importId,
        source_id: s.id,
        place_path: s.place_path,
        row_n: rows[i].n,
        status: o ? o.status : 'rejected',
        errors: issues.length ? JSON.stringify(issues) : null,
        data_enc: this.k.vault.encrypt(JSON.stringify(m.value)),
        raw_enc: o ? null : this.k.vault.encrypt(JSON.stringify(rows[i].cells)),
        fingerprint: o?.fingerprint ?? null,
        id_bidx: o?.idBidx ?? null,
        resident_id: o?.residentId ?? null,
        match_kind: o?.kind ?? null,
        match_weight: o?.weight ?? null,
        filled: m.filled,
        valid: m.errors.length || m.warnings.length ? 0 : 1,
        created_at: at,
      });
      if (o?.review)
        reviews.push({
          id: newId('xrv'),
          record_id: recordId,
          source_id: s.id,
          place_path: s.place_path,
          candidate_id: o.review.candidateId,
          weight: o.review.weight,
          levels: JSON.stringify(o.review.levels),
          status: 'pending',
          decided_by: null,
          decided_at: null,
          created_at: at,
        });
      if (o?.status === 'linked' && o.residentId) {
        assertions.push(...assertionsOf(this.k, s, recordId, o.residentId, s.place_path, m.value, at));
        if (s.department === 'civil_affairs' && m.value.tags.length) welfare.set(o.residentId, m.value.tags);
      }
    }
    const count = (st: string) => records.filter((r) => r.status === st).length;
    const imp: ImportRow = {
      id: importId,
      source_id: s.id,
      profile_id: profile.id,
      profile_version: profile.version,
      place_path: s.place_path,
      via: how.via,
      file_name: how.fileName,
      encoding: how.encoding,
      status: 'done',
      total: rows.length,
      rejected: count('rejected'),
      linked: count('linked'),
      review: count('review'),
      new_count: count('new'),
      created_by: actor.userId,
      created_at: at,
    };
    await this.repo.transaction(async (t) => {
      await this.repo.insertImport(t, imp);
      await this.repo.insertRecords(t, records);
      await this.repo.insertReviews(t, reviews);
      await this.repo.assert(t, assertions);
    });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'exchange.import',
      targetType: 'exchange_import',
      targetId: importId,
      scopePath: s.place_path,
      ip,
      detail: { source: s.id, via: how.via, total: imp.total, linked: imp.linked, review: imp.review, rejected: imp.rejected },
    });
    await applyWelfareTags(this.k, welfare, importId);
    return importView(imp);
  }

  // ---------- imports ----------
  async imports(actor: Actor, sourceId: string | undefined, page: number, pageSize: number) {
    const ids = sourceId
      ? [(await this.reachable(actor, 'read', sourceId)).id]
      : (await this.repo.sources(this.reach(actor, 'read', 'ExchangeSource'))).map((s) => s.id);
    const items = await this.repo.imports(ids, pageSize, (page - 1) * pageSize);
    return { items: items.map(importView), total: await this.repo.countImports(ids), page, pageSize };
  }

  async importOf(actor: Actor, id: string) {
    const imp = await this.repo.importById(id);
    if (!imp) throw notFound('exchange.import_not_found');
    try {
      await this.reachable(actor, 'read', imp.source_id);
    } catch {
      throw notFound('exchange.import_not_found');
    }
    return imp;
  }

  /** The rows of an import that were rejected, each with the reasons and the row as sent (masked). */
  async rejected(actor: Actor, id: string) {
    const imp = await this.importOf(actor, id);
    const rows = await this.repo.recordsOf(imp.id, 'rejected');
    return rows.map((r) => {
      const raw = JSON.parse(this.k.vault.decrypt(r.raw_enc ?? r.data_enc)) as Record<string, string>;
      const v = JSON.parse(this.k.vault.decrypt(r.data_enc)) as MappedRecord;
      return {
        row: r.row_n,
        errors: JSON.parse(r.errors ?? '[]') as FieldError[],
        record: maskedRecord(v),
        // the department's own cells, with anything that looks like an ID or phone number masked
        cells: Object.fromEntries(
          Object.entries(raw).map(([key, val]) => [key, /^\d{11}$/.test(val) ? maskPhone(val) : /^\d{15,17}[\dXx]$/.test(val) ? maskIdNumber(val) : val]),
        ),
      };
    });
  }
}
