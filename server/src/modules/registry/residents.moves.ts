// Residents moving in and out of houses: a residency starts (joining the house's household or
// founding one) or ends, with the outbox events door access follows.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Db } from '../../kernel/db/index.js';
import { newId } from '../../kernel/ids.js';
import { invalid, notFound } from '../../kernel/http/errors.js';
import type { PlaceRow } from './places.repository.js';
import type { ResidencyRow, ResidentRow } from './residents.repository.js';
import { validateResidency, checkDate } from './resident.validation.js';
import { RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT, type ResidentMovedIn, type ResidentMovedOut } from './registry.events.js';
import type { PlacesRepository } from './places.repository.js';
import type { Residency } from './registry.schema.js';
import type { ResidentsRepository } from './residents.repository.js';

export interface ResidencyInput {
  houseId: string;
  role: string;
  relation?: string | null;
  moveIn: string;
  householdId?: string | null;
}

/** What the moves use of the residents service (which passes itself; typed here so that the import
 * runs one way, service to moves). */
interface MovesHost {
  readonly residents: ResidentsRepository;
  readonly places: PlacesRepository;
  today(): string;
  labels(houseIds: string[]): Promise<Map<string, string>>;
  residencyView(x: ResidencyRow, labels: Map<string, string>): Residency;
  reachable(actor: Actor, action: string, id: string): Promise<ResidentRow>;
}

export class ResidentMoves {
  constructor(
    private k: Kernel,
    private svc: MovesHost,
  ) {}

  /** Put a resident in a house: join the house's household or found one. */
  async addResidency(t: Db, r: ResidentRow, house: PlaceRow, input: ResidencyInput): Promise<ResidencyRow> {
    let householdId = input.householdId ?? null;
    if (householdId) {
      const hh = await this.svc.places.householdById(householdId, t);
      if (!hh || hh.house_id !== house.id) throw invalid([{ field: 'householdId', code: 'registry.house_not_found' }]);
    } else {
      const existing = await this.svc.places.householdsOfHouse(house.id, t);
      if (existing.length) householdId = existing[0].id;
      else {
        householdId = newId('hh');
        await this.svc.places.insertHousehold(
          {
            id: householdId,
            house_id: house.id,
            community_id: house.community_id!,
            place_path: house.path,
            householder_id: r.id,
            created_at: this.k.clock.now().toISOString(),
            dissolved_at: null,
          },
          t,
        );
      }
    }
    const rs: ResidencyRow = {
      id: newId('rsd'),
      resident_id: r.id,
      house_id: house.id,
      household_id: householdId,
      community_id: house.community_id!,
      place_path: house.path,
      role: input.role,
      relation: input.relation ?? null,
      move_in: input.moveIn,
      move_out: null,
      move_out_reason: null,
      created_at: this.k.clock.now().toISOString(),
    };
    await this.svc.residents.insertResidency(rs, t);
    if (r.place_path !== house.path || r.status !== 'active')
      await this.svc.residents.update(r.id, { place_path: house.path, status: 'active', updated_at: rs.created_at }, t);
    return rs;
  }

  async moveIn(actor: Actor, id: string, input: ResidencyInput, ip: string) {
    const r = await this.svc.reachable(actor, 'update', id);
    const today = this.svc.today();
    const errors = validateResidency(input, today);
    const house = await this.svc.places.byId(input.houseId);
    if (!house || house.kind !== 'house' || !this.k.authz.can(actor, 'update', 'Resident', { placePath: house.path }))
      errors.push({ field: 'houseId', code: 'registry.house_not_found' });
    else if (house.community_id !== r.community_id) errors.push({ field: 'houseId', code: 'registry.wrong_community' });
    if (errors.length) throw invalid(errors);
    const current = await this.svc.residents.residenciesOf([r.id]);
    if (current.some((x) => !x.move_out && x.house_id === house!.id)) throw invalid([{ field: 'houseId', code: 'registry.already_living_here' }]);
    // moves go out through the outbox: door access follows them and must not miss one
    const { rs, eventId } = await this.k.db.transaction().execute(async (t) => {
      const rs = await this.addResidency(t, r, house!, input);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.resident.move_in',
          targetType: 'resident',
          targetId: r.id,
          scopePath: house!.path,
          subjectResidentId: r.id,
          ip,
          detail: { houseId: house!.id, role: input.role },
        },
        t,
      );
      const eventId = await this.k.outbox.add<ResidentMovedIn>(t, RESIDENT_MOVED_IN, { residentId: r.id, houseId: house!.id, communityId: r.community_id });
      return { rs, eventId };
    });
    await this.k.outbox.relay([eventId]);
    return this.svc.residencyView(rs, await this.svc.labels([rs.house_id]));
  }

  async moveOut(actor: Actor, id: string, input: { residencyId: string; moveOut: string; reason?: string }, ip: string) {
    const r = await this.svc.reachable(actor, 'update', id);
    const rs = await this.svc.residents.residencyById(input.residencyId);
    if (!rs || rs.resident_id !== r.id) throw notFound('registry.residency_not_found');
    const errors: { field: string; code: string }[] = [];
    checkDate('moveOut', input.moveOut, this.svc.today(), errors);
    if (!errors.length && input.moveOut < rs.move_in) errors.push({ field: 'moveOut', code: 'registry.move_out_before_in' });
    if (rs.move_out) errors.push({ field: 'residencyId', code: 'registry.already_moved_out' });
    if (errors.length) throw invalid(errors);
    const at = this.k.clock.now().toISOString();
    const eventId = await this.k.db.transaction().execute(async (t) => {
      await this.svc.residents.updateResidency(rs.id, { move_out: input.moveOut, move_out_reason: input.reason?.trim() || null }, t);
      const rest = (await this.svc.residents.residenciesOf([r.id], t)).filter((x) => !x.move_out);
      // Still scoped where they lived last, so the estate's staff keep the history.
      await this.svc.residents.update(r.id, rest.length ? { place_path: rest[0].place_path, updated_at: at } : { status: 'moved_out', updated_at: at }, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.resident.move_out',
          targetType: 'resident',
          targetId: r.id,
          scopePath: rs.place_path,
          subjectResidentId: r.id,
          ip,
          detail: { residencyId: rs.id, houseId: rs.house_id, moveOut: input.moveOut },
        },
        t,
      );
      return this.k.outbox.add<ResidentMovedOut>(t, RESIDENT_MOVED_OUT, {
        residentId: r.id,
        houseId: rs.house_id,
        communityId: r.community_id,
        stillLivesInCommunity: rest.length > 0,
      });
    });
    await this.k.outbox.relay([eventId]);
    const updated = await this.svc.residents.residencyById(rs.id);
    return this.svc.residencyView(updated!, await this.svc.labels([rs.house_id]));
  }
}
