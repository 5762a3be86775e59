// Institutions (社区卫生服务中心/站), their doctors, family-doctor teams, contracts (家庭医生签约)
// with renewal and ending, the separate health-data consent and the family members a resident
// names. Every change is audited; entries about a resident carry subject_resident_id and never the
// pseudonymous patient id (the audit log must not link the two).
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { conflict, invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { localDate } from '../../kernel/time.js';
import { places, residents as registryResidents, ResidentsService } from '../registry/index.js';
import { usersCovering } from '../identity/index.js';
import { getDevice } from '../devices/index.js';
import { healthOf } from './health.context.js';
import { DEVICE_BINDING_CHANGED } from './health.events.js';
import type { ContractRow, PatientRow, TeamRow } from './health.tables.js';
import type { Static } from '@sinclair/typebox';
import type * as S from './health.schema.js';

export const HEALTH_DEVICE_TYPES = ['bp_monitor', 'glucometer', 'oximeter', 'scale'];

export class HealthSetup {
  constructor(private k: Kernel) {}
  private get h() {
    return healthOf(this.k);
  }
  private get repo() {
    return this.h.repo;
  }

  private audit(actor: Actor, action: string, targetType: string, targetId: string | null, scopePath: string, subjectResidentId: string | null, detail = {}) {
    return this.k.audit.record({ actorId: actor.userId, actorName: actor.name, action, targetType, targetId, scopePath, subjectResidentId, detail });
  }

  // ---------- institutions ----------
  async createInstitution(actor: Actor, b: Static<typeof S.InstitutionBody>) {
    const c = await places.getPlace(this.k, b.communityId);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'manage', 'HealthSetup', { placePath: c.path }))
      throw notFound('health.institution_not_found');
    const row = { id: newId('hin'), community_id: c.id, place_path: c.path, name: b.name, kind: b.kind, created_at: this.k.clock.now().toISOString() };
    await this.repo.insertInstitution(row);
    await this.audit(actor, 'health.institution.create', 'HealthInstitution', row.id, c.path, null, { name: b.name });
    return institutionView(row);
  }
  async listInstitutions(actor: Actor) {
    const reach = this.k.authz.reach(actor, 'read', 'HealthSetup');
    return { items: (await this.repo.institutions(reach.all ? 'all' : reach.prefixes)).map(institutionView) };
  }
  private async institutionFor(actor: Actor, id: string, action: 'read' | 'manage') {
    const i = await this.repo.institution(id);
    if (!i || !this.k.authz.can(actor, action, 'HealthSetup', { placePath: i.place_path })) throw notFound('health.institution_not_found');
    return i;
  }
  async addDoctor(actor: Actor, institutionId: string, b: Static<typeof S.DoctorBody>) {
    const i = await this.institutionFor(actor, institutionId, 'manage');
    const doctors = await usersCovering(this.k, i.place_path, ['doctor']);
    if (!doctors.some((d) => d.userId === b.userId)) throw invalid([{ field: 'userId', code: 'health.not_a_doctor' }]);
    const row = { user_id: b.userId, institution_id: i.id, name: b.name, title: b.title ?? null, created_at: this.k.clock.now().toISOString() };
    await this.repo.upsertDoctor(row);
    await this.audit(actor, 'health.doctor.add', 'HealthInstitution', i.id, i.place_path, null, { userId: b.userId });
    return doctorView(row);
  }
  async listDoctors(actor: Actor, institutionId: string) {
    const i = await this.institutionFor(actor, institutionId, 'read');
    return { items: (await this.repo.doctorsOf(i.id)).map(doctorView) };
  }

  // ---------- teams ----------
  async createTeam(actor: Actor, b: Static<typeof S.TeamBody>) {
    const i = await this.institutionFor(actor, b.institutionId, 'manage');
    const doctors = new Set((await this.repo.doctorsOf(i.id)).map((d) => d.user_id));
    const bad = b.members.findIndex((m) => !doctors.has(m.userId));
    if (bad >= 0) throw invalid([{ field: `members.${bad}.userId`, code: 'health.not_a_doctor' }]);
    const row: TeamRow = { id: newId('htm'), institution_id: i.id, place_path: i.place_path, name: b.name, created_at: this.k.clock.now().toISOString() };
    await this.repo.insertTeam(
      row,
      b.members.map((m) => ({ user_id: m.userId, lead: m.lead ? 1 : 0 })),
    );
    await this.audit(actor, 'health.team.create', 'HealthTeam', row.id, i.place_path, null, { name: b.name, members: b.members.map((m) => m.userId) });
    return this.teamView(row);
  }
  async listTeams(actor: Actor) {
    const reach = this.k.authz.reach(actor, 'read', 'HealthSetup');
    const rows = await this.repo.teams(reach.all ? 'all' : reach.prefixes);
    return { items: await Promise.all(rows.map((t) => this.teamView(t))) };
  }
  async teamView(t: TeamRow) {
    const members = await this.repo.teamMembers(t.id);
    return {
      id: t.id,
      institutionId: t.institution_id,
      name: t.name,
      members: members.map((m) => ({ userId: m.user_id, name: m.name ?? null, lead: Number(m.lead) === 1 })),
    };
  }

  // ---------- contracts ----------
  private async myTeam(actor: Actor, teamId: string) {
    const t = await this.repo.team(teamId);
    if (!t || !this.k.authz.can(actor, 'treat', 'HealthPatient', { placePath: t.place_path })) throw notFound('health.team_not_found');
    // a team the actor is not a member of does not exist for them
    if (!(await this.repo.teamsOfUser(actor.userId)).includes(t.id)) throw notFound('health.team_not_found');
    return t;
  }

  async sign(actor: Actor, b: Static<typeof S.ContractBody>) {
    const team = await this.myTeam(actor, b.teamId);
    const r = await registryResidents.get(this.k, b.residentId);
    if (!r || r.status !== 'active' || !r.houses.some((x) => x.placePath.startsWith(team.place_path))) throw notFound('health.resident_not_found');
    if (b.endDate <= b.startDate) throw invalid([{ field: 'endDate', code: 'health.bad_dates' }]);
    const p = await this.h.patients.ensure(r.id);
    if (await this.repo.activeContract(p.id)) throw conflict('health.already_contracted');
    const now = this.k.clock.now().toISOString();
    const row: ContractRow = {
      id: newId('hct'),
      patient_id: p.id,
      team_id: team.id,
      place_path: team.place_path,
      package: b.package,
      signed_by: b.signedBy,
      guardian_enc: b.signedBy === 'guardian' ? this.k.vault.encryptNullable(b.guardianName ?? null) : null,
      start_date: b.startDate,
      end_date: b.endDate,
      status: 'active',
      renewals: 0,
      ended_at: null,
      end_reason: null,
      created_by: actor.userId,
      created_at: now,
    };
    await this.k.db.transaction().execute(async (tx) => {
      await this.repo.insertContract(row, tx);
      const set: Partial<PatientRow> = { place_path: team.place_path };
      if (b.conditions) set.conditions = JSON.stringify(b.conditions);
      if (b.consent) Object.assign(set, { consent: 1, consent_at: now });
      await this.repo.updatePatient(p.id, set, tx);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'health.contract.sign',
          targetType: 'HealthContract',
          targetId: null,
          scopePath: team.place_path,
          subjectResidentId: r.id,
          detail: { team: team.name, package: b.package, signedBy: b.signedBy, start: b.startDate, end: b.endDate, consent: !!b.consent },
        },
        tx,
      );
    });
    return this.contractView(row);
  }

  /** A contract the actor's team holds (doctor) — others get 404. */
  private async teamContract(actor: Actor, id: string) {
    const c = await this.repo.contract(id);
    if (!c) throw notFound('health.contract_not_found');
    const team = await this.repo.team(c.team_id);
    if (
      !team ||
      !this.k.authz.can(actor, 'treat', 'HealthPatient', { placePath: c.place_path }) ||
      !(await this.repo.teamsOfUser(actor.userId)).includes(c.team_id)
    )
      throw notFound('health.contract_not_found');
    return c;
  }

  async renew(actor: Actor, id: string, endDate: string) {
    const c = await this.teamContract(actor, id);
    if (c.status !== 'active') throw conflict('health.contract_ended');
    if (endDate <= c.end_date) throw invalid([{ field: 'endDate', code: 'health.bad_dates' }]);
    await this.repo.updateContract(c.id, { end_date: endDate, renewals: Number(c.renewals) + 1 });
    const p = (await this.repo.patient(c.patient_id))!;
    await this.audit(actor, 'health.contract.renew', 'HealthContract', null, c.place_path, this.h.patients.residentOf(p), { from: c.end_date, to: endDate });
    return this.contractView({ ...c, end_date: endDate, renewals: Number(c.renewals) + 1 });
  }

  async end(actor: Actor, c: ContractRow, reason: string) {
    if (c.status !== 'active') throw conflict('health.contract_ended');
    const at = this.k.clock.now().toISOString();
    await this.repo.updateContract(c.id, { status: 'ended', ended_at: at, end_reason: reason });
    const p = (await this.repo.patient(c.patient_id))!;
    await this.audit(actor, 'health.contract.end', 'HealthContract', null, c.place_path, this.h.patients.residentOf(p), { reason });
    return this.contractView({ ...c, status: 'ended', ended_at: at, end_reason: reason });
  }
  async endByTeam(actor: Actor, id: string, reason: string) {
    return this.end(actor, await this.teamContract(actor, id), reason);
  }

  async listContracts(actor: Actor) {
    const teams = await this.repo.teamsOfUser(actor.userId);
    return { items: await Promise.all((await this.repo.activeContractsOfTeams(teams)).map((c) => this.contractView(c))) };
  }

  async contractView(c: ContractRow) {
    const team = await this.repo.team(c.team_id);
    return {
      id: c.id,
      patientId: c.patient_id,
      teamId: c.team_id,
      teamName: team?.name ?? '',
      package: c.package,
      signedBy: c.signed_by,
      guardianName: this.k.vault.decryptNullable(c.guardian_enc),
      startDate: c.start_date,
      endDate: c.end_date,
      status: c.status,
      renewals: Number(c.renewals),
      endedAt: c.ended_at,
      endReason: c.end_reason,
    };
  }

  // ---------- consent and family (the resident) ----------
  async setConsent(actor: Actor, grant: boolean) {
    const p = await this.h.patients.ensure(actor.residentId!);
    const now = this.k.clock.now().toISOString();
    await this.repo.updatePatient(p.id, { consent: grant ? 1 : 0, consent_at: now });
    await this.audit(actor, grant ? 'health.consent.grant' : 'health.consent.withdraw', 'HealthConsent', null, p.place_path, actor.residentId, {});
  }

  /** The members of the resident's households (who may be named to see the readings). */
  async household(residentId: string) {
    const me = await registryResidents.get(this.k, residentId);
    if (!me) return [];
    const households = new Set(me.houses.map((h) => h.householdId).filter(Boolean));
    const out: { residentId: string; name: string }[] = [];
    const svc = new ResidentsService(this.k);
    for (const h of me.houses) {
      for (const r of await svc.residents.currentOfHouse(h.houseId)) {
        if (r.resident_id === residentId || out.some((o) => o.residentId === r.resident_id)) continue;
        if (r.household_id && !households.has(r.household_id)) continue;
        const person = await registryResidents.get(this.k, r.resident_id);
        if (person) out.push({ residentId: person.id, name: person.name });
      }
    }
    return out;
  }

  async setFamily(actor: Actor, ids: string[]) {
    const allowed = new Map((await this.household(actor.residentId!)).map((m) => [m.residentId, m.name]));
    const bad = ids.findIndex((id) => !allowed.has(id));
    if (bad >= 0) throw invalid([{ field: `residentIds.${bad}`, code: 'health.not_household_member' }]);
    const p = await this.h.patients.ensure(actor.residentId!);
    const now = this.k.clock.now().toISOString();
    await this.k.db.transaction().execute(async (tx) => {
      await this.repo.replaceViewers(
        p.id,
        ids.map((id) => ({ viewer_bidx: this.h.patients.viewerBidx(id), viewer_enc: this.k.vault.encrypt(id), created_at: now })),
        tx,
      );
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'health.family.set',
          targetType: 'HealthConsent',
          targetId: null,
          scopePath: p.place_path,
          subjectResidentId: actor.residentId,
          detail: { names: ids.map((id) => allowed.get(id)) },
        },
        tx,
      );
    });
  }

  // ---------- home devices ----------
  async bindDevice(actor: Actor, deviceId: string, residentId: string) {
    const d = await getDevice(this.k, deviceId);
    if (!d) throw notFound('health.device_not_found');
    if (!HEALTH_DEVICE_TYPES.includes(d.typeCode)) throw invalid([{ field: 'deviceId', code: 'health.device_not_health' }]);
    const p = await this.h.patients.byResident(residentId);
    if (!p) throw notFound('health.patient_not_found');
    const a = await this.h.patients.access(actor, p.id, 'treat');
    if (!d.placePath.startsWith(a.patient.place_path)) throw notFound('health.device_not_found');
    await this.repo.bindDevice(d.id, p.id, this.k.clock.now().toISOString());
    this.h.bindings.set(d.id, p.id);
    await this.k.events.publish(DEVICE_BINDING_CHANGED, { deviceId: d.id, patientId: p.id });
    await this.audit(actor, 'health.device.bind', 'Device', d.id, a.patient.place_path, residentId, { device: d.name });
    return { ok: true };
  }
  async unbindDevice(actor: Actor, deviceId: string) {
    const patientId = this.h.bindings.get(deviceId);
    if (!patientId) throw notFound('health.device_not_found');
    const a = await this.h.patients.access(actor, patientId, 'treat');
    await this.repo.unbindDevice(deviceId);
    this.h.bindings.delete(deviceId);
    await this.k.events.publish(DEVICE_BINDING_CHANGED, { deviceId, patientId: null });
    await this.audit(actor, 'health.device.unbind', 'Device', deviceId, a.patient.place_path, a.residentId, {});
    return { ok: true };
  }
}

export const institutionView = (r: { id: string; community_id: string; name: string; kind: string; created_at: string }) => ({
  id: r.id,
  communityId: r.community_id,
  name: r.name,
  kind: r.kind,
  createdAt: r.created_at,
});
const doctorView = (r: { user_id: string; institution_id: string; name: string; title: string | null }) => ({
  userId: r.user_id,
  institutionId: r.institution_id,
  name: r.name,
  title: r.title,
});
export const today = (k: Kernel) => localDate(k.clock.now());
