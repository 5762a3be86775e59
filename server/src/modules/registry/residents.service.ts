// Residents: create, edit, reveal, search (moves in and out: residents.moves.ts). Personal data goes through the vault.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Db } from '../../kernel/db/index.js';
import { likeOp } from '../../kernel/db/index.js';
import { newId } from '../../kernel/ids.js';
import { localDate } from '../../kernel/clock.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { maskIdNumber, maskPhone, registerEncryptedColumns } from '../../kernel/vault/index.js';
import { ageTags, ageOn } from './standard/codes.js';
import { normaliseIdNumber } from './standard/id-number.js';
import { normalisePhone } from './standard/phone.js';
import { PlacesRepository, placeLabel, type PlaceRow } from './places.repository.js';
import { ResidentsRepository, type ResidencyRow, type ResidentFilter, type ResidentRow } from './residents.repository.js';
import { validateResident, validateResidency, type CleanResident, type ResidentInput } from './resident.validation.js';
import { RegistrationReviews } from './registration-reviews.js';
import type { Resident, Residency } from './registry.schema.js';
import type { ResidentStatus } from './registry.tables.js';
import { auditEntries } from '../audit/index.js';
import { RESIDENT_CREATED, type ResidentCreated } from './registry.events.js';
import { ResidentMoves, type ResidencyInput } from './residents.moves.js';

export type { ResidencyInput } from './residents.moves.js';

registerEncryptedColumns({ table: 'residents', idColumn: 'id', columns: ['id_number_enc', 'phone_enc'] });

export interface ListParams {
  q?: string;
  phone?: string;
  idNumber?: string;
  houseId?: string;
  placeId?: string;
  tag?: string;
  status?: ResidentStatus;
}

const yearsBefore = (date: string, years: number) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;

export class ResidentsService {
  readonly residents: ResidentsRepository;
  readonly places: PlacesRepository;
  constructor(private k: Kernel) {
    this.residents = new ResidentsRepository(k.db, likeOp(k.database.dialect));
    this.places = new PlacesRepository(k.db);
  }

  today(): string {
    return localDate(this.k.clock.now(), this.k.config.timeZone);
  }

  idIndex(idNumber: string) {
    return this.k.vault.blindIndex('id_number', idNumber);
  }
  phoneIndex(phone: string) {
    return this.k.vault.blindIndex('phone', phone);
  }

  // ---------- presentation ----------
  async labels(houseIds: string[]): Promise<Map<string, string>> {
    const houses = await this.places.byIds([...new Set(houseIds)]);
    return this.labelsFromPaths(houses.map((h) => h.path));
  }

  /** House labels from house paths (a residency carries its house's path): one query. */
  async labelsFromPaths(paths: string[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const p of paths) for (const id of p.split('/').filter(Boolean)) ids.add(id);
    const all = new Map((await this.places.byIds([...ids])).map((p) => [p.id, p] as const));
    const out = new Map<string, string>();
    for (const p of paths) {
      const houseId = p.split('/').filter(Boolean).pop()!;
      const house = all.get(houseId);
      if (house) out.set(houseId, placeLabel(house, all));
    }
    return out;
  }

  async views(rows: ResidentRow[]) {
    const residencies = await this.residents.residenciesOf(rows.map((r) => r.id));
    const labels = await this.labelsFromPaths(residencies.filter((r) => !r.move_out).map((r) => r.place_path));
    const today = this.today();
    return rows.map((r) =>
      this.view(
        r,
        residencies.filter((x) => x.resident_id === r.id),
        labels,
        today,
      ),
    );
  }

