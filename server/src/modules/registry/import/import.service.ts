// Bulk import of residents and houses: upload (store + parse + suggest a mapping), run in the
// background in chunks of one transaction each, report the rejected rows as XLSX.
import type { Kernel } from '../../../kernel/index.js';
import type { Actor } from '../../../kernel/authz/index.js';
import { newId } from '../../../kernel/ids.js';
import { AppError, conflict, invalid, notFound } from '../../../kernel/http/errors.js';
import { t } from '../../../kernel/http/i18n.js';
import type { PlacesService } from '../places.service.js';
import type { ResidentsService } from '../residents.service.js';
import type { PlaceRow } from '../places.repository.js';
import { ImportRepository, type ImportRow } from './import.repository.js';
import { checkMapping, fieldsByKind, importKinds, suggestMapping, type ImportKind } from './mapping.js';
import { MAX_FILE_BYTES, readSheet, type Sheet } from './parse.js';
import { housesChunk, PlaceCache, residentsChunk, type Rejected, type RunContext } from './import.rows.js';
import { buildReport } from './report.js';
import { IMPORT_FINISHED, type ImportFinished } from '../registry.events.js';
import { NEW_PLACES_LISTED, type ImportView, type Uploaded } from './import.schema.js';

export const CHUNK_ROWS = 500;
/**
 * Rows per chunk (one transaction, one progress update) by dialect. On SQLite a chunk is all
 * local work and each commit costs a WAL write (and now and then a checkpoint), so bigger chunks
 * are cheaper; PostgreSQL keeps 500. Multi-row inserts are split below the parameter limits.
 */
export const chunkRows = (dialect: string) => (dialect === 'sqlite' ? 5000 : CHUNK_ROWS);

/**
 * Sheets parsed at upload, kept in memory for a short while so that running the import (usually
 * right after) need not parse the file again. Only an optimisation: another node, or a run after
 * the entry expired, reads the stored file as before.
 */
const SHEET_TTL_MS = 10 * 60 * 1000;
const SHEET_CACHE_MAX = 4;
const sheets = new Map<string, { fileId: string; sheet: Sheet; expires: number }>();
function cacheSheet(id: string, fileId: string, sheet: Sheet) {
  const now = Date.now();
  for (const [k, v] of sheets) if (v.expires <= now) sheets.delete(k);
  while (sheets.size >= SHEET_CACHE_MAX) sheets.delete(sheets.keys().next().value!);
  sheets.set(id, { fileId, sheet, expires: now + SHEET_TTL_MS });
}
function cachedSheet(id: string, fileId: string): Sheet | undefined {
  const e = sheets.get(id);
  if (!e) return undefined;
  if (e.expires <= Date.now() || e.fileId !== fileId) {
    sheets.delete(id);
    return undefined;
  }
  return e.sheet;
}

/** Imports running on this node; tests (and shutdown) can wait for them. */
export const running = new Map<string, Promise<void>>();
const runningCommunity = new Map<string, string>(); // import id → community id

/** Resolves when the import's background run (if any, on this node) has finished. */
export async function waitForImport(id: string): Promise<void> {
  await running.get(id);
}

type NewPlace = ImportView['newPlaces'][number];
type PlaceCounts = ImportView['newPlaceCounts'];
/**
 * What the `mapping` column holds: the mapping, the fixed values and, once a run is done, the
 * places it created (or would create). Older rows hold the bare mapping object.
 */
interface RunSettings {
  mapping: Record<string, string>;
  fixed: Record<string, string>;
  plan?: { places: NewPlace[]; counts: PlaceCounts };
}
const noCounts = (): PlaceCounts => ({ estate: 0, building: 0, unit: 0, house: 0 });
function settingsOf(text: string | null): RunSettings | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (o && typeof o.mapping === 'object' && o.mapping !== null) return o as unknown as RunSettings;
    return { mapping: o as Record<string, string>, fixed: {} };
  } catch {
    return null;
  }
}

