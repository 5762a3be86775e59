// What the FHIR layer needs of the health module's data beyond recordReading / listReadings: the
// FHIR side of an Observation (status, dataAbsentReason, the code and unit as sent: table
// health_fhir_observations, migration 0036, whose SQL lives only here), one reading by id, and the
// patients an actor may reach (for the Patient search). Readings themselves are only ever written by
// recordReading; this file never writes health_readings.
import type { Kysely, Selectable } from 'kysely';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { tablesOf, type ModuleTables } from '../../kernel/db/tables.js';
import { healthOf } from './health.context.js';
import { readingView, type ReadingView } from './health.readings.js';
import type { PatientRow } from './health.tables.js';

export type FhirTables = ModuleTables<'health_fhir_observations'>;
export type FhirObservationRow = Selectable<FhirTables['health_fhir_observations']>;

const norm = (r: FhirObservationRow): FhirObservationRow => ({ ...r, ts: Number(r.ts) });

export class FhirStore {
  private q: Kysely<FhirTables>;
  constructor(private k: Kernel) {
    this.q = tablesOf<FhirTables>(k.db);
  }

  async insert(rows: FhirObservationRow[]) {
    for (let i = 0; i < rows.length; i += 200)
      await this.q
        .insertInto('health_fhir_observations')
        .values(rows.slice(i, i + 200))
        .execute();
  }

  byId(id: string) {
    return this.q
      .selectFrom('health_fhir_observations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => (r ? norm(r) : undefined));
  }

  /** A patient's FHIR-side rows in a time window (all statuses). */
  ofPatient(patientId: string, f: { sinceMs?: number; untilMs?: number } = {}) {
    let q = this.q.selectFrom('health_fhir_observations').selectAll().where('patient_id', '=', patientId);
    if (f.sinceMs != null) q = q.where('ts', '>=', f.sinceMs);
    if (f.untilMs != null) q = q.where('ts', '<=', f.untilMs);
    return q
      .orderBy('ts', 'desc')
      .execute()
      .then((rs) => rs.map(norm));
  }

  /** One reading by id with its patient (through the health repository's typed handle). */
  async reading(id: string): Promise<{ patientId: string; shared: boolean; view: ReadingView } | null> {
    const r = await healthOf(this.k).repo.q.selectFrom('health_readings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    const row = { ...r, ts: Number(r.ts), shared: Number(r.shared) };
    return { patientId: row.patient_id, shared: row.shared === 1, view: readingView(row) };
  }

  /**
   * The patients the actor may reach (the Patient search): the resident's own record, the patients
   * who named the resident as family, and a doctor's contracted patients.
   */
  async reachable(actor: Actor): Promise<PatientRow[]> {
    const h = healthOf(this.k);
    const ids = new Set<string>();
    if (actor.residentId) {
      const own = await h.patients.byResident(actor.residentId);
      if (own) ids.add(own.id);
      for (const v of await h.repo.patientsViewedBy(h.patients.viewerBidx(actor.residentId))) ids.add(v.patient_id);
    }
    if (actor.grants.some((g) => g.role === 'doctor')) {
      const teams = await h.repo.teamsOfUser(actor.userId);
      for (const c of await h.repo.activeContractsOfTeams(teams)) ids.add(c.patient_id);
    }
    return h.repo.patientsByIds([...ids]);
  }
}