  view(r: ResidentRow, residencies: ResidencyRow[], labels: Map<string, string>, today = this.today()): Resident {
    const idNumber = this.k.vault.decrypt(r.id_number_enc);
    const phone = r.phone_enc ? this.k.vault.decrypt(r.phone_enc) : null;
    return {
      id: r.id,
      communityId: r.community_id,
      name: r.name,
      idType: r.id_type,
      idNumberMasked: maskIdNumber(idNumber),
      gender: r.gender,
      birthDate: r.birth_date,
      age: r.birth_date ? ageOn(r.birth_date, today) : null,
      ethnicity: r.ethnicity,
      phoneMasked: phone ? maskPhone(phone) : null,
      tags: [...(r.birth_date ? ageTags(r.birth_date, today) : []), ...JSON.parse(r.tags)],
      status: r.status,
      note: r.note,
      houses: residencies
        .filter((x) => !x.move_out)
        .map((x) => ({
          residencyId: x.id,
          houseId: x.house_id,
          houseLabel: labels.get(x.house_id) ?? '',
          role: x.role,
          relation: x.relation,
          moveIn: x.move_in,
        })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  residencyView(x: ResidencyRow, labels: Map<string, string>): Residency {
    return {
      id: x.id,
      residentId: x.resident_id,
      houseId: x.house_id,
      houseLabel: labels.get(x.house_id) ?? '',
      householdId: x.household_id,
      role: x.role,
      relation: x.relation,
      moveIn: x.move_in,
      moveOut: x.move_out,
      moveOutReason: x.move_out_reason,
    };
  }

  // ---------- access ----------
  /** Load a resident the actor may act on; anything else is 404. */
  async reachable(actor: Actor, action: string, id: string): Promise<ResidentRow> {
    const r = await this.residents.byId(id);
    if (!r || !this.k.authz.can(actor, action, 'Resident', { placePath: r.place_path, residentId: r.id })) throw notFound('registry.resident_not_found');
    return r;
  }

  async filterFor(actor: Actor, action: string, p: ListParams): Promise<ResidentFilter> {
    const f: ResidentFilter = { reach: this.k.authz.reach(actor, action, 'Resident'), q: p.q?.trim() || undefined, status: p.status, houseId: p.houseId };
    if (p.phone) f.phoneBidx = this.phoneIndex(normalisePhone(p.phone));
    if (p.idNumber) f.idBidx = this.idIndex(normaliseIdNumber(p.idNumber));
    if (p.placeId) {
      const place = await this.places.byId(p.placeId);
      f.placePath = place ? place.path : '/nowhere/';
    }
    if (p.tag === 'elderly') f.bornOnOrBefore = yearsBefore(this.today(), 60);
    else if (p.tag === 'child') f.bornAfter = yearsBefore(this.today(), 14);
    else if (p.tag) f.tag = p.tag;
    return f;
  }

  async list(actor: Actor, p: ListParams, page: number, pageSize: number) {
    const f = await this.filterFor(actor, 'read', p);
    const { items, total } = await this.residents.list(f, pageSize, (page - 1) * pageSize);
    return { items: await this.views(items), total, page, pageSize };
  }

  async get(actor: Actor, id: string, ip: string) {
    const r = await this.reachable(actor, 'read', id);
    const residencies = await this.residents.residenciesOf([r.id]);
    const labels = await this.labels(residencies.map((x) => x.house_id));
    if (actor.residentId !== r.id) {
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'registry.resident.view',
        targetType: 'resident',
        targetId: r.id,
        scopePath: r.place_path,
        subjectResidentId: r.id,
        ip,
      });
    }
    return { ...this.view(r, residencies, labels), residencies: residencies.map((x) => this.residencyView(x, labels)) };
  }

  // ---------- writes ----------
  /** Build a resident row from clean input (no I/O but encryption). */
  /** `idBidx`: the blind index of c.idNumber when the caller has it already (bulk import). */
  buildRow(c: CleanResident, communityId: string, placePath: string, idBidx = this.idIndex(c.idNumber)): ResidentRow {
    const at = this.k.clock.now().toISOString();
    return {
      id: newId('res'),
      community_id: communityId,
      place_path: placePath,
      name: c.name,
      id_type: c.idType,
      id_number_enc: this.k.vault.encrypt(c.idNumber),
      id_number_bidx: idBidx,
      gender: c.gender,
      birth_date: c.birthDate ?? null,
      ethnicity: c.ethnicity ?? null,
      phone_enc: this.k.vault.encryptNullable(c.phone ?? null),
      phone_bidx: c.phone ? this.phoneIndex(c.phone) : null,
      tags: JSON.stringify(c.tags ?? []),
      status: 'active',
      note: c.note ?? null,
      created_at: at,
      updated_at: at,
    };
  }

  /** Create, for callers that need the record (fixtures, seed): a registration sent to review is a conflict here. */
  async create(actor: Actor, input: ResidentInput & Partial<ResidencyInput> & { communityId?: string }, ip: string) {
    const r = await this.register(actor, input, ip);
    if ('reviewId' in r) throw new AppError(409, 'registry.id_duplicate', {}, [{ field: 'idNumber', code: 'registry.id_duplicate' }]);
    return r;
  }

  /** Create the resident, or (ID number held where the actor cannot see) a pending registration review. */
  async register(actor: Actor, input: ResidentInput & Partial<ResidencyInput> & { communityId?: string }, ip: string) {
    const today = this.today();
    const { value, errors } = validateResident(input, today);
    let house: PlaceRow | undefined;
    let community: PlaceRow | undefined;
    // a house or community outside the actor's scope is 404, like any record there
    if (input.houseId) {
      house = await this.places.byId(input.houseId);
      if (!house || house.kind !== 'house' || !this.k.authz.can(actor, 'create', 'Resident', { placePath: house.path }))
        throw notFound('registry.house_not_found');
      errors.push(...validateResidency({ role: input.role, relation: input.relation, moveIn: input.moveIn ?? today }, today));
    } else if (input.communityId) {
      community = await this.places.byId(input.communityId);
      if (!community || community.kind !== 'community' || !this.k.authz.can(actor, 'create', 'Resident', { placePath: community.path }))
        throw notFound('registry.place_not_found');
    } else errors.push({ field: 'houseId', code: 'registry.community_required' });
    if (errors.length) throw invalid(errors);
    const c = value as CleanResident;
    const existing = await this.residents.byIdBidx(this.idIndex(c.idNumber));
    if (existing) {
      // a record the actor can see: the usual conflict; one they cannot: a supervisor reviews the move (registration-reviews.ts)
      if (this.k.authz.can(actor, 'read', 'Resident', { placePath: existing.place_path, residentId: existing.id }))
        throw new AppError(409, 'registry.id_duplicate', {}, [{ field: 'idNumber', code: 'registry.id_duplicate' }]);
      const target = house ? { community: (await this.places.byId(house.community_id!))!, house } : { community: community! };
      return new RegistrationReviews(this.k, this).request(
        actor,
        existing,
        target,
        { name: c.name, idNumber: c.idNumber, role: input.role ?? null, relation: input.relation ?? null, moveIn: input.moveIn ?? null },
        ip,
      );
    }

    const communityId = house ? house.community_id! : community!.id;
    const row = this.buildRow(c, communityId, house ? house.path : community!.path);
    await this.k.db.transaction().execute(async (t) => {
      await this.residents.insert(row, t);
      if (house)
        await this.addResidency(t, row, house, {
          houseId: house.id,
          role: input.role!,
          relation: input.relation ?? null,
          moveIn: input.moveIn ?? today,
          householdId: input.householdId ?? null,
        });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.resident.create',
          targetType: 'resident',
          targetId: row.id,
          scopePath: row.place_path,
          subjectResidentId: row.id,
          ip,
        },
        t,
      );
    });
    await this.k.events.publish<ResidentCreated>(RESIDENT_CREATED, { residentId: row.id, communityId, placePath: row.place_path });
    return (await this.views([row]))[0];
  }

  /** Put a resident in a house: join the house's household or found one (residents.moves.ts). */
  addResidency(t: Db, r: ResidentRow, house: PlaceRow, input: ResidencyInput): Promise<ResidencyRow> {
    return new ResidentMoves(this.k, this).addResidency(t, r, house, input);
  }

  async update(actor: Actor, id: string, input: ResidentInput, ip: string) {
    const r = await this.reachable(actor, 'update', id);
    const { value, errors } = validateResident(input, this.today(), true);
    if (r.id_type === '01') {
      const idNumber = this.k.vault.decrypt(r.id_number_enc);
      const fromId = validateMainlandId17(idNumber);
      if (value.gender && fromId && value.gender !== fromId.gender) errors.push({ field: 'gender', code: 'registry.gender_mismatch' });
      if (value.birthDate && fromId && value.birthDate !== fromId.birthDate) errors.push({ field: 'birthDate', code: 'registry.birth_mismatch' });
    }
    if (errors.length) throw invalid(errors);
    const patch: Partial<ResidentRow> = { updated_at: this.k.clock.now().toISOString() };
    const changed: string[] = [];
    const set = <K extends keyof ResidentRow>(field: string, col: K, v: ResidentRow[K] | undefined) => {
      if (v === undefined || v === r[col]) return;
      patch[col] = v;
      changed.push(field);
    };
    set('name', 'name', value.name);
    set('gender', 'gender', value.gender);
    set('birthDate', 'birth_date', value.birthDate);
    set('ethnicity', 'ethnicity', value.ethnicity);
    set('note', 'note', value.note);
    set('tags', 'tags', value.tags === undefined ? undefined : JSON.stringify(value.tags));
    if (value.phone !== undefined) {
      const bidx = value.phone ? this.phoneIndex(value.phone) : null;
      if (bidx !== r.phone_bidx) {
        patch.phone_enc = this.k.vault.encryptNullable(value.phone);
        patch.phone_bidx = bidx;
        changed.push('phone');
      }
    }
    await this.k.db.transaction().execute(async (t) => {
      await this.residents.update(r.id, patch, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.resident.update',
          targetType: 'resident',
          targetId: r.id,
          scopePath: r.place_path,
          subjectResidentId: r.id,
          ip,
          detail: { fields: changed },
        },
        t,
      );
    });
    return (await this.views([(await this.residents.byId(r.id))!]))[0];
  }

  /** Move into a house (residents.moves.ts). */
  moveIn(actor: Actor, id: string, input: ResidencyInput, ip: string) {
    return new ResidentMoves(this.k, this).moveIn(actor, id, input, ip);
  }

  /** End a residency (residents.moves.ts). */
  moveOut(actor: Actor, id: string, input: { residencyId: string; moveOut: string; reason?: string }, ip: string) {
    return new ResidentMoves(this.k, this).moveOut(actor, id, input, ip);
  }

  async reveal(actor: Actor, id: string, field: 'idNumber' | 'phone', reason: string, ip: string) {
    const r = await this.reachable(actor, 'reveal', id);
    if (!reason.trim()) throw invalid([{ field: 'reason', code: 'registry.reason_required' }]);
    const value = field === 'idNumber' ? this.k.vault.decrypt(r.id_number_enc) : this.k.vault.decryptNullable(r.phone_enc);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'registry.resident.reveal',
      targetType: 'resident',
      targetId: r.id,
      scopePath: r.place_path,
      subjectResidentId: r.id,
      ip,
      detail: { field, reason: reason.trim() },
    });
    return { field, value };
  }

  /** Who did what with the resident's data (the audit module reads the kernel's log). */
  accessLog(residentId: string) {
    return auditEntries.aboutResident(this.k, residentId);
  }
}

function validateMainlandId17(idNumber: string): { gender: string; birthDate: string } | null {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return null;
  const b = idNumber.slice(6, 14);
  return { gender: Number(idNumber[16]) % 2 ? '1' : '2', birthDate: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}` };
}
