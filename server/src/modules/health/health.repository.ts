// The only code that touches the health tables (health_*), typed by HealthTables.
import type { Kysely, Transaction } from 'kysely';
import { tablesOf, type Schema } from '../../kernel/db/tables.js';
import { startsWith, type Db, type Tx } from '../../kernel/db/index.js';
import type {
  AlertRow,
  ContractRow,
  DoctorRow,
  FollowupRow,
  HealthTables,
  InstitutionRow,
  NoteRow,
  PatientRow,
  ReadingKind,
  ReadingRow,
  TeamRow,
} from './health.tables.js';

type Q = Kysely<HealthTables> | Transaction<HealthTables>;
const normReading = (r: ReadingRow): ReadingRow => ({ ...r, ts: Number(r.ts), shared: Number(r.shared) });
const normPatient = (r: PatientRow): PatientRow => ({
  ...r,
  consent: Number(r.consent),
  last_reading_at: r.last_reading_at == null ? null : Number(r.last_reading_at),
});

export class HealthRepository {
  readonly q: Kysely<HealthTables>;
  constructor(db: Db) {
    this.q = tablesOf<HealthTables>(db);
  }
  /** The same repository inside a transaction. */
  static in(tx: Tx | Transaction<Schema>): Q {
    return tablesOf<HealthTables>(tx) as unknown as Transaction<HealthTables>;
  }
  private x(tx?: Tx): Q {
    return tx ? HealthRepository.in(tx) : this.q;
  }

