// The resident's side: my health record (contract, consent, named family), my readings (entered
// here or from my devices), advice and assessments, my alerts, and the readings of family members
// who named me. Aggregates for staff with small-cell suppression live here too.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { notFound } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import { healthOf } from './health.context.js';
import { patientThresholds, recordReading } from './health.readings.js';
import { defaultThresholds } from './health.thresholds.js';
import type { HealthSetup } from './health.setup.js';
import type { Workbench } from './health.workbench.js';
import type { Static } from '@sinclair/typebox';
import type * as S from './health.schema.js';

/** Counts below this are not shown to anyone outside the treating team (small-cell suppression). */
export const MIN_CELL = 5;
const suppress = (n: number) => (n < MIN_CELL ? null : n);

export class HealthPortal {
  constructor(
    private k: Kernel,
    private setup: HealthSetup,
    private wb: Workbench,
  ) {}
  private get h() {
    return healthOf(this.k);
  }

  async mine(actor: Actor) {
    const p = await this.h.patients.own(actor);
    const household = await this.setup.household(actor.residentId!);
    if (!p)
      return {
        patientId: null,
        contract: null,
        consent: false,
        consentAt: null,
        family: [],
        household,
        thresholds: { ...defaultThresholds } as unknown as Record<string, number>,
      };
    const contract = await this.h.repo.activeContract(p.id);
    const viewers = (await this.h.repo.viewers(p.id)).map((v) => this.k.vault.decrypt(v.viewer_enc));
    const names = await this.h.people(viewers);
    return {
      patientId: p.id,
      contract: contract ? await this.setup.contractView(contract) : null,
      consent: p.consent === 1,
      consentAt: p.consent_at,
      family: viewers.map((id) => ({ residentId: id, name: names.get(id)?.name ?? '' })),
      household,
      thresholds: { ...(await patientThresholds(this.k, p.id)) } as unknown as Record<string, number>,
    };
  }

  async consent(actor: Actor, grant: boolean) {
    await this.setup.setConsent(actor, grant);
    return this.mine(actor);
  }
  async family(actor: Actor, ids: string[]) {
    await this.setup.setFamily(actor, ids);
    return this.mine(actor);
  }
  async endContract(actor: Actor, reason: string) {
    const p = await this.h.patients.own(actor);
    const c = p ? await this.h.repo.activeContract(p.id) : undefined;
    if (!c) throw notFound('health.no_contract');
    await this.setup.end(actor, c, reason);
    return this.mine(actor);
  }

  async enter(actor: Actor, b: Static<typeof S.ReadingBody>) {
    const p = await this.h.patients.ensure(actor.residentId!);
    return recordReading(this.k, { ...b, patientId: p.id, source: 'portal', ts: b.takenAt ? Date.parse(b.takenAt) : undefined });
  }
  async readings(actor: Actor, q: Static<typeof S.ReadingsQuery>) {
    const p = await this.h.patients.own(actor);
    if (!p) return { items: [] };
    return this.wb.readings(actor, await this.h.patients.access(actor, p.id), q, '');
  }
  async notes(actor: Actor) {
    const p = await this.h.patients.own(actor);
    if (!p) return { items: [] };
    return this.wb.notes(await this.h.patients.access(actor, p.id));
  }
  async alerts(actor: Actor) {
    const p = await this.h.patients.own(actor);
    if (!p) return { items: [] };
    return { items: (await this.h.repo.alertsOfPatient(p.id)).map((a) => this.wb.alertView(a, null)) };
  }

  async familyPatients(actor: Actor) {
    const rows = await this.h.repo.patientsViewedBy(this.h.patients.viewerBidx(actor.residentId!));
    const patients = await this.h.repo.patientsByIds(rows.map((r) => r.patient_id));
    const res = patients.map((p) => ({ id: p.id, resident: this.h.patients.residentOf(p) }));
    const names = await this.h.people(res.map((r) => r.resident));
    return { items: res.map((r) => ({ patientId: r.id, name: names.get(r.resident)?.name ?? '' })) };
  }
  async familyReadings(actor: Actor, patientId: string, q: Static<typeof S.ReadingsQuery>) {
    const a = await this.h.patients.access(actor, patientId, 'read');
    if (a.as !== 'family') throw notFound('health.patient_not_found');
    return this.wb.readings(actor, a, q, '');
  }

  /** Aggregates of a community for staff, property, guards and supervisors; cells below MIN_CELL suppressed. */
  async stats(actor: Actor, communityId: string) {
    const c = await places.getPlace(this.k, communityId);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'read', 'HealthStats', { placePath: c.path })) throw notFound('health.not_found');
    const s = await this.h.repo.stats(c.path, this.k.clock.now().getTime() - 7 * 86_400_000);
    const conds = s.conditions.map((x) => JSON.parse(x) as string[]);
    const alert = (sev: string) => Number(s.alerts.find((a) => a.severity === sev)?.n ?? 0);
    return {
      communityId: c.id,
      minCell: MIN_CELL,
      contracted: suppress(s.contracted),
      hypertension: suppress(conds.filter((x) => x.includes('hypertension')).length),
      diabetes: suppress(conds.filter((x) => x.includes('diabetes')).length),
      activeLast7Days: suppress(s.activePatients),
      openAlertsHigh: suppress(alert('high')),
      openAlertsUrgent: suppress(alert('urgent')),
    };
  }
}

export const needResident = (actor: Actor) => {
  if (!actor.residentId) throw notFound('health.resident_not_found');
};
