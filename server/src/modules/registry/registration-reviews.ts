// Registration reviews (docs/security/misc.md, "Registering a person already registered elsewhere").
// When staff register a person whose ID number is already held by a resident record they cannot
// see (another community), the registration is not refused with "exists" (which told staff that
// the person lives somewhere else, and let them probe ID numbers). It is kept, encrypted, as a
// pending review for a supervisor whose scope covers both communities (or a platform admin), who
// approves the move (the record moves to the new community; the old residencies end) or rejects
// it. The staff get 202 Accepted and can follow only their own request's status.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { maskIdNumber, registerEncryptedColumns } from '../../kernel/vault/index.js';
import type { Db } from '../../kernel/db/index.js';
import type { Review } from './registry.schema.js';
import { ReviewsRepository, type ReviewRow } from './registration-reviews.repository.js';
import type { ReviewStatus } from './registry.tables.js';
import type { Transaction } from 'kysely';
import type { Schema } from '../../kernel/db/tables.js';

export type { ReviewRow } from './registration-reviews.repository.js';
import type { PlaceRow, PlacesRepository } from './places.repository.js';
import type { ResidencyRow, ResidentRow, ResidentsRepository } from './residents.repository.js';
import { RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT, type ResidentMovedIn, type ResidentMovedOut } from './registry.events.js';

/**
 * What a review needs of the residents service (ResidentsService fits it). Declared here so the
 * service, which opens reviews, and the reviews, which move residents, do not import each other.
 */
export interface ResidentMoves {
  readonly residents: ResidentsRepository;
  readonly places: PlacesRepository;
  today(): string;
  labels(houseIds: string[]): Promise<Map<string, string>>;
  addResidency(
    t: Db,
    r: ResidentRow,
    house: PlaceRow,
    input: { houseId: string; role: string; relation?: string | null; moveIn: string; householdId?: string | null },
  ): Promise<ResidencyRow>;
}

registerEncryptedColumns({ table: 'registration_reviews', idColumn: 'id', columns: ['payload_enc'] });

/** What the registering staff submitted (kept encrypted: it holds the ID number and phone). */
export interface ReviewPayload {
  name: string;
  idNumber: string;
  role?: string | null;
  relation?: string | null;
  moveIn?: string | null;
  householdId?: string | null;
}

export class RegistrationReviews {
  private repo: ReviewsRepository;
  constructor(
    private k: Kernel,
    private residents: ResidentMoves,
  ) {
    this.repo = new ReviewsRepository(k.db);
  }

  private now() {
    return this.k.clock.now().toISOString();
  }

