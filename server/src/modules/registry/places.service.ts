// Places: the tree region → community → estate → building → unit → house.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Db } from '../../kernel/db/index.js';
import { newId } from '../../kernel/ids.js';
import { invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { houseUses, regionLevels, isCode } from './standard/codes.js';
import { PlacesRepository, type PlaceKind, type PlaceRow } from './places.repository.js';
import { ResidentsRepository } from './residents.repository.js';
import { likeOp } from '../../kernel/db/index.js';
import type { Place, PlaceDetail, PlaceNode } from './registry.schema.js';

const parentKinds: Record<PlaceKind, (PlaceKind | null)[]> = {
  region: [null, 'region'],
  community: ['region'],
  estate: ['community'],
  building: ['estate'],
  unit: ['building'],
  house: ['unit', 'building'],
};

const prefix: Record<PlaceKind, string> = { region: 'reg', community: 'com', estate: 'est', building: 'bld', unit: 'unt', house: 'hse' };

export interface PlaceInput {
  kind: PlaceKind;
  parentId?: string | null;
  name: string;
  code?: string | null;
  regionLevel?: string | null;
  floor?: number | null;
  areaM2?: number | null;
  houseUse?: string | null;
  timeZone?: string | null;
}

/**
 * The row a new place is stored as: one shape for every writer (the service, the seed and the
 * bulk import, which collects rows to insert per chunk). `id` may be given (a dry run's stand-in).
 */
export function buildPlaceRow(input: PlaceInput, parent: PlaceRow | null, at: string, defaultTimeZone: string, id = newId(prefix[input.kind])): PlaceRow {
  return {
    id,
    kind: input.kind,
    region_level: input.kind === 'region' ? (input.regionLevel ?? null) : null,
    parent_id: parent?.id ?? null,
    path: `${parent ? parent.path : '/'}${id}/`,
    community_id: input.kind === 'community' ? id : (parent?.community_id ?? null),
    name: input.name.trim(),
    code: input.code ?? null,
    floor: input.floor ?? null,
    area_m2: input.areaM2 ?? null,
    house_use: input.kind === 'house' ? (input.houseUse ?? 'residential') : null,
    time_zone: input.kind === 'community' ? (input.timeZone ?? defaultTimeZone) : null,
    sort: 0,
    created_at: at,
    updated_at: at,
  };
}

export function placeView(p: PlaceRow): Place {
  return {
    id: p.id,
    kind: p.kind,
    parentId: p.parent_id,
    path: p.path,
    communityId: p.community_id,
    name: p.name,
    code: p.code,
    regionLevel: p.region_level,
    floor: p.floor,
    number: p.kind === 'house' ? p.name : null,
    areaM2: p.area_m2,
    houseUse: p.house_use,
    timeZone: p.time_zone,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export class PlacesService {
  readonly repo: PlacesRepository;
  constructor(private k: Kernel) {
    this.repo = new PlacesRepository(k.db);
  }

  async reachable(actor: Actor, action: string, id: string): Promise<PlaceRow> {
    const p = await this.repo.byId(id);
    if (!p || !this.k.authz.can(actor, action, 'Place', { placePath: p.path })) throw notFound('registry.place_not_found');
    return p;
  }

  private checkFields(input: Partial<PlaceInput>, kind: PlaceKind): FieldError[] {
    const e: FieldError[] = [];
    if (input.name !== undefined) {
      const n = input.name.trim();
      if (!n) e.push({ field: 'name', code: 'validation.required' });
      else if (n.length > 60) e.push({ field: 'name', code: 'validation.max_length', params: { limit: 60 } });
    }
    if (kind === 'region') {
      if (input.code != null && !/^\d{6}(\d{3})?$/.test(input.code)) e.push({ field: 'code', code: 'registry.code_invalid' });
      if (input.regionLevel != null && !isCode(regionLevels, input.regionLevel))
        e.push({ field: 'regionLevel', code: 'registry.code_unknown', params: { value: input.regionLevel } });
    }
    if (kind === 'house') {
      if (input.areaM2 != null && !(input.areaM2 > 0 && input.areaM2 < 100000)) e.push({ field: 'areaM2', code: 'validation.minimum', params: { limit: 0 } });
      if (input.houseUse != null && !isCode(houseUses, input.houseUse))
        e.push({ field: 'houseUse', code: 'registry.code_unknown', params: { value: input.houseUse } });
    }
    return e;
  }

  /** Create without authorization (seed, import); callers check scope first. */
  async insertPlace(input: PlaceInput, parent: PlaceRow | null, db: Db = this.k.db): Promise<PlaceRow> {
    const row = buildPlaceRow(input, parent, this.k.clock.now().toISOString(), this.k.config.timeZone);
    await this.repo.insert(row, db);
    return row;
  }

  async create(actor: Actor, input: PlaceInput, ip: string) {
    const errors = this.checkFields(input, input.kind);
    if (!input.name?.trim()) errors.push({ field: 'name', code: 'validation.required' });
    let parent: PlaceRow | null = null;
    if (input.parentId) {
      parent = (await this.repo.byId(input.parentId)) ?? null;
      if (!parent || !this.k.authz.can(actor, 'create', 'Place', { placePath: parent.path })) throw notFound('registry.place_not_found');
    } else if (!this.k.authz.reach(actor, 'create', 'Place').all) errors.push({ field: 'parentId', code: 'validation.required' });
    if (!parentKinds[input.kind].includes(parent?.kind ?? null))
      errors.push({ field: 'parentId', code: 'registry.bad_parent', params: { kind: input.kind, parentKind: parent?.kind ?? '-' } });
    if (!errors.length && (await this.repo.byParentAndName(parent?.id ?? null, input.name.trim()))) errors.push({ field: 'name', code: 'registry.name_taken' });
    if (errors.length) throw invalid(errors);
    const row = await this.k.db.transaction().execute(async (t) => {
      const row = await this.insertPlace(input, parent, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.place.create',
          targetType: 'place',
          targetId: row.id,
          scopePath: row.path,
          ip,
          detail: { kind: row.kind, name: row.name },
        },
        t,
      );
      return row;
    });
    return placeView(row);
  }

  async update(actor: Actor, id: string, input: Partial<PlaceInput>, ip: string) {
    const p = await this.reachable(actor, 'update', id);
    const errors = this.checkFields(input, p.kind);
    if (input.name && input.name.trim() !== p.name) {
      const other = await this.repo.byParentAndName(p.parent_id, input.name.trim());
      if (other) errors.push({ field: 'name', code: 'registry.name_taken' });
    }
    if (errors.length) throw invalid(errors);
    const patch: Partial<PlaceRow> = { updated_at: this.k.clock.now().toISOString() };
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.code !== undefined) patch.code = input.code;
    if (p.kind === 'house') {
      if (input.floor !== undefined) patch.floor = input.floor;
      if (input.areaM2 !== undefined) patch.area_m2 = input.areaM2;
      if (input.houseUse !== undefined) patch.house_use = input.houseUse;
    }
    await this.repo.update(id, patch);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'registry.place.update',
      targetType: 'place',
      targetId: id,
      scopePath: p.path,
      ip,
      detail: { fields: Object.keys(patch).filter((x) => x !== 'updated_at') },
    });
    return placeView((await this.repo.byId(id))!);
  }

  async get(actor: Actor, id: string): Promise<PlaceDetail> {
    const p = await this.reachable(actor, 'read', id);
    const ancestors = await this.repo.byIds(p.path.split('/').filter((x) => x && x !== p.id));
    const counts = await this.repo.childCounts([p.id]);
    const order = p.path.split('/');
    return {
      ...placeView(p),
      childCount: counts.get(p.id) ?? 0,
      ancestors: ancestors.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)).map((a) => ({ id: a.id, kind: a.kind, name: a.name })),
    };
  }

  /** The places the actor may read, as a tree down to units; ancestors outside the scope are left out. */
  async tree(actor: Actor): Promise<PlaceNode[]> {
    const rows = await this.repo.tree(this.k.authz.reach(actor, 'read', 'Place'));
    const counts = await this.repo.childCounts(rows.map((r) => r.id));
    const nodes = new Map<string, PlaceNode>(
      rows.map((r) => [r.id, { id: r.id, kind: r.kind, name: r.name, code: r.code, childCount: counts.get(r.id) ?? 0, children: [] }]),
    );
    const roots: PlaceNode[] = [];
    for (const r of rows) {
      const n = nodes.get(r.id)!;
      const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
      if (parent) parent.children.push(n);
      else roots.push(n);
    }
    return roots;
  }

  async list(actor: Actor, q: { parentId?: string; kind?: PlaceKind; page: number; pageSize: number }) {
    const r = await this.repo.list({
      reach: this.k.authz.reach(actor, 'read', 'Place'),
      parentId: q.parentId,
      kind: q.kind,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items: r.items.map(placeView), total: r.total, page: q.page, pageSize: q.pageSize };
  }

  async house<M extends { id: string }>(actor: Actor, id: string, views: (ids: string[]) => Promise<M[]>) {
    const p = await this.reachable(actor, 'read', id);
    if (p.kind !== 'house') throw notFound('registry.house_not_found');
    const residents = new ResidentsRepository(this.k.db, likeOp(this.k.database.dialect));
    const current = await residents.currentOfHouse(p.id);
    const households = await this.repo.householdsOfHouse(p.id);
    const members = await views(current.map((c) => c.resident_id));
    const place = await this.get(actor, id);
    return {
      house: place,
      label: [...place.ancestors.filter((a) => ['estate', 'building', 'unit'].includes(a.kind)).map((a) => a.name), p.name].join(' '),
      households: households.map((h) => ({
        id: h.id,
        householderId: h.householder_id,
        members: members.filter((m) => current.some((c) => c.resident_id === m.id && c.household_id === h.id)),
      })),
    };
  }
}
