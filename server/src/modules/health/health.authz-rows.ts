// The health routes in the authorization matrix (server/src/test/authz-matrix.test.ts): the
// privacy matrix of patient data. Columns: admin gov staff property tech guard doctor officer
// provider resident. "own" = a patient in c1 contracted with the team of the matrix doctor (the
// matrix resident, who named a relative's record as viewable by them); "other" = a patient in c2
// with a c2 team. Only the treating doctor reaches a patient (others with the role: 404), only the
// resident their own data, staff and supervisors aggregates. Platform admins may set up
// institutions but never reach a patient (404).
import type { MatrixRows } from '../../test/matrix.js';
import type { Kernel } from '../../kernel/index.js';
import type { World } from '../../test/fixtures.js';
import { buildResident, buildStaff } from '../../test/fixtures.js';
import { places } from '../registry/index.js';
import { createDevice } from '../devices/index.js';
import { buildContract, buildHealthTeam } from './health.fixtures.js';
import { healthOf } from './health.context.js';
import { recordReading } from './health.readings.js';

async function side(k: Kernel, community: World['c1'], house: World['house1'], doctor: { id: string; name: string }, residentId: string) {
  const { institution, team, doctors } = await buildHealthTeam(k, community, [doctor], `矩阵团队 ${community.name}`);
  const dr = doctors[0];
  const contract = await buildContract(k, dr, team.id, residentId);
  const h = healthOf(k);
  const patient = (await h.patients.byResident(residentId))!.id;
  const alert = await recordReading(k, { patientId: patient, kind: 'spo2', value: 90, source: 'device' }).then(
    async () => (await h.repo.openAlert(patient, 'spo2'))!.id,
  );
  // a second contract, for the end row
  const leaver = await buildResident(k, house, { name: '矩阵解约' });
  const ending = await buildContract(k, dr, team.id, leaver.id);
  // a resident without a contract, for the sign row
  const signee = await buildResident(k, house, { name: '矩阵签约' });
  const device = await createDevice(k, { typeCode: 'bp_monitor', placeId: house.id, name: '矩阵血压计' });
  // a relative who named the matrix resident as a viewer of their readings
  const relative = await buildResident(k, house, { name: '矩阵亲属' });
  await buildContract(k, dr, team.id, relative.id);
  const rp = (await h.patients.byResident(relative.id))!;
  await k.db
    .transaction()
    .execute((tx) =>
      h.repo.replaceViewers(
        rp.id,
        [{ viewer_bidx: h.patients.viewerBidx(residentId), viewer_enc: k.vault.encrypt(residentId), created_at: new Date().toISOString() }],
        tx,
      ),
    );
  return {
    institution: institution.id,
    team: team.id,
    doctorUser: doctor.id,
    patient,
    patientResident: residentId,
    contract: contract.id,
    ending: ending.id,
    signee: signee.id,
    alert,
    device: device.id,
    relative: rp.id,
  };
}

const p = (suffix: string, body?: unknown) => (ids: Record<string, string>) => ({ path: `/api/v1/health/patients/${ids.patient}${suffix}`, body });
const OWN = 'ndddddoddd'; // the treating doctor only
const OTHER = 'ndddddnddd'; // nobody: another community's patient
const DOCTOR_LIST = 'odddddoddd';
const ME = 'nddddddddo';

