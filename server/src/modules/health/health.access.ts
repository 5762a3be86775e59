// The pseudonymous patient and who may reach one. A patient row carries no resident id: the link
// is vault ciphertext (link_enc) found by a keyed blind index (link_bidx). Who may see a patient's
// data is decided here, for every route: the members of the team holding the active contract
// (readings shared under consent only), the resident, and the household members the resident named.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Tx } from '../../kernel/db/index.js';
import { residents as registryResidents } from '../registry/index.js';
import { HealthRepository } from './health.repository.js';
import type { PatientRow } from './health.tables.js';

export type Relation = 'doctor' | 'self' | 'family';
export interface PatientAccess {
  patient: PatientRow;
  residentId: string;
  as: Relation;
  /** the actor's team holding the contract (doctor) */
  teamId: string | null;
}

/** The community part of a place path ("/reg_…/com_…/est_…/" → "/reg_…/com_…/"). */
export function communityPathOf(path: string): string {
  const i = path.indexOf('/com_');
  if (i < 0) return path;
  const j = path.indexOf('/', i + 1);
  return j < 0 ? path : path.slice(0, j + 1);
}

export class Patients {
  readonly repo: HealthRepository;
  private links = new Map<string, string>();
  constructor(private k: Kernel) {
    this.repo = new HealthRepository(k.db);
  }

  bidx(residentId: string) {
    return this.k.vault.blindIndex('health.patient', residentId);
  }
  viewerBidx(residentId: string) {
    return this.k.vault.blindIndex('health.viewer', residentId);
  }

  /** The resident behind a pseudonymous patient (decrypted; remembered in memory). */
  residentOf(p: PatientRow): string {
    return this.residentOfLink(p.id, p.link_enc);
  }
  residentOfLink(patientId: string, linkEnc: string): string {
    let r = this.links.get(patientId);
    if (!r) {
      r = this.k.vault.decrypt(linkEnc);
      if (this.links.size > 50_000) this.links.clear();
      this.links.set(patientId, r);
    }
    return r;
  }

  byResident(residentId: string, tx?: Tx) {
    return this.repo.patientByBidx(this.bidx(residentId), tx);
  }

  /** The resident's patient record, made on first need (contract signing, a first reading). */
  async ensure(residentId: string, tx?: Tx): Promise<PatientRow> {
    const found = await this.byResident(residentId, tx);
    if (found) return found;
    const r = await registryResidents.get(this.k, residentId);
    if (!r || !r.houses.length) throw notFound('health.resident_not_found');
    const row: PatientRow = {
      id: newId('pat'),
      link_enc: this.k.vault.encrypt(residentId),
      link_bidx: this.bidx(residentId),
      place_path: communityPathOf(r.houses[0].placePath),
      conditions: '[]',
      consent: 0,
      consent_at: null,
      last_reading_at: null,
      created_at: this.k.clock.now().toISOString(),
    };
    await this.repo.insertPatient(row, tx);
    return (await this.byResident(residentId, tx))!;
  }

  /**
   * May the actor reach this patient, and as whom? A patient the actor may not reach does not
   * exist for them (404). `write` = act as the treating doctor (family members only read).
   */
  async access(actor: Actor, patientId: string, mode: 'read' | 'treat' = 'read'): Promise<PatientAccess> {
    const p = await this.repo.patient(patientId);
    if (!p) throw notFound('health.patient_not_found');
    const residentId = this.residentOf(p);
    if (actor.residentId) {
      if (residentId === actor.residentId && mode === 'read') return { patient: p, residentId, as: 'self', teamId: null };
      if (mode === 'read' && (await this.repo.isViewer(p.id, this.viewerBidx(actor.residentId)))) return { patient: p, residentId, as: 'family', teamId: null };
    }
    if (this.k.authz.can(actor, mode, 'HealthPatient', { placePath: p.place_path }) && actor.grants.some((g) => g.role === 'doctor')) {
      const teamId = await this.repo.isTreating(actor.userId, p.id);
      if (teamId) return { patient: p, residentId, as: 'doctor', teamId };
    }
    throw notFound('health.patient_not_found');
  }

  /** The patient the signed-in resident is (404 when they have no health record yet). */
  async own(actor: Actor): Promise<PatientRow | null> {
    if (!actor.residentId) return null;
    return (await this.byResident(actor.residentId)) ?? null;
  }

  /** Audit a doctor's look at a patient: the resident sees it under "who looked at my data". */
  async auditView(actor: Actor, a: PatientAccess, what: string, ip?: string) {
    if (a.as !== 'doctor') return;
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'health.patient.view',
      targetType: 'HealthRecord',
      // no pseudonymous id here: the audit log must not link the patient id to the resident
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      ip: ip ?? null,
      detail: { what },
    });
  }
}
