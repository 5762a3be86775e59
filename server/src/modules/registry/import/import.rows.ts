// One chunk of an import: read each row through the mapping, validate it with the registry's
// own rules, find or create its place, and write it (or, on a dry run, only count it).
import type { Db } from '../../../kernel/db/index.js';
import type { AuditEntry } from '../../../kernel/audit/index.js';
import type { FieldError } from '../../../kernel/http/errors.js';
import { t } from '../../../kernel/http/i18n.js';
import type { HouseholdRow, PlaceRow } from '../places.repository.js';
import { newId } from '../../../kernel/ids.js';
import type { ResidencyRow, ResidentRow } from '../residents.repository.js';
import { validateResident, validateResidency, checkCode, type CleanResident } from '../resident.validation.js';
import { houseUses } from '../standard/codes.js';
import { codeOf, dateOf, fieldsByKind, numberOf, tagsOf } from './mapping.js';
import type { ImportRepository } from './import.repository.js';
import type { SheetRow } from './parse.js';
import { findHouse, houseParent, insertCreated, isError, kindZh, placeAudit, readPlaceNames, type PlaceNames } from './import.places.js';

export { PlaceCache } from './import.places.js';
export type { RunContext } from './import.places.js';
import type { RunContext } from './import.places.js';

export interface Rejected {
  row: SheetRow;
  reason: string;
}

export interface ChunkResult {
  imported: number;
  unchanged: number;
  rejected: Rejected[];
  audit: AuditEntry[];
}

