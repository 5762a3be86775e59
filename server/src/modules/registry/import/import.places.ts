// The places of an import run: found by parent and name (or made up, to be created by the chunk),
// read from a row's estate / building / unit / house columns, and audited when created.

import type { Db } from '../../../kernel/db/index.js';
import type { AuditEntry } from '../../../kernel/audit/index.js';
import type { FieldError } from '../../../kernel/http/errors.js';
import { buildPlaceRow, type PlaceInput } from '../places.service.js';
import type { PlaceKind, PlaceRow } from '../places.repository.js';
import { placeKinds } from '../standard/codes.js';
import { placeName } from './mapping.js';
import { canonicalPlaceName } from './normalise.js';
import type { ImportRepository } from './import.repository.js';
import type { Kernel } from '../../../kernel/index.js';
import type { ResidentsService } from '../residents.service.js';
import type { ImportKind } from './mapping.js';

type ChildResult = PlaceRow | null | { conflict: PlaceRow };

/**
 * Places by parent and name for one run. A place to be created is made up here (buildPlaceRow,
 * the row PlacesService.insertPlace writes) and collected in `created`; the chunk writes them all
 * in one statement (insertCreated) before anything refers to them. On a dry run nothing is written.
 */
export class PlaceCache {
  private kids = new Map<string, Map<string, PlaceRow>>();
  /** Place id → "社区 / 小区 / 楼栋 / …" for the places this run has seen. */
  private labels = new Map<string, string>();
  private seq = 0;
  /** The places this run created (or, on a dry run, would create), in order, with their full path. */
  readonly planned: { kind: PlaceKind; path: string }[] = [];
  constructor(
    private repo: ImportRepository,
    private dryRun: boolean,
    private now: () => string,
  ) {}

  private async load(parent: PlaceRow, db: Db) {
    const m = new Map<string, PlaceRow>();
    const children = await this.repo.childrenOf(parent.id, db);
    // matched by canonical name ("1" = "1号楼" = "一号楼" for a building), then by the name as written
    // when two places already share a canonical name (made before names were normalised), the one
    // named canonically wins, then the older one
    const ranked = [...children].sort(
      (a, b) =>
        Number(canonicalPlaceName(b.kind, b.name) === b.name) - Number(canonicalPlaceName(a.kind, a.name) === a.name) ||
        String(a.created_at).localeCompare(String(b.created_at)) ||
        a.id.localeCompare(b.id),
    );
    for (const c of ranked) {
      const key = canonicalPlaceName(c.kind, c.name);
      if (!m.has(key)) m.set(key, c);
      this.labels.set(c.id, `${this.label(parent)} / ${c.name}`);
    }
    for (const c of children) if (!m.has(placeName(c.name))) m.set(placeName(c.name), c);
    this.kids.set(parent.id, m);
    return m;
  }

  private label(p: PlaceRow): string {
    return this.labels.get(p.id) ?? p.name;
  }

  /**
   * The child `name` under `parent`: found, created (when `create`), or null; a same-named place of another kind is a conflict.
   * Synchronous once the parent's children are loaded (nearly always), a promise the first time.
   */
  child(
    parent: PlaceRow,
    kind: PlaceKind,
    name: string,
    create: boolean,
    db: Db,
    created: PlaceRow[],
    extra: Partial<PlaceInput> = {},
  ): ChildResult | Promise<ChildResult> {
    const m = this.kids.get(parent.id);
    if (!m) return this.load(parent, db).then((m) => this.pick(m, parent, kind, name, create, created, extra));
    return this.pick(m, parent, kind, name, create, created, extra);
  }

  private pick(
    m: Map<string, PlaceRow>,
    parent: PlaceRow,
    kind: PlaceKind,
    name: string,
    create: boolean,
    created: PlaceRow[],
    extra: Partial<PlaceInput>,
  ): ChildResult {
    const found = m.get(canonicalPlaceName(kind, name)) ?? m.get(placeName(name));
    if (found) return found.kind === kind ? found : { conflict: found };
    if (!create) return null;
    // imports create estates, buildings, units and houses only (never a community: no time zone)
    const input: PlaceInput = { kind, name, floor: extra.floor ?? null, areaM2: extra.areaM2 ?? null, houseUse: extra.houseUse ?? null };
    const row = buildPlaceRow(input, parent, this.now(), '', this.dryRun ? `dry_${++this.seq}` : undefined);
    m.set(canonicalPlaceName(kind, name), row);
    this.kids.set(row.id, new Map());
    this.labels.set(row.id, `${this.label(parent)} / ${row.name}`);
    this.planned.push({ kind, path: this.labels.get(row.id)! });
    created.push(row);
    return row;
  }
}