  // ---------- institutions, doctors, teams ----------
  insertInstitution(row: InstitutionRow, tx?: Tx) {
    return this.x(tx).insertInto('health_institutions').values(row).execute();
  }
  institution(id: string) {
    return this.q.selectFrom('health_institutions').selectAll().where('id', '=', id).executeTakeFirst();
  }
  institutions(prefixes: string[] | 'all') {
    let q = this.q.selectFrom('health_institutions').selectAll();
    if (prefixes !== 'all') {
      if (!prefixes.length) return Promise.resolve([] as InstitutionRow[]);
      q = q.where((eb) => eb.or(prefixes.map((p) => startsWith('place_path', p))));
    }
    return q.orderBy('created_at').execute();
  }
  upsertDoctor(row: DoctorRow, tx?: Tx) {
    return this.x(tx)
      .insertInto('health_doctors')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ institution_id: row.institution_id, name: row.name, title: row.title }))
      .execute();
  }
  doctor(userId: string) {
    return this.q.selectFrom('health_doctors').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }
  doctorsOf(institutionId: string) {
    return this.q.selectFrom('health_doctors').selectAll().where('institution_id', '=', institutionId).orderBy('name').execute();
  }
  insertTeam(row: TeamRow, members: { user_id: string; lead: number }[], tx?: Tx) {
    const q = this.x(tx);
    return Promise.all([
      q.insertInto('health_teams').values(row).execute(),
      members.length
        ? q
            .insertInto('health_team_members')
            .values(members.map((m) => ({ team_id: row.id, ...m })))
            .execute()
        : null,
    ]);
  }
  team(id: string) {
    return this.q.selectFrom('health_teams').selectAll().where('id', '=', id).executeTakeFirst();
  }
  teams(prefixes: string[] | 'all') {
    let q = this.q.selectFrom('health_teams').selectAll();
    if (prefixes !== 'all') {
      if (!prefixes.length) return Promise.resolve([] as TeamRow[]);
      q = q.where((eb) => eb.or(prefixes.map((p) => startsWith('place_path', p))));
    }
    return q.orderBy('created_at').execute();
  }
  teamMembers(teamId: string) {
    return this.q
      .selectFrom('health_team_members as m')
      .leftJoin('health_doctors as d', 'd.user_id', 'm.user_id')
      .select(['m.user_id', 'm.lead', 'd.name'])
      .where('m.team_id', '=', teamId)
      .execute();
  }
  async teamsOfUser(userId: string): Promise<string[]> {
    const rows = await this.q.selectFrom('health_team_members').select('team_id').where('user_id', '=', userId).execute();
    return rows.map((r) => r.team_id);
  }

  // ---------- patients ----------
  patientByBidx(bidx: string, tx?: Tx) {
    return this.x(tx)
      .selectFrom('health_patients')
      .selectAll()
      .where('link_bidx', '=', bidx)
      .executeTakeFirst()
      .then((r) => (r ? normPatient(r) : undefined));
  }
  patient(id: string, tx?: Tx) {
    return this.x(tx)
      .selectFrom('health_patients')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => (r ? normPatient(r) : undefined));
  }
  patientsByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as PatientRow[]);
    return this.q
      .selectFrom('health_patients')
      .selectAll()
      .where('id', 'in', ids)
      .execute()
      .then((rs) => rs.map(normPatient));
  }
  insertPatient(row: PatientRow, tx?: Tx) {
    return this.x(tx)
      .insertInto('health_patients')
      .values(row)
      .onConflict((oc) => oc.column('link_bidx').doNothing())
      .execute();
  }
  updatePatient(id: string, set: Partial<Pick<PatientRow, 'conditions' | 'consent' | 'consent_at' | 'last_reading_at' | 'place_path'>>, tx?: Tx) {
    return this.x(tx).updateTable('health_patients').set(set).where('id', '=', id).execute();
  }
  touchPatient(id: string, ts: number, tx?: Tx) {
    return this.x(tx)
      .updateTable('health_patients')
      .set({ last_reading_at: ts })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_reading_at', 'is', null), eb('last_reading_at', '<', ts)]))
      .execute();
  }

  // ---------- contracts ----------
  insertContract(row: ContractRow, tx?: Tx) {
    return this.x(tx).insertInto('health_contracts').values(row).execute();
  }
  contract(id: string, tx?: Tx) {
    return this.x(tx).selectFrom('health_contracts').selectAll().where('id', '=', id).executeTakeFirst();
  }
  activeContract(patientId: string, tx?: Tx) {
    return this.x(tx).selectFrom('health_contracts').selectAll().where('patient_id', '=', patientId).where('status', '=', 'active').executeTakeFirst();
  }
  contractsOfPatient(patientId: string) {
    return this.q.selectFrom('health_contracts').selectAll().where('patient_id', '=', patientId).orderBy('created_at', 'desc').execute();
  }
  activeContractsOfTeams(teamIds: string[]) {
    if (!teamIds.length) return Promise.resolve([] as ContractRow[]);
    return this.q.selectFrom('health_contracts').selectAll().where('team_id', 'in', teamIds).where('status', '=', 'active').execute();
  }
  updateContract(id: string, set: Partial<ContractRow>, tx?: Tx) {
    return this.x(tx).updateTable('health_contracts').set(set).where('id', '=', id).execute();
  }
  /** Is the user a member of the team holding the patient's active contract? */
  async isTreating(userId: string, patientId: string): Promise<string | null> {
    const r = await this.q
      .selectFrom('health_contracts as c')
      .innerJoin('health_team_members as m', 'm.team_id', 'c.team_id')
      .select('c.team_id')
      .where('c.patient_id', '=', patientId)
      .where('c.status', '=', 'active')
      .where('m.user_id', '=', userId)
      .executeTakeFirst();
    return r?.team_id ?? null;
  }

  // ---------- viewers (named family) ----------
  viewers(patientId: string) {
    return this.q.selectFrom('health_viewers').selectAll().where('patient_id', '=', patientId).execute();
  }
  isViewer(patientId: string, bidx: string) {
    return this.q.selectFrom('health_viewers').select('patient_id').where('patient_id', '=', patientId).where('viewer_bidx', '=', bidx).executeTakeFirst();
  }
  patientsViewedBy(bidx: string) {
    return this.q.selectFrom('health_viewers').select('patient_id').where('viewer_bidx', '=', bidx).execute();
  }
  async replaceViewers(patientId: string, rows: { viewer_bidx: string; viewer_enc: string; created_at: string }[], tx: Tx) {
    const q = HealthRepository.in(tx);
    await q.deleteFrom('health_viewers').where('patient_id', '=', patientId).execute();
    if (rows.length)
      await q
        .insertInto('health_viewers')
        .values(rows.map((r) => ({ patient_id: patientId, ...r })))
        .execute();
  }

  // ---------- devices ----------
  bindDevice(deviceId: string, patientId: string, at: string) {
    return this.q
      .insertInto('health_device_bindings')
      .values({ device_id: deviceId, patient_id: patientId, created_at: at })
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ patient_id: patientId, created_at: at }))
      .execute();
  }
  unbindDevice(deviceId: string) {
    return this.q.deleteFrom('health_device_bindings').where('device_id', '=', deviceId).execute();
  }
  bindings() {
    return this.q.selectFrom('health_device_bindings').selectAll().execute();
  }
  devicesOf(patientId: string) {
    return this.q.selectFrom('health_device_bindings').select('device_id').where('patient_id', '=', patientId).execute();
  }

  // ---------- readings ----------
  insertReading(row: ReadingRow, tx?: Tx) {
    return this.x(tx).insertInto('health_readings').values(row).execute();
  }
  readings(patientId: string, f: { kind?: ReadingKind; sinceMs?: number; untilMs?: number; sharedOnly?: boolean; limit?: number }) {
    let q = this.q.selectFrom('health_readings').selectAll().where('patient_id', '=', patientId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.sinceMs != null) q = q.where('ts', '>=', f.sinceMs);
    if (f.untilMs != null) q = q.where('ts', '<=', f.untilMs);
    if (f.sharedOnly) q = q.where('shared', '=', 1);
    return q
      .orderBy('ts', 'desc')
      .limit(f.limit ?? 5000)
      .execute()
      .then((rs) => rs.map(normReading));
  }
  async countElevated(patientId: string, kind: ReadingKind, sinceMs: number, tx?: Tx): Promise<number> {
    const r = await this.x(tx)
      .selectFrom('health_readings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', patientId)
      .where('kind', '=', kind)
      .where('ts', '>=', sinceMs)
      .where('shared', '=', 1)
      .where('level', '!=', 'normal')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ---------- thresholds ----------
  thresholds(patientId: string) {
    return this.q.selectFrom('health_thresholds').selectAll().where('patient_id', '=', patientId).executeTakeFirst();
  }
  putThresholds(patientId: string, params: string, by: string, at: string) {
    return this.q
      .insertInto('health_thresholds')
      .values({ patient_id: patientId, params, set_by: by, updated_at: at })
      .onConflict((oc) => oc.column('patient_id').doUpdateSet({ params, set_by: by, updated_at: at }))
      .execute();
  }

  // ---------- alerts ----------
  openAlert(patientId: string, rule: string, tx?: Tx) {
    return this.x(tx).selectFrom('health_alerts').selectAll().where('open_key', '=', `${patientId}|${rule}`).executeTakeFirst();
  }
  insertAlert(row: AlertRow, tx?: Tx) {
    return this.x(tx).insertInto('health_alerts').values(row).execute();
  }
  alert(id: string, tx?: Tx) {
    return this.x(tx).selectFrom('health_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }
  updateAlert(id: string, set: Partial<AlertRow>, tx?: Tx, whereStatus?: AlertRow['status'][]) {
    let q = this.x(tx).updateTable('health_alerts').set(set).where('id', '=', id);
    if (whereStatus) q = q.where('status', 'in', whereStatus);
    return q.executeTakeFirst().then((r) => Number(r.numUpdatedRows));
  }
  alertsOfTeams(teamIds: string[], f: { status?: 'open' | 'acknowledged' | 'closed' | 'active'; limit?: number; offset?: number }) {
    if (!teamIds.length) return Promise.resolve([] as AlertRow[]);
    let q = this.q.selectFrom('health_alerts').selectAll().where('team_id', 'in', teamIds);
    if (f.status === 'active') q = q.where('status', '!=', 'closed');
    else if (f.status) q = q.where('status', '=', f.status);
    return q
      .orderBy('opened_at', 'desc')
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0)
      .execute();
  }
  alertsOfPatient(patientId: string, limit = 50) {
    return this.q.selectFrom('health_alerts').selectAll().where('patient_id', '=', patientId).orderBy('opened_at', 'desc').limit(limit).execute();
  }
  activeAlertsOfPatients(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as AlertRow[]);
    return this.q.selectFrom('health_alerts').selectAll().where('patient_id', 'in', ids).where('status', '!=', 'closed').execute();
  }
  /** Urgent alerts nobody acknowledged since `before` and not yet escalated. */
  unacknowledgedUrgent(beforeIso: string, nowIso: string) {
    return this.q
      .selectFrom('health_alerts')
      .selectAll()
      .where('status', '=', 'open')
      .where('severity', '=', 'urgent')
      .where('escalated_at', 'is', null)
      .where('opened_at', '<=', beforeIso)
      .where((eb) => eb.or([eb('snoozed_until', 'is', null), eb('snoozed_until', '<=', nowIso)]))
      .execute();
  }
  /** Consenting patients with an active contract and a chronic condition, silent since `beforeMs`. */
  silentChronic(beforeMs: number) {
    return this.q
      .selectFrom('health_patients as p')
      .innerJoin('health_contracts as c', (j) => j.onRef('c.patient_id', '=', 'p.id').on('c.status', '=', 'active'))
      .select(['p.id', 'p.conditions', 'p.last_reading_at', 'p.created_at', 'c.team_id', 'c.place_path', 'c.created_at as contracted_at'])
      .where('p.consent', '=', 1)
      .where('p.conditions', '!=', '[]')
      .where((eb) => eb.or([eb('p.last_reading_at', 'is', null), eb('p.last_reading_at', '<', beforeMs)]))
      .execute();
  }

  // ---------- notes and follow-ups ----------
  insertNote(row: NoteRow) {
    return this.q.insertInto('health_notes').values(row).execute();
  }
  notes(patientId: string, limit = 100) {
    return this.q.selectFrom('health_notes').selectAll().where('patient_id', '=', patientId).orderBy('created_at', 'desc').limit(limit).execute();
  }
  insertFollowup(row: FollowupRow) {
    return this.q.insertInto('health_followups').values(row).execute();
  }
  followups(patientId: string) {
    return this.q.selectFrom('health_followups').selectAll().where('patient_id', '=', patientId).orderBy('visit_date', 'desc').execute();
  }
  latestFollowups(patientIds: string[]) {
    if (!patientIds.length) return Promise.resolve([] as FollowupRow[]);
    return this.q.selectFrom('health_followups').selectAll().where('patient_id', 'in', patientIds).orderBy('visit_date', 'desc').execute();
  }

  /** The patients of the teams' active contracts, with the contract's start (the doctor's panel). */
  panelPatients(teamIds: string[]) {
    if (!teamIds.length) return Promise.resolve([]);
    return this.q
      .selectFrom('health_contracts as c')
      .innerJoin('health_patients as p', 'p.id', 'c.patient_id')
      .select(['p.id', 'p.link_enc', 'p.conditions', 'p.consent', 'p.last_reading_at', 'c.start_date'])
      .where('c.team_id', 'in', teamIds)
      .where('c.status', '=', 'active')
      .execute();
  }
  /** Follow-ups of the teams' contracted patients, newest visit first. */
  followupsOfTeams(teamIds: string[]) {
    if (!teamIds.length) return Promise.resolve([]);
    return this.q
      .selectFrom('health_followups as f')
      .innerJoin('health_contracts as c', (j) => j.onRef('c.patient_id', '=', 'f.patient_id').on('c.status', '=', 'active'))
      .select(['f.patient_id', 'f.disease', 'f.next_due', 'f.control', 'f.visit_date'])
      .where('c.team_id', 'in', teamIds)
      .orderBy('f.visit_date', 'desc')
      .execute();
  }

  // ---------- aggregates ----------
  async stats(prefix: string, sinceMs: number) {
    const contracted = await this.q
      .selectFrom('health_contracts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'active')
      .where(startsWith('place_path', prefix))
      .executeTakeFirstOrThrow();
    const byCondition = await this.q
      .selectFrom('health_patients as p')
      .innerJoin('health_contracts as c', (j) => j.onRef('c.patient_id', '=', 'p.id').on('c.status', '=', 'active'))
      .select(['p.conditions'])
      .where(startsWith('p.place_path', prefix))
      .execute();
    const alerts = await this.q
      .selectFrom('health_alerts')
      .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '!=', 'closed')
      .where(startsWith('place_path', prefix))
      .groupBy('severity')
      .execute();
    const readers = await this.q
      .selectFrom('health_readings as r')
      .innerJoin('health_patients as p', 'p.id', 'r.patient_id')
      .select((eb) => eb.fn.count<number>('r.patient_id').distinct().as('n'))
      .where(startsWith('p.place_path', prefix))
      .where('r.ts', '>=', sinceMs)
      .executeTakeFirstOrThrow();
    return { contracted: Number(contracted.n), conditions: byCondition.map((r) => r.conditions), alerts, activePatients: Number(readers.n) };
  }
}