function reader(ctx: RunContext, row: SheetRow) {
  return (field: string) => {
    const v = ctx.fixed.get(field);
    if (v !== undefined) return v;
    const i = ctx.col.get(field);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
}

function label(ctx: RunContext, field: string): string {
  if (ctx.fixed.has(field)) return (fieldsByKind[ctx.imp.kind].find((f) => f.name === field)?.zh ?? field) + t('zh-CN', 'import.fixed_label');
  return ctx.headerOf.get(field) ?? fieldsByKind[ctx.imp.kind].find((f) => f.name === field)?.zh ?? field;
}

/** "证件号码：身份证号校验位不正确（GB 11643）；手机：…" — every failing field, in zh-CN. */
function reasonOf(ctx: RunContext, errors: FieldError[]): string {
  return errors.map((e) => `${label(ctx, e.field)}：${t('zh-CN', e.code, e.params)}`).join('；');
}

// ---------- residents ----------

interface Candidate {
  row: SheetRow;
  clean: CleanResident;
  bidx: string;
  role: string;
  relation: string | null;
  moveIn: string;
  names: PlaceNames;
}

/** What differs between a registered resident and a row (only fields the file carries). */
function differences(ctx: RunContext, ex: ResidentRow, c: Candidate, house: PlaceRow | null, active: ResidencyRow[]): string[] {
  const d: string[] = [];
  const mapped = (f: string) => ctx.col.has(f);
  if (ex.name !== c.clean.name) d.push('name');
  if (ex.gender !== c.clean.gender) d.push('gender');
  if ((mapped('birthDate') || c.clean.birthDate) && (ex.birth_date ?? null) !== (c.clean.birthDate ?? null)) d.push('birthDate');
  if (mapped('ethnicity') && (ex.ethnicity ?? null) !== (c.clean.ethnicity ?? null)) d.push('ethnicity');
  if (mapped('phone') && (ex.phone_bidx ?? null) !== (c.clean.phone ? ctx.residents.phoneIndex(c.clean.phone) : null)) d.push('phone');
  if (!house || !active.some((x) => x.resident_id === ex.id && x.house_id === house.id && !x.move_out)) d.push('house');
  return d;
}

export async function residentsChunk(ctx: RunContext, rows: SheetRow[], db: Db, repo: ImportRepository): Promise<ChunkResult> {
  const out: ChunkResult = { imported: 0, unchanged: 0, rejected: [], audit: [] };
  const reject = (row: SheetRow, errors: FieldError[]) => out.rejected.push({ row, reason: reasonOf(ctx, errors) });
  const candidates: Candidate[] = [];

  for (const row of rows) {
    const get = reader(ctx, row);
    const { value, errors } = validateResident(
      {
        name: get('name'),
        idType: codeOf('idType', get('idType')) || undefined,
        idNumber: get('idNumber'),
        gender: codeOf('gender', get('gender')) || undefined,
        birthDate: dateOf(get('birthDate')) || null,
        ethnicity: codeOf('ethnicity', get('ethnicity')) || null,
        phone: get('phone') || null,
        tags: tagsOf(get('tags')),
      },
      ctx.today,
    );
    const relation = codeOf('relation', get('relation')) || null;
    // No role column or an empty cell: the householder (本人/户主) owns, anyone else is family.
    const role = codeOf('role', get('role')) || (relation === '01' || relation === '02' ? 'owner' : 'family');
    const moveIn = dateOf(get('moveIn')) || ctx.today;
    errors.push(...validateResidency({ role, relation, moveIn }, ctx.today));
    const names = readPlaceNames(get, errors);
    let bidx = '';
    if (value.idNumber && !errors.some((e) => e.field === 'idNumber')) {
      bidx = ctx.residents.idIndex(value.idNumber);
      const first = ctx.seen.get(bidx);
      if (first !== undefined) errors.push({ field: 'idNumber', code: 'import.duplicate_in_file', params: { row: first } });
      else ctx.seen.set(bidx, row.n);
    }
    if (errors.length) reject(row, errors);
    else candidates.push({ row, clean: value as CleanResident, bidx, role, relation, moveIn, names });
  }

  const existing = new Map(
    (
      await ctx.residents.residents.byIdBidxs(
        candidates.map((c) => c.bidx),
        db,
      )
    ).map((r) => [r.id_number_bidx, r] as const),
  );
  const active = existing.size
    ? (
        await ctx.residents.residents.residenciesOf(
          [...existing.values()].map((r) => r.id),
          db,
        )
      ).filter((x) => !x.move_out)
    : [];
  const created: PlaceRow[] = [];
  const fresh: { c: Candidate; house: PlaceRow; r: ResidentRow }[] = [];

  for (const c of candidates) {
    const ex = existing.get(c.bidx);
    if (ex) {
      // Registered already: unchanged when it says the same, otherwise left alone and reported.
      if (!ex.place_path.startsWith(ctx.community.path)) {
        reject(c.row, [{ field: 'idNumber', code: 'import.id_exists_elsewhere' }]);
        continue;
      }
      const house = await findHouse(ctx, c.names, false, db, created);
      const diff = differences(ctx, ex, c, isError(house) ? null : house, active);
      if (!diff.length) out.unchanged++;
      else
        reject(c.row, [
          { field: 'idNumber', code: 'import.id_exists', params: { fields: diff.map((f) => label(ctx, f === 'house' ? 'house' : f)).join('、') } },
        ]);
      continue;
    }
    const house = await findHouse(ctx, c.names, true, db, created);
    if (!house || isError(house)) {
      reject(c.row, [isError(house) ? house : { field: 'house', code: 'registry.house_not_found' }]);
      continue;
    }
    out.imported++;
    if (!ctx.dryRun) fresh.push({ c, house, r: ctx.residents.buildRow(c.clean, ctx.community.id, house.path, c.bidx) });
  }
  await insertCreated(ctx, created, db, repo);
  if (fresh.length) await writeResidents(ctx, fresh, db, repo);
  out.audit.unshift(...placeAudit(ctx, created));
  out.audit.push(
    ...fresh.map(({ c, house, r }) => ({
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      action: 'registry.resident.import',
      targetType: 'resident',
      targetId: r.id,
      scopePath: house.path,
      subjectResidentId: r.id,
      ip: ctx.actor.ip,
      detail: { importId: ctx.imp.id, row: c.row.n },
    })),
  );
  return out;
}

/**
 * Write a chunk's new residents with one INSERT per table. Same outcome as
 * ResidentsService.addResidency row by row (join the house's first open household, or found
 * one with this resident as householder), but ~3 statements per chunk instead of ~3 per row:
 * row by row, 50,000 rows took ~175 s on PostgreSQL (one round trip ≈ 0.7 ms here).
 */
async function writeResidents(ctx: RunContext, fresh: { c: Candidate; house: PlaceRow; r: ResidentRow }[], db: Db, repo: ImportRepository) {
  const unknown = [...new Set(fresh.map((x) => x.house.id))].filter((id) => !ctx.households.has(id));
  for (const [houseId, hh] of await repo.firstHouseholds(unknown, db)) ctx.households.set(houseId, hh);
  const at = ctx.k.clock.now().toISOString();
  const households: HouseholdRow[] = [];
  const residencies: ResidencyRow[] = [];
  for (const { c, house, r } of fresh) {
    let hh = ctx.households.get(house.id);
    if (!hh) {
      hh = newId('hh');
      households.push({
        id: hh,
        house_id: house.id,
        community_id: house.community_id!,
        place_path: house.path,
        householder_id: r.id,
        created_at: at,
        dissolved_at: null,
      });
      ctx.households.set(house.id, hh);
    }
    residencies.push({
      id: newId('rsd'),
      resident_id: r.id,
      house_id: house.id,
      household_id: hh,
      community_id: house.community_id!,
      place_path: house.path,
      role: c.role,
      relation: c.relation,
      move_in: c.moveIn,
      move_out: null,
      move_out_reason: null,
      created_at: at,
    });
  }
  await repo.insertResidents(
    fresh.map((x) => x.r),
    db,
  );
  await repo.insertHouseholds(households, db);
  await repo.insertResidencies(residencies, db);
}

// ---------- houses ----------

export async function housesChunk(ctx: RunContext, rows: SheetRow[], db: Db, repo: ImportRepository): Promise<ChunkResult> {
  const out: ChunkResult = { imported: 0, unchanged: 0, rejected: [], audit: [] };
  const created: PlaceRow[] = [];
  for (const row of rows) {
    const get = reader(ctx, row);
    const errors: FieldError[] = [];
    const names = readPlaceNames(get, errors);
    const patch: { floor?: number; areaM2?: number; houseUse?: string } = {};
    if (get('floor')) {
      const n = numberOf(get('floor'));
      if (!Number.isInteger(n) || n < -10 || n > 300) errors.push({ field: 'floor', code: 'import.floor_invalid' });
      else patch.floor = n;
    }
    if (get('areaM2')) {
      const n = numberOf(get('areaM2'));
      if (Number.isNaN(n)) errors.push({ field: 'areaM2', code: 'import.number_invalid' });
      else if (!(n > 0 && n < 100000)) errors.push({ field: 'areaM2', code: 'import.area_invalid' });
      else patch.areaM2 = Math.round(n * 100) / 100;
    }
    if (get('houseUse')) {
      const u = codeOf('houseUse', get('houseUse'));
      checkCode('houseUse', houseUses, u, errors);
      patch.houseUse = u;
    }
    if (!errors.length) {
      const key = ['house', names.estate, names.building, names.unit, names.house].join('\u0000');
      const first = ctx.seen.get(key);
      if (first !== undefined) errors.push({ field: 'house', code: 'import.duplicate_house_in_file', params: { row: first } });
      else ctx.seen.set(key, row.n);
    }
    if (errors.length) {
      out.rejected.push({ row, reason: reasonOf(ctx, errors) });
      continue;
    }
    const parent = await houseParent(ctx, names, true, db, created);
    if (!parent || isError(parent)) {
      out.rejected.push({ row, reason: reasonOf(ctx, [isError(parent) ? parent : { field: 'house', code: 'registry.house_not_found' }]) });
      continue;
    }
    const before = created.length;
    const house = await ctx.cache.child(parent, 'house', names.house, true, db, created, patch);
    if (!house || 'conflict' in house) {
      out.rejected.push({
        row,
        reason: reasonOf(ctx, [{ field: 'house', code: 'import.place_kind_conflict', params: { name: names.house, kind: kindZh('house') } }]),
      });
      continue;
    }
    if (created.length > before) {
      out.imported++;
      continue;
    }
    // An existing house: change only what the file gives and differs.
    const set: { floor?: number; area_m2?: number; house_use?: string } = {};
    if (patch.floor !== undefined && patch.floor !== (house.floor == null ? null : Number(house.floor))) set.floor = patch.floor;
    if (patch.areaM2 !== undefined && (house.area_m2 == null || Math.abs(Number(house.area_m2) - patch.areaM2) > 0.005)) set.area_m2 = patch.areaM2;
    if (patch.houseUse !== undefined && patch.houseUse !== house.house_use) set.house_use = patch.houseUse;
    if (!Object.keys(set).length) {
      out.unchanged++;
      continue;
    }
    out.imported++;
    Object.assign(house, set); // the cache now holds what the database will
    if (ctx.dryRun) continue;
    await repo.updateHouse(house.id, { ...set, updated_at: ctx.k.clock.now().toISOString() }, db);
    out.audit.push({
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      action: 'registry.place.update',
      targetType: 'place',
      targetId: house.id,
      scopePath: house.path,
      ip: ctx.actor.ip,
      detail: { fields: Object.keys(set), importId: ctx.imp.id, row: row.n },
    });
  }
  await insertCreated(ctx, created, db, repo);
  out.audit.unshift(...placeAudit(ctx, created));
  return out;
}
