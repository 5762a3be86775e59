// The health routes: thin — validate, authorize (route level here, record level in the services),
// call the service. /api/v1/health/* is the doctor's workbench and the setup; /api/v1/me/health/*
// the resident's own data.
import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './health.schema.js';
import type { HealthSetup } from './health.setup.js';
import type { Workbench } from './health.workbench.js';
import { needResident, type HealthPortal } from './health.portal.js';
import { healthOf } from './health.context.js';
import type { Kernel } from '../../kernel/index.js';

const tags = ['health'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

export function registerHealthRoutes(app: App, k: Kernel, setup: HealthSetup, wb: Workbench, portal: HealthPortal) {
  const h = healthOf(k);
  // ---------- setup ----------
  app.get(
    '/api/v1/health/institutions',
    { config: can('read', 'HealthSetup'), schema: { tags, summary: 'Medical institutions in scope', response: { 200: S.InstitutionList } } },
    async (req) => setup.listInstitutions(requireActor(req)),
  );
  app.post(
    '/api/v1/health/institutions',
    {
      config: can('manage', 'HealthSetup'),
      schema: { tags, summary: 'Register a community health service centre or station', body: S.InstitutionBody, response: { 201: S.Institution } },
    },
    async (req, reply) => reply.status(201).send(await setup.createInstitution(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/health/institutions/:id/doctors',
    { config: can('read', 'HealthSetup'), schema: { tags, summary: 'Doctors of an institution', params: S.IdParam, response: { 200: S.DoctorList } } },
    async (req) => setup.listDoctors(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/health/institutions/:id/doctors',
    {
      config: can('manage', 'HealthSetup'),
      schema: {
        tags,
        summary: 'Add a doctor (an account with the doctor role) to an institution',
        params: S.IdParam,
        body: S.DoctorBody,
        response: { 201: S.Doctor },
      },
    },
    async (req, reply) => reply.status(201).send(await setup.addDoctor(requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/health/teams',
    { config: can('read', 'HealthSetup'), schema: { tags, summary: 'Family-doctor teams in scope', response: { 200: S.TeamList } } },
    async (req) => setup.listTeams(requireActor(req)),
  );
  app.post(
    '/api/v1/health/teams',
    { config: can('manage', 'HealthSetup'), schema: { tags, summary: 'Form a family-doctor team', body: S.TeamBody, response: { 201: S.Team } } },
    async (req, reply) => reply.status(201).send(await setup.createTeam(requireActor(req), req.body)),
  );

  // ---------- contracts ----------
  app.get(
    '/api/v1/health/contracts',
    { config: can('read', 'HealthPatient'), schema: { tags, summary: "Active contracts of the doctor's teams", response: { 200: S.ContractList } } },
    async (req) => setup.listContracts(requireActor(req)),
  );
  app.post(
    '/api/v1/health/contracts',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Sign a family-doctor contract (家庭医生签约) for a resident', body: S.ContractBody, response: { 201: S.Contract } },
    },
    async (req, reply) => reply.status(201).send(await setup.sign(requireActor(req), req.body)),
  );
  app.post(
    '/api/v1/health/contracts/:id/renew',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Renew a contract', params: S.IdParam, body: S.RenewBody, response: { 200: S.Contract } },
    },
    async (req) => setup.renew(requireActor(req), req.params.id, req.body.endDate),
  );
  app.post(
    '/api/v1/health/contracts/:id/end',
    { config: can('treat', 'HealthPatient'), schema: { tags, summary: 'End a contract', params: S.IdParam, body: S.EndBody, response: { 200: S.Contract } } },
    async (req) => setup.endByTeam(requireActor(req), req.params.id, req.body.reason),
  );

  // ---------- workbench ----------
  app.get(
    '/api/v1/health/patients',
    {
      config: can('read', 'HealthPatient'),
      schema: { tags, summary: 'Contracted patients, riskiest first', querystring: S.PanelQuery, response: { 200: S.Panel } },
    },
    async (req) => wb.panel(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/health/patients/:id',
    { config: can('read', 'HealthPatient'), schema: { tags, summary: "A patient's record (audited)", params: S.IdParam, response: { 200: S.PatientDetail } } },
    async (req) => wb.detail(requireActor(req), req.params.id, req.ip),
  );
  app.get(
    '/api/v1/health/patients/:id/readings',
    {
      config: can('read', 'HealthPatient'),
      schema: {
        tags,
        summary: "A patient's readings with the threshold bands (audited)",
        params: S.IdParam,
        querystring: S.ReadingsQuery,
        response: { 200: S.ReadingList },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await h.patients.access(actor, req.params.id, 'treat');
      return wb.readings(actor, a, req.query, req.ip);
    },
  );
  app.post(
    '/api/v1/health/patients/:id/readings',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Record a clinic reading', params: S.IdParam, body: S.ReadingBody, response: { 201: S.Reading } },
    },
    async (req, reply) => reply.status(201).send(await wb.clinicReading(requireActor(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/health/patients/:id/thresholds',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: "Override the patient's alert thresholds", params: S.IdParam, body: S.ThresholdsBody, response: { 200: S.Thresholds } },
    },
    async (req) => wb.setThresholds(requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/v1/health/patients/:id/conditions',
    {
      config: can('treat', 'HealthPatient'),
      schema: {
        tags,
        summary: 'Managed conditions (hypertension, type-2 diabetes)',
        params: S.IdParam,
        body: S.ConditionsBody,
        response: { 200: S.PatientDetail },
      },
    },
    async (req) => wb.setConditions(requireActor(req), req.params.id, req.body.conditions),
  );
  app.get(
    '/api/v1/health/patients/:id/notes',
    { config: can('read', 'HealthPatient'), schema: { tags, summary: 'Advice and assessments', params: S.IdParam, response: { 200: S.NoteList } } },
    async (req) => {
      const actor = requireActor(req);
      const a = await h.patients.access(actor, req.params.id, 'treat');
      await h.patients.auditView(actor, a, 'notes', req.ip);
      return wb.notes(a);
    },
  );
  app.post(
    '/api/v1/health/patients/:id/notes',
    {
      config: can('treat', 'HealthPatient'),
      schema: {
        tags,
        summary: 'Write advice (健康建议) or a preliminary assessment (初步诊断)',
        params: S.IdParam,
        body: S.NoteBody,
        response: { 201: S.Note },
      },
    },
    async (req, reply) => reply.status(201).send(await wb.addNote(requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/health/patients/:id/followups',
    { config: can('read', 'HealthPatient'), schema: { tags, summary: 'Follow-up records (随访)', params: S.IdParam, response: { 200: S.FollowupList } } },
    async (req) => wb.followups(requireActor(req), req.params.id, req.ip),
  );
  app.post(
    '/api/v1/health/patients/:id/followups',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Record a hypertension or diabetes follow-up', params: S.IdParam, body: S.FollowupBody, response: { 201: S.Followup } },
    },
    async (req, reply) => reply.status(201).send(await wb.addFollowup(requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/health/followups/due',
    { config: can('read', 'HealthPatient'), schema: { tags, summary: 'Follow-ups due in the next two weeks, overdue first', response: { 200: S.DueList } } },
    async (req) => wb.due(requireActor(req)),
  );
  app.get(
    '/api/v1/health/alerts',
    {
      config: can('read', 'HealthPatient'),
      schema: { tags, summary: "Alerts of the doctor's teams", querystring: S.AlertsQuery, response: { 200: S.AlertList } },
    },
    async (req) => wb.alerts(requireActor(req), req.query),
  );
  app.post(
    '/api/v1/health/alerts/:id/acknowledge',
    { config: can('treat', 'HealthPatient'), schema: { tags, summary: 'Acknowledge an alert', params: S.IdParam, response: { 200: S.Alert } } },
    async (req) => wb.acknowledge(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/health/alerts/:id/snooze',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Snooze an alert with a reason', params: S.IdParam, body: S.SnoozeBody, response: { 200: S.Alert } },
    },
    async (req) => wb.snooze(requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/health/alerts/:id/close',
    {
      config: can('treat', 'HealthPatient'),
      schema: { tags, summary: 'Close an alert with the action taken', params: S.IdParam, body: S.CloseBody, response: { 200: S.Alert } },
    },
    async (req) => wb.close(requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/v1/health/devices/:id/binding',
    {
      config: can('treat', 'HealthPatient'),
      schema: {
        tags,
        summary: "Bind a home device to a contracted patient (its readings become the patient's)",
        params: S.IdParam,
        body: S.BindBody,
        response: { 200: S.Ok },
      },
    },
    async (req) => setup.bindDevice(requireActor(req), req.params.id, req.body.residentId),
  );
  app.delete(
    '/api/v1/health/devices/:id/binding',
    { config: can('treat', 'HealthPatient'), schema: { tags, summary: 'Unbind a home device', params: S.IdParam, response: { 200: S.Ok } } },
    async (req) => setup.unbindDevice(requireActor(req), req.params.id),
  );
  app.get(
    '/api/v1/health/stats',
    {
      config: can('read', 'HealthStats'),
      schema: { tags, summary: 'Aggregates of a community, counts under 5 suppressed', querystring: S.StatsQuery, response: { 200: S.Stats } },
    },
    async (req) => portal.stats(requireActor(req), req.query.communityId),
  );

  // ---------- the resident ----------
  const me = (req: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(req);
    needResident(actor);
    return actor;
  };
  const ptags = ['portal'];
  app.get(
    '/api/v1/me/health',
    { config: can('read', 'OwnHealth'), schema: { tags: ptags, summary: 'My contract, consent and named family', response: { 200: S.MyHealth } } },
    async (req) => portal.mine(me(req)),
  );
  app.put(
    '/api/v1/me/health/consent',
    {
      config: can('update', 'OwnHealth'),
      schema: { tags: ptags, summary: 'Give or withdraw consent to share my health data with my team', body: S.ConsentBody, response: { 200: S.MyHealth } },
    },
    async (req) => portal.consent(me(req), req.body.grant),
  );
  app.put(
    '/api/v1/me/health/family',
    {
      config: can('update', 'OwnHealth'),
      schema: { tags: ptags, summary: 'Name the household members who may see my readings', body: S.FamilyBody, response: { 200: S.MyHealth } },
    },
    async (req) => portal.family(me(req), req.body.residentIds),
  );
  app.post(
    '/api/v1/me/health/contract/end',
    { config: can('update', 'OwnHealth'), schema: { tags: ptags, summary: 'End my family-doctor contract', body: S.EndBody, response: { 200: S.MyHealth } } },
    async (req) => portal.endContract(me(req), req.body.reason),
  );
  app.get(
    '/api/v1/me/health/readings',
    {
      config: can('read', 'OwnHealth'),
      schema: { tags: ptags, summary: 'My readings with the bands', querystring: S.ReadingsQuery, response: { 200: S.ReadingList } },
    },
    async (req) => portal.readings(me(req), req.query),
  );
  app.post(
    '/api/v1/me/health/readings',
    { config: can('update', 'OwnHealth'), schema: { tags: ptags, summary: 'Enter a reading', body: S.ReadingBody, response: { 201: S.Reading } } },
    async (req, reply) => reply.status(201).send(await portal.enter(me(req), req.body)),
  );
  app.get(
    '/api/v1/me/health/notes',
    { config: can('read', 'OwnHealth'), schema: { tags: ptags, summary: "My doctor's advice and assessments", response: { 200: S.NoteList } } },
    async (req) => portal.notes(me(req)),
  );
  app.get(
    '/api/v1/me/health/alerts',
    { config: can('read', 'OwnHealth'), schema: { tags: ptags, summary: 'My alerts', response: { 200: S.MyAlerts } } },
    async (req) => portal.alerts(me(req)),
  );
  app.get(
    '/api/v1/me/health/family-patients',
    { config: can('read', 'OwnHealth'), schema: { tags: ptags, summary: 'Family members who named me', response: { 200: S.FamilyPatients } } },
    async (req) => portal.familyPatients(me(req)),
  );
  app.get(
    '/api/v1/me/health/family-patients/:id/readings',
    {
      config: can('read', 'OwnHealth'),
      schema: { tags: ptags, summary: "A family member's readings", params: S.IdParam, querystring: S.ReadingsQuery, response: { 200: S.ReadingList } },
    },
    async (req) => portal.familyReadings(me(req), req.params.id, req.query),
  );
}