export interface PlaceNames {
  estate: string;
  building: string;
  unit: string;
  house: string;
}

export const isError = (x: unknown): x is FieldError => !!x && typeof x === 'object' && 'code' in x && 'field' in x;
export const kindZh = (k: string) => placeKinds.find((x) => x.code === k)?.zh ?? k;

export function readPlaceNames(get: (f: string) => string, errors: FieldError[], withUnit = true): PlaceNames {
  const names = {
    estate: placeName(get('estate')),
    building: canonicalPlaceName('building', get('building')),
    unit: withUnit ? canonicalPlaceName('unit', get('unit')) : '',
    house: canonicalPlaceName('house', get('house')),
  };
  for (const f of ['estate', 'building', 'unit', 'house'] as const) {
    if (!names[f] && f !== 'unit') errors.push({ field: f, code: 'validation.required' });
    else if (names[f].length > 60) errors.push({ field: f, code: 'validation.max_length', params: { limit: 60 } });
  }
  return names;
}

/** The parent a house hangs under (unit, or building when there is no unit). */
export async function houseParent(ctx: RunContext, n: PlaceNames, create: boolean, db: Db, created: PlaceRow[]): Promise<PlaceRow | null | FieldError> {
  let parent: PlaceRow = ctx.community;
  const steps: [keyof PlaceNames, PlaceKind][] = [
    ['estate', 'estate'],
    ['building', 'building'],
  ];
  if (n.unit) steps.push(['unit', 'unit']);
  for (const [field, kind] of steps) {
    let r = ctx.cache.child(parent, kind, n[field], create, db, created);
    if (r instanceof Promise) r = await r;
    if (!r) return null;
    if ('conflict' in r) return { field, code: 'import.place_kind_conflict', params: { name: n[field], kind: kindZh(kind) } };
    parent = r;
  }
  return parent;
}

export async function findHouse(
  ctx: RunContext,
  n: PlaceNames,
  create: boolean,
  db: Db,
  created: PlaceRow[],
  extra: Partial<PlaceInput> = {},
): Promise<PlaceRow | null | FieldError> {
  const parent = await houseParent(ctx, n, create, db, created);
  if (!parent || isError(parent)) return parent;
  let r = ctx.cache.child(parent, 'house', n.house, create, db, created, extra);
  if (r instanceof Promise) r = await r;
  if (r && 'conflict' in r) return { field: 'house', code: 'import.place_kind_conflict', params: { name: n.house, kind: kindZh('house') } };
  return r;
}

/** Write the places a chunk created (parents come before their children in `created`). */
export async function insertCreated(ctx: RunContext, created: PlaceRow[], db: Db, repo: ImportRepository) {
  if (!ctx.dryRun && created.length) await repo.insertPlaces(created, db);
}

export function placeAudit(ctx: RunContext, created: PlaceRow[]): AuditEntry[] {
  if (ctx.dryRun) return [];
  return created.map((p) => ({
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    action: 'registry.place.create',
    targetType: 'place',
    targetId: p.id,
    scopePath: p.path,
    ip: ctx.actor.ip,
    detail: { kind: p.kind, name: p.name, importId: ctx.imp.id },
  }));
}

/** What one run of an import carries through its chunks (import.rows.ts and the place look-ups here). */
export interface RunContext {
  k: Kernel;
  residents: ResidentsService;
  imp: { id: string; kind: ImportKind };
  community: PlaceRow;
  /** Target field → column index. */
  col: Map<string, number>;
  /** Target field → the header the user mapped it to (for reasons the user recognises). */
  headerOf: Map<string, string>;
  /** Target field → one value for every row (a place level the file has no column for). */
  fixed: Map<string, string>;
  dryRun: boolean;
  today: string;
  actor: { id: string; name: string; ip: string };
  cache: PlaceCache;
  /** Dedup key (ID blind index, or house path) → row number of its first occurrence in the file. */
  seen: Map<string, number>;
  /** House id → the household new residents join. */
  households: Map<string, string>;
}