  /** A pending review for this registration (one per person and community: asking again returns it). */
  async request(actor: Actor, existing: ResidentRow, target: { community: PlaceRow; house?: PlaceRow }, p: ReviewPayload, ip: string) {
    const pending = await this.repo.pendingFor(existing.id_number_bidx, target.community.id);
    const id = pending?.id ?? newId('rrv');
    if (!pending) {
      const row: ReviewRow = {
        id,
        community_id: target.community.id,
        place_path: target.house?.path ?? target.community.path,
        house_id: target.house?.id ?? null,
        existing_resident_id: existing.id,
        existing_path: existing.place_path,
        id_number_bidx: existing.id_number_bidx,
        payload_enc: this.k.vault.encrypt(JSON.stringify(p)),
        status: 'pending',
        requested_by: actor.userId,
        requested_at: this.now(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
      };
      await this.k.db.transaction().execute(async (t) => {
        await this.repo.insert(row, t);
        await this.k.audit.record(
          {
            actorId: actor.userId,
            actorName: actor.name,
            action: 'registry.review.request',
            targetType: 'registration_review',
            targetId: id,
            scopePath: row.place_path,
            subjectResidentId: existing.id,
            ip,
          },
          t,
        );
      });
    }
    return { status: 'pending_review' as const, reviewId: id };
  }

  /** May the actor decide it: a scope over both the community asked for and the one holding the record. */
  private mayDecide(actor: Actor, r: ReviewRow) {
    return (
      this.k.authz.can(actor, 'decide', 'RegistrationReview', { placePath: r.place_path }) &&
      this.k.authz.can(actor, 'decide', 'RegistrationReview', { placePath: r.existing_path })
    );
  }

  private async view(r: ReviewRow, full: boolean): Promise<Review> {
    const base = { id: r.id, status: r.status, communityId: r.community_id, houseId: r.house_id, requestedAt: r.requested_at, decidedAt: r.decided_at };
    if (!full) return base;
    const p = JSON.parse(this.k.vault.decrypt(r.payload_enc)) as ReviewPayload;
    const labels = r.house_id ? await this.residents.labels([r.house_id]) : new Map<string, string>();
    return {
      ...base,
      name: p.name,
      idNumberMasked: maskIdNumber(p.idNumber),
      houseLabel: r.house_id ? (labels.get(r.house_id) ?? null) : null,
      role: p.role ?? null,
      existingResidentId: r.existing_resident_id,
      existingPlacePath: r.existing_path,
      requestedBy: r.requested_by,
      decidedBy: r.decided_by,
      decisionNote: r.decision_note,
    };
  }

  /** Supervisors: the reviews they may decide, in full. Staff: the requests they made, status only. */
  async list(actor: Actor, status?: ReviewStatus) {
    const rows = await this.repo.list(status);
    const items = [];
    for (const r of rows) {
      if (this.mayDecide(actor, r)) items.push(await this.view(r, true));
      else if (r.requested_by === actor.userId) items.push(await this.view(r, false));
    }
    return { items };
  }

  private async decidable(actor: Actor, id: string) {
    const r = await this.repo.byId(id);
    if (!r || !this.mayDecide(actor, r)) throw notFound('registry.review_not_found');
    if (r.status !== 'pending') throw new AppError(409, 'registry.review_decided');
    return r;
  }

  /** Claim the review inside the transaction: a second approval (or a race) finds it decided. */
  private async claim(t: Transaction<Schema>, r: ReviewRow, actor: Actor, status: 'approved' | 'rejected', note: string | null) {
    if (!(await this.repo.claim(t, r.id, { status, decided_by: actor.userId, decided_at: this.now(), decision_note: note })))
      throw new AppError(409, 'registry.review_decided');
  }

  /** Approve the move: the person's record moves to the new community; where they lived before ends today. */
  async approve(actor: Actor, id: string, note: string | undefined, ip: string) {
    const r = await this.decidable(actor, id);
    const p = JSON.parse(this.k.vault.decrypt(r.payload_enc)) as ReviewPayload;
    const house = r.house_id ? await this.residents.places.byId(r.house_id) : undefined;
    if (r.house_id && (!house || house.kind !== 'house')) throw new AppError(409, 'registry.review_house_gone');
    const today = this.residents.today();
    const events = await this.k.db.transaction().execute(async (t) => {
      await this.claim(t, r, actor, 'approved', note?.trim() || null);
      const person = (await this.residents.residents.byId(r.existing_resident_id, t))!;
      const ids: string[] = [];
      for (const rs of (await this.residents.residents.residenciesOf([person.id], t)).filter((x) => !x.move_out)) {
        await this.residents.residents.updateResidency(
          rs.id,
          { move_out: today < rs.move_in ? rs.move_in : today, move_out_reason: 'moved_to_other_community' },
          t,
        );
        ids.push(
          await this.k.outbox.add<ResidentMovedOut>(t, RESIDENT_MOVED_OUT, {
            residentId: person.id,
            houseId: rs.house_id,
            communityId: rs.community_id,
            stillLivesInCommunity: false,
          }),
        );
      }
      const moved = { ...person, community_id: r.community_id, place_path: r.place_path, status: 'active' as const, updated_at: this.now() };
      await this.residents.residents.update(
        person.id,
        { community_id: moved.community_id, place_path: moved.place_path, status: 'active', updated_at: moved.updated_at },
        t,
      );
      if (house) {
        await this.residents.addResidency(t, moved as ResidentRow, house, {
          houseId: house.id,
          role: p.role ?? 'tenant',
          relation: p.relation ?? null,
          moveIn: p.moveIn ?? today,
          householdId: null,
        });
        ids.push(await this.k.outbox.add<ResidentMovedIn>(t, RESIDENT_MOVED_IN, { residentId: person.id, houseId: house.id, communityId: r.community_id }));
      }
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.review.approve',
          targetType: 'registration_review',
          targetId: r.id,
          scopePath: r.place_path,
          subjectResidentId: person.id,
          ip,
          detail: { from: r.existing_path },
        },
        t,
      );
      return ids;
    });
    await this.k.outbox.relay(events);
    return this.view((await this.repo.byId(id))!, true);
  }

  async reject(actor: Actor, id: string, note: string | undefined, ip: string) {
    const r = await this.decidable(actor, id);
    await this.k.db.transaction().execute(async (t) => {
      await this.claim(t, r, actor, 'rejected', note?.trim() || null);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'registry.review.reject',
          targetType: 'registration_review',
          targetId: r.id,
          scopePath: r.place_path,
          subjectResidentId: r.existing_resident_id,
          ip,
        },
        t,
      );
    });
    return this.view((await this.repo.byId(id))!, true);
  }
}