export const matrix: MatrixRows = {
  async setup(k: Kernel, w: World) {
    const me = await places.residentByPhone(k, '13900009999');
    const doctor = (await k.db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'm_doctor').executeTakeFirstOrThrow()) as {
      id: string;
      display_name: string;
    };
    const d2 = await buildStaff(k, `m_doctor_c2_${Date.now()}`, 'doctor', w.c2);
    const otherResident = await buildResident(k, w.house2, { name: '矩阵外社区患者' });
    return {
      own: await side(k, w.c1, w.house1, { id: doctor.id, name: doctor.display_name }, me!.id),
      other: await side(k, w.c2, w.house2, { id: d2.id, name: 'c2 doctor' }, otherResident.id),
    };
  },
  rows: {
    'GET /api/v1/health/institutions': { own: 'ooodddoddd', other: null },
    'POST /api/v1/health/institutions': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ body: { communityId: ids.community, name: '矩阵站', kind: 'station' } }),
    },
    'GET /api/v1/health/institutions/:id/doctors': {
      own: 'ooodddoddd',
      other: 'oondddnddd',
      request: (ids) => ({ path: `/api/v1/health/institutions/${ids.institution}/doctors` }),
    },
    'POST /api/v1/health/institutions/:id/doctors': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/health/institutions/${ids.institution}/doctors`, body: { userId: ids.doctorUser, name: '矩阵医生' } }),
    },
    'GET /api/v1/health/teams': { own: 'ooodddoddd', other: null },
    'POST /api/v1/health/teams': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ body: { institutionId: ids.institution, name: '矩阵新团队', members: [{ userId: ids.doctorUser }] } }),
    },
    'GET /api/v1/health/contracts': { own: DOCTOR_LIST, other: null },
    'POST /api/v1/health/contracts': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({
        body: { residentId: ids.signee, teamId: ids.team, package: 'basic', startDate: '2026-01-01', endDate: '2026-12-31', signedBy: 'self' },
      }),
    },
    'POST /api/v1/health/contracts/:id/renew': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({ path: `/api/v1/health/contracts/${ids.contract}/renew`, body: { endDate: '2099-12-31' } }),
    },
    'POST /api/v1/health/contracts/:id/end': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({ path: `/api/v1/health/contracts/${ids.ending}/end`, body: { reason: 'matrix' } }),
    },
    'GET /api/v1/health/patients': { own: DOCTOR_LIST, other: null },
    'GET /api/v1/health/patients/:id': { own: OWN, other: OTHER, request: p('') },
    'GET /api/v1/health/patients/:id/readings': { own: OWN, other: OTHER, request: p('/readings') },
    'POST /api/v1/health/patients/:id/readings': { own: OWN, other: OTHER, request: p('/readings', { kind: 'hr', value: 72 }) },
    'PUT /api/v1/health/patients/:id/thresholds': { own: OWN, other: OTHER, request: p('/thresholds', { bpHomeHighSys: 140 }) },
    'PUT /api/v1/health/patients/:id/conditions': { own: OWN, other: OTHER, request: p('/conditions', { conditions: ['hypertension'] }) },
    'GET /api/v1/health/patients/:id/notes': { own: OWN, other: OTHER, request: p('/notes') },
    'POST /api/v1/health/patients/:id/notes': { own: OWN, other: OTHER, request: p('/notes', { kind: 'advice', text: 'matrix' }) },
    'GET /api/v1/health/patients/:id/followups': { own: OWN, other: OTHER, request: p('/followups') },
    'POST /api/v1/health/patients/:id/followups': {
      own: OWN,
      other: OTHER,
      request: p('/followups', { disease: 'hypertension', visitDate: '2026-01-01', method: 'phone', control: 'satisfied' }),
    },
    'GET /api/v1/health/followups/due': { own: DOCTOR_LIST, other: null },
    'GET /api/v1/health/alerts': { own: DOCTOR_LIST, other: null },
    'POST /api/v1/health/alerts/:id/acknowledge': { own: OWN, other: OTHER, request: (ids) => ({ path: `/api/v1/health/alerts/${ids.alert}/acknowledge` }) },
    'POST /api/v1/health/alerts/:id/snooze': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({ path: `/api/v1/health/alerts/${ids.alert}/snooze`, body: { minutes: 30, reason: 'matrix' } }),
    },
    'POST /api/v1/health/alerts/:id/close': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({ path: `/api/v1/health/alerts/${ids.alert}/close`, body: { action: 'call' } }),
    },
    'PUT /api/v1/health/devices/:id/binding': {
      own: OWN,
      other: OTHER,
      request: (ids) => ({ path: `/api/v1/health/devices/${ids.device}/binding`, body: { residentId: ids.patientResident } }),
    },
    'DELETE /api/v1/health/devices/:id/binding': { own: OWN, other: OTHER, request: (ids) => ({ path: `/api/v1/health/devices/${ids.device}/binding` }) },
    'GET /api/v1/health/stats': {
      own: 'oooododddd',
      other: 'oonndndddd',
      request: (ids) => ({ path: `/api/v1/health/stats?communityId=${ids.community}` }),
    },
    'GET /api/v1/me/health': { own: ME, other: null },
    'PUT /api/v1/me/health/consent': { own: ME, other: null, request: () => ({ body: { grant: true } }) },
    'PUT /api/v1/me/health/family': { own: ME, other: null, request: () => ({ body: { residentIds: [] } }) },
    'GET /api/v1/me/health/readings': { own: ME, other: null },
    'POST /api/v1/me/health/readings': { own: ME, other: null, request: () => ({ body: { kind: 'hr', value: 70 } }) },
    'GET /api/v1/me/health/notes': { own: ME, other: null },
    'GET /api/v1/me/health/alerts': { own: ME, other: null },
    'GET /api/v1/me/health/family-patients': { own: ME, other: null },
    'GET /api/v1/me/health/family-patients/:id/readings': {
      own: ME,
      other: 'nddddddddn',
      request: (ids) => ({ path: `/api/v1/me/health/family-patients/${ids.relative}/readings` }),
    },
    // last: the matrix resident ends their contract
    'POST /api/v1/me/health/contract/end': { own: ME, other: null, request: () => ({ body: { reason: 'matrix' } }) },
  },
};
export default matrix;