export function importView(r: ImportRow): ImportView {
  const plan = settingsOf(r.mapping)?.plan;
  return {
    id: r.id,
    kind: r.kind,
    communityId: r.community_id,
    fileName: r.file_name,
    status: r.status,
    dryRun: !!r.dry_run,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    imported: r.imported,
    unchanged: r.unchanged,
    rejected: r.rejected,
    error: r.error,
    reportUrl: r.report_file_id ? `/api/v1/imports/${r.id}/report.xlsx` : null,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    newPlaces: plan?.places ?? [],
    newPlaceCounts: plan?.counts ?? noCounts(),
  };
}

/**
 * SQLite: a larger page cache while an import runs. Its rows go into several indexes keyed by
 * random values (blind indexes, names), so once those outgrow the default cache (16 MB) every
 * insert reads pages back in. Restored to the previous size when the run ends.
 */
const IMPORT_CACHE_KIB = 256 * 1024;
function bigPageCache(k: Kernel): () => void {
  const raw = k.database.sqlite;
  if (!raw) return () => {};
  const before = raw.pragma('cache_size', { simple: true }) as number;
  if (before < 0 && -before >= IMPORT_CACHE_KIB) return () => {};
  raw.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  return () => {
    try {
      raw.pragma(`cache_size = ${Number(before)}`);
    } catch {
      // the database may be closed already
    }
  };
}

export class ImportService {
  readonly repo: ImportRepository;
  /** Runs started by this instance (awaited before the app closes). */
  readonly started = new Set<Promise<void>>();
  constructor(
    private k: Kernel,
    private places: PlacesService,
    private residents: ResidentsService,
  ) {
    this.repo = new ImportRepository(k.db, k.database);
  }

