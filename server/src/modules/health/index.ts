// Health module (issue 17): institutions, family-doctor teams and contracts with a separate,
// withdrawable health-data consent; readings from home devices, the portal and the clinic keyed by
// a pseudonymous patient id; clinical alerts that reach the doctor at once; the doctor's workbench
// and the resident's portal. Other modules (and the FHIR layer) use only what is exported here.
import type { Module } from '../../kernel/app.js';
import { telemetryHub, type Reading } from '../devices/index.js';
import { registerEncryptedColumns } from '../../kernel/vault/index.js';
import { healthMessages, healthPermissions } from './health.policy.js';
import { ALERT_RAISED, DEVICE_BINDING_CHANGED, READING_RECORDED } from './health.events.js';
import { healthOf } from './health.context.js';
import { HealthSetup } from './health.setup.js';
import { Workbench } from './health.workbench.js';
import { HealthPortal } from './health.portal.js';
import { registerHealthRoutes } from './health.routes.js';
import { registerFhirRoutes } from './fhir.routes.js';
import { deviceReadingsHandler } from './health.devices.js';
import { seedDemoHealth } from './health.demo.js';
import { places } from '../registry/index.js';

export { recordReading, listReadings, patientThresholds, type RecordReadingInput, type ReadingView } from './health.readings.js';
export { ALERT_RAISED, DEVICE_BINDING_CHANGED, READING_RECORDED, type AlertRaised, type ReadingRecorded } from './health.events.js';
export { healthMessages, healthPermissions } from './health.policy.js';
export { canonicalUnit, toCanonical, fromCanonical, unitsOf, normalise } from './health.units.js';
export { defaultThresholds, classify, type Thresholds } from './health.thresholds.js';
export { HealthSetup, HEALTH_DEVICE_TYPES } from './health.setup.js';
export type { ReadingKind, ReadingSource, GlucoseContext } from './health.tables.js';

/** Find (or make) the pseudonymous patient of a resident; for FHIR Patient resolution and the demo. */
export const patientOfResident = (k: Parameters<typeof healthOf>[0], residentId: string) => healthOf(k).patients.ensure(residentId);
/**
 * Who may see a patient (doctor of the contracted team, the resident, named family); throws 404
 * otherwise. For the FHIR layer, which answers with the same rules.
 */
export const patientAccess = (k: Parameters<typeof healthOf>[0], ...args: Parameters<ReturnType<typeof healthOf>['patients']['access']>) =>
  healthOf(k).patients.access(...args);

registerEncryptedColumns({ table: 'health_patients', idColumn: 'id', columns: ['link_enc'] });
registerEncryptedColumns({ table: 'health_viewers', idColumn: 'patient_id', columns: ['viewer_enc'] });
registerEncryptedColumns({ table: 'health_contracts', idColumn: 'id', columns: ['guardian_enc'] });
registerEncryptedColumns({ table: 'health_alerts', idColumn: 'id', columns: ['snooze_reason_enc', 'note_enc'] });
registerEncryptedColumns({ table: 'health_notes', idColumn: 'id', columns: ['text_enc'] });
registerEncryptedColumns({ table: 'health_followups', idColumn: 'id', columns: ['notes_enc'] });

export const ESCALATE_JOB = 'health.escalate';
export const MISSING_JOB = 'health.missing';

export const healthModule: Module = {
  name: 'health',
  summary:
    'Community health: institutions, family-doctor teams and contracts with health-data consent, pseudonymous readings from home devices, portal and clinic, clinical alerts, the doctor workbench',
  url: import.meta.url,
  permissions: healthPermissions,
  messages: healthMessages,
  publishes: [READING_RECORDED, ALERT_RAISED, DEVICE_BINDING_CHANGED],
  // its own binding changes made on other nodes
  subscribes: [DEVICE_BINDING_CHANGED],
  jobs: [ESCALATE_JOB, MISSING_JOB],
  matrix: 'health.authz-rows.js',
  docs: 'docs/api/health.md',
  // a health station, two doctors (doctor, doctor2), ~150 contracted elders with home BP monitors, drifting series, one urgent case
  seed: async (k, demo) => void (await seedDemoHealth(k, (await places.getPlace(k, demo.communityId))!, demo.password, demo.today)),
  async register(app, k) {
    const h = healthOf(k);
    for (const b of await h.repo.bindings()) h.bindings.set(b.device_id, b.patient_id);
    const setup = new HealthSetup(k);
    const wb = new Workbench(k, setup);
    const portal = new HealthPortal(k, setup, wb);
    registerHealthRoutes(app, k, setup, wb, portal);
    registerFhirRoutes(app, k);

    k.jobs.register({ name: ESCALATE_JOB, everyMs: 60_000, run: async ({ now }) => void (await h.alerts.escalate(now)) });
    k.jobs.register({ name: MISSING_JOB, everyMs: 3_600_000, run: async ({ now }) => void (await h.alerts.checkMissing(now)) });

    // readings of bound home devices, as the devices module accepts them; never throw into ingest
    const hub = telemetryHub(k);
    const handle = deviceReadingsHandler(k);
    const onReadings = (batch: Reading[]) => {
      handle(batch).catch((err) => k.log.error({ err }, 'health: device readings failed'));
    };
    hub.on('accepted', onReadings);
    // a device bound or unbound on another node
    const offBinding = k.events.subscribe(DEVICE_BINDING_CHANGED, (e) => {
      if (e.origin === k.config.nodeId) return;
      if (e.payload.patientId) h.bindings.set(e.payload.deviceId, e.payload.patientId);
      else h.bindings.delete(e.payload.deviceId);
    });
    app.addHook('preClose', async () => {
      hub.off('accepted', onReadings);
      offBinding();
    });
  },
};