  private async community(actor: Actor, id: string | undefined): Promise<PlaceRow> {
    const c = id ? await this.places.repo.byId(id) : undefined;
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'import', 'Resident', { placePath: c.path })) throw notFound('registry.place_not_found');
    return c;
  }

  /** An import the actor may run and see; anything else is 404. */
  async reachable(actor: Actor, id: string): Promise<ImportRow> {
    const r = await this.repo.byId(id);
    if (!r || !this.k.authz.can(actor, 'import', 'Resident', { placePath: r.place_path })) throw notFound('import.not_found');
    return r;
  }

  async upload(actor: Actor, input: { kind?: string; communityId?: string; fileName: string; data: Buffer }, ip: string): Promise<Uploaded> {
    if (!importKinds.includes(input.kind as ImportKind))
      throw invalid([{ field: 'kind', code: 'validation.enum', params: { values: importKinds.join(', ') } }]);
    const kind = input.kind as ImportKind;
    if (!input.communityId) throw invalid([{ field: 'communityId', code: 'validation.required' }]);
    const community = await this.community(actor, input.communityId);
    // parse first: a file over the limits or unreadable is refused before anything is stored
    const sheet = await readSheet(input.data, input.fileName);
    const file = await this.k.files.save({
      name: input.fileName,
      data: input.data,
      ownerId: actor.userId,
      accept: ['xlsx', 'csv', 'text'],
      maxBytes: MAX_FILE_BYTES,
      retainDays: this.k.config.importRetentionDays,
    });
    const row: ImportRow = {
      id: newId('imp'),
      community_id: community.id,
      place_path: community.path,
      kind,
      file_id: file.id,
      file_name: file.name,
      status: 'uploaded',
      dry_run: 0,
      mapping: null,
      total_rows: sheet.rows.length,
      processed_rows: 0,
      imported: 0,
      unchanged: 0,
      rejected: 0,
      report_file_id: null,
      error: null,
      created_by: actor.userId,
      created_at: this.k.clock.now().toISOString(),
      finished_at: null,
    };
    await this.repo.insert(row);
    cacheSheet(row.id, file.id, sheet);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'registry.import.upload',
      targetType: 'import',
      targetId: row.id,
      scopePath: community.path,
      ip,
      detail: { kind, fileName: row.file_name, rows: row.total_rows, fileId: file.id },
    });
    return {
      id: row.id,
      kind,
      fileName: row.file_name,
      headers: sheet.headers,
      sample: sheet.rows.slice(0, 10).map((r) => sheet.headers.map((_, i) => r.cells[i] ?? '')),
      totalRows: row.total_rows,
      mapping: suggestMapping(kind, sheet.headers),
      fields: fieldsByKind[kind].map(({ name, zh, en, required }) => ({ name, zh, en, required })),
    };
  }

  async get(actor: Actor, id: string) {
    return importView(await this.reachable(actor, id));
  }

  async report(actor: Actor, id: string, ip: string): Promise<{ name: string; data: Buffer }> {
    const r = await this.reachable(actor, id);
    if (!r.report_file_id) throw notFound('import.no_report');
    const f = await this.k.files.read(r.report_file_id);
    if (!f) throw new AppError(410, 'import.report_expired', { days: this.k.config.importRetentionDays });
    // the report holds personal data (ID numbers and phones masked): every download is audited
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'registry.import.report',
      targetType: 'import',
      targetId: r.id,
      scopePath: r.place_path,
      ip,
      detail: { rows: r.rejected },
    });
    return { name: `import-${r.id}-report.xlsx`, data: f.data };
  }

  /** Check the mapping, mark the import running and start it; the caller answers 202 at once. */
  async run(actor: Actor, id: string, body: { mapping: Record<string, string | null>; fixed?: Record<string, string>; dryRun?: boolean }, ip: string) {
    const imp = await this.reachable(actor, id);
    if (imp.status === 'running') throw conflict('import.already_running');
    const stored = await this.k.files.read(imp.file_id);
    if (!stored) throw new AppError(410, 'import.file_missing');
    const sheet = cachedSheet(imp.id, imp.file_id) ?? (await readSheet(stored.data, imp.file_name));
    const errors = checkMapping(imp.kind, sheet.headers, body.mapping, body.fixed);
    if (errors.length) throw invalid(errors);
    // One import at a time per community on this node (two at once would race to create the same
    // places). Checked locally, not in the table, so a node that died mid-run blocks nothing.
    if ([...runningCommunity.values()].includes(imp.community_id)) throw conflict('import.community_busy');
    runningCommunity.set(imp.id, imp.community_id); // reserved before the next await
    const mapping = Object.fromEntries(Object.entries(body.mapping).filter(([, v]) => v)) as Record<string, string>;
    const fixed = Object.fromEntries(Object.entries(body.fixed ?? {}).map(([k, v]) => [k, v.trim()]));
    const dryRun = !!body.dryRun;
    let claimed = false;
    try {
      claimed = await this.repo.claim(imp.id, {
        dry_run: dryRun ? 1 : 0,
        mapping: JSON.stringify({ mapping, fixed } satisfies RunSettings),
        total_rows: sheet.rows.length,
        processed_rows: 0,
        imported: 0,
        unchanged: 0,
        rejected: 0,
        report_file_id: null,
        error: null,
        finished_at: null,
      });
    } finally {
      if (!claimed) runningCommunity.delete(imp.id);
    }
    if (!claimed) throw conflict('import.already_running');
    // The answer describes the run as accepted; a small file may finish before it is sent.
    const accepted = importView((await this.repo.byId(imp.id))!);
    const job = this.process(imp, sheet, { mapping, fixed }, dryRun, { id: actor.userId, name: actor.name, ip }).finally(() => {
      if (!dryRun) sheets.delete(imp.id); // a dry run is usually followed by the real one
      running.delete(imp.id);
      runningCommunity.delete(imp.id);
    });
    running.set(imp.id, job);
    this.started.add(job);
    void job.finally(() => this.started.delete(job));
    return accepted;
  }

  private async process(imp: ImportRow, sheet: Sheet, settings: RunSettings, dryRun: boolean, actor: RunContext['actor']): Promise<void> {
    const { mapping, fixed } = settings;
    const started = Date.now();
    const restore = bigPageCache(this.k);
    try {
      const community = await this.places.repo.byId(imp.community_id);
      if (!community) throw notFound('registry.place_not_found');
      const ctx: RunContext = {
        k: this.k,
        residents: this.residents,
        imp: { id: imp.id, kind: imp.kind },
        community,
        col: new Map(Object.entries(mapping).map(([f, h]) => [f, sheet.headers.indexOf(h)] as const)),
        headerOf: new Map(Object.entries(mapping)),
        fixed: new Map(Object.entries(fixed)),
        dryRun,
        today: this.residents.today(),
        actor,
        cache: new PlaceCache(this.repo, dryRun, () => this.k.clock.now().toISOString()),
        seen: new Map(),
        households: new Map(),
      };
      const totals = { processed_rows: 0, imported: 0, unchanged: 0, rejected: 0 };
      const rejected: Rejected[] = [];
      const size = chunkRows(this.k.database.dialect);
      for (let i = 0; i < sheet.rows.length; i += size) {
        const chunk = sheet.rows.slice(i, i + size);
        const { next, res } = await this.k.db.transaction().execute(async (trx) => {
          const res = imp.kind === 'residents' ? await residentsChunk(ctx, chunk, trx, this.repo) : await housesChunk(ctx, chunk, trx, this.repo);
          if (res.audit.length) await this.k.audit.recordMany(res.audit, trx);
          const next = {
            processed_rows: totals.processed_rows + chunk.length,
            imported: totals.imported + res.imported,
            unchanged: totals.unchanged + res.unchanged,
            rejected: totals.rejected + res.rejected.length,
          };
          await this.repo.update(imp.id, next, trx);
          return { next, res };
        });
        Object.assign(totals, next);
        rejected.push(...res.rejected);
        await new Promise((r) => setImmediate(r)); // let requests (progress polls) in between chunks
      }
      const reportId = rejected.length
        ? (
            await this.k.files.save({
              name: `import-${imp.id}-report.xlsx`,
              data: await buildReport(sheet.headers, rejected, mapping),
              ownerId: actor.id,
              accept: ['xlsx'],
              maxBytes: 512 * 1024 * 1024,
              retainDays: this.k.config.importRetentionDays,
            })
          ).id
        : null;
      const finishedAt = this.k.clock.now().toISOString();
      const counts = noCounts();
      for (const p of ctx.cache.planned) if (p.kind in counts) counts[p.kind as keyof PlaceCounts]++;
      const plan = { places: ctx.cache.planned.slice(0, NEW_PLACES_LISTED) as NewPlace[], counts };
      await this.k.db.transaction().execute(async (trx) => {
        await this.repo.update(
          imp.id,
          { status: 'done', report_file_id: reportId, finished_at: finishedAt, mapping: JSON.stringify({ ...settings, plan } satisfies RunSettings) },
          trx,
        );
        await this.k.audit.record(
          {
            actorId: actor.id,
            actorName: actor.name,
            action: 'registry.import.run',
            targetType: 'import',
            targetId: imp.id,
            scopePath: imp.place_path,
            ip: actor.ip,
            detail: {
              kind: imp.kind,
              dryRun,
              totalRows: sheet.rows.length,
              imported: totals.imported,
              unchanged: totals.unchanged,
              rejected: totals.rejected,
              newPlaces: counts,
              ms: Date.now() - started,
            },
          },
          trx,
        );
      });
      await this.k.events.publish<ImportFinished>(IMPORT_FINISHED, {
        importId: imp.id,
        communityId: imp.community_id,
        kind: imp.kind,
        dryRun,
        imported: totals.imported,
        unchanged: totals.unchanged,
        rejected: totals.rejected,
      });
    } catch (e) {
      const msg = e instanceof AppError ? t('zh-CN', e.code, e.params) : ((e as Error)?.message ?? String(e));
      this.k.log.error({ err: e, importId: imp.id }, 'import failed');
      try {
        await this.repo.update(imp.id, { status: 'failed', error: msg.slice(0, 1000), finished_at: this.k.clock.now().toISOString() });
      } catch (e2) {
        this.k.log.error({ err: e2, importId: imp.id }, 'import: could not record the failure');
      }
    } finally {
      restore();
    }
  }
}
