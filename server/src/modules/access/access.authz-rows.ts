// Authorization matrix rows for the access routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// Controller routes (decisions, allow-list, offline uploads) take a device credential: a person's
// session gets 403 whatever the role (controller authentication is tested in access.decisions.test.ts).
import type { MatrixRows } from '../../test/matrix.js';
import { buildResident, systemActor } from '../../test/fixtures.js';
import { ResidentsService } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';
import { createDevice } from '../devices/index.js';
import { AccessSetupService } from './access.setup.service.js';
import { AccessCredentialsService } from './access.credentials.service.js';
import { AccessVisitorsService } from './access.visitors.service.js';

// each DELETE removes its rule: every column gets its own
const nextRule = { own: 0, other: 0 };

export const matrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    const setup = new AccessSetupService(k);
    const creds = new AccessCredentialsService(k);
    const visitors = new AccessVisitorsService(k);
    const rs = new ResidentsService(k);
    const identity = new IdentityService(k);
    // the matrix resident (the one with a sign-in account) lives in house1 (c1)
    let mine: string | null = null;
    for (const r of await rs.residents.currentOfHouse(w.house1.id)) if (await identity.repo.userByResident(r.resident_id)) mine = r.resident_id;
    // c2's matrix resident is moved out by the registry rows: bring one of our own
    const theirs = (await buildResident(k, w.house2, { name: '门禁矩阵' })).id;
    const from = new Date(k.clock.now().getTime() - 3_600_000).toISOString();
    const until = new Date(k.clock.now().getTime() + 3_600_000).toISOString();
    const side = async (name: 'own' | 'other', community: { id: string }, estate: { id: string }, resident: string) => {
      const ctl = await createDevice(k, { typeCode: 'door_controller', placeId: estate.id, name: `matrix ${name}` });
      const gate = await setup.createPoint(
        admin,
        { placeId: estate.id, kind: 'estate_gate', name: `matrix gate ${name}`, direction: 'both', controllerId: ctl.id },
        '127.0.0.1',
      );
      const group = await setup.createDoorGroup(admin, { communityId: community.id, name: 'matrix', pointIds: [gate.id] }, '127.0.0.1');
      const rules: Record<string, string> = {};
      for (let i = 0; i < 10; i++)
        rules[`rule_${i}`] = (
          await setup.createRule(admin, { communityId: community.id, name: `m${i}`, effect: 'allow', whoKind: 'everyone' }, '127.0.0.1')
        ).id;
      const cred = await creds.issue(
        admin,
        { residentId: resident, type: 'card', value: String(100 + (name === 'own' ? 1 : 2)), cardFormat: 'w26' },
        '127.0.0.1',
      );
      const pass = await visitors.create(
        admin,
        { visitorName: 'matrix', hostResidentId: resident, validFrom: from, validUntil: until, pointIds: [gate.id], maxUses: 3 },
        '127.0.0.1',
      );
      return {
        side: name,
        community: community.id,
        estate: estate.id,
        controller: ctl.id,
        gate: gate.id,
        group: group.id,
        resident,
        credential: cred.id,
        pass: pass.id,
        from,
        until,
        ...rules,
      };
    };
    return { own: await side('own', w.c1, w.estate1, mine!), other: await side('other', w.c2, w.estate2, theirs) };
  },
  rows: {
    'GET /api/v1/access/points': { own: 'odoooodddd', other: null },
    'POST /api/v1/access/points': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { placeId: ids.estate, kind: 'estate_gate', name: 'm', direction: 'in', controllerId: ids.controller } }),
    },
    'PATCH /api/v1/access/points/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/access/points/${ids.gate}`, body: { openSeconds: 6 } }),
    },
    // residents may read their own log, but not a door's whole history
    'GET /api/v1/access/points/:id/events': {
      own: 'odoododddn',
      other: 'odnndndddn',
      request: (ids) => ({ path: `/api/v1/access/points/${ids.gate}/events` }),
    },
    'GET /api/v1/access/door-groups': { own: 'odoododddd', other: null },
    'POST /api/v1/access/door-groups': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { communityId: ids.community, name: 'm', pointIds: [] } }),
    },
    'PATCH /api/v1/access/door-groups/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/access/door-groups/${ids.group}`, body: { name: 'm2' } }),
    },
    'GET /api/v1/access/person-groups': { own: 'odoododddd', other: null },
    'POST /api/v1/access/person-groups': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { communityId: ids.community, name: 'm', residentIds: [] } }),
    },
    'GET /api/v1/access/schedules': { own: 'odoododddd', other: null },
    'POST /api/v1/access/schedules': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { communityId: ids.community, name: 'm', windows: [] } }),
    },
    'GET /api/v1/access/rules': { own: 'odoododddd', other: null },
    'POST /api/v1/access/rules': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { communityId: ids.community, name: 'm', effect: 'allow', whoKind: 'everyone' } }),
    },
    'DELETE /api/v1/access/rules/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/access/rules/${ids[`rule_${nextRule[ids.side as 'own' | 'other']++ % 10}`]}` }),
    },
    'GET /api/v1/access/credentials': {
      own: 'odoododddo',
      other: 'odnndndddn',
      request: (ids) => ({ path: `/api/v1/access/credentials?residentId=${ids.resident}` }),
    },
    'POST /api/v1/access/credentials': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { residentId: ids.resident, type: 'card', value: String(Math.floor(Math.random() * 1e6)), cardFormat: 'w26' } }),
    },
    // a second revoke answers 409: still "allowed"
    'POST /api/v1/access/credentials/:id/revoke': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/access/credentials/${ids.credential}/revoke`, body: {} }),
    },
    // only a resident who lives here has a door QR (an admin is no resident: 403)
    'GET /api/v1/access/me': { own: 'dddddddddo', other: null },
    'POST /api/v1/access/me/qr': { own: 'dddddddddo', other: null },
    'GET /api/v1/access/log': { own: 'odoododddo', other: null },
    'GET /api/v1/access/log/export.xlsx': { own: 'odoodddddd', other: null },
    'GET /api/v1/access/visitor-passes': { own: 'odoododddo', other: null },
    // a resident always invites as the host (a door of another community: 422)
    'POST /api/v1/access/visitor-passes': {
      own: 'oddododddo',
      other: 'oddndndddo',
      request: (ids) => ({
        body: { visitorName: 'm', hostResidentId: ids.resident, validFrom: ids.from, validUntil: ids.until, pointIds: [ids.gate], maxUses: 1 },
      }),
    },
    'POST /api/v1/access/visitor-passes/:id/revoke': {
      own: 'oddododddo',
      other: 'oddndndddn',
      request: (ids) => ({ path: `/api/v1/access/visitor-passes/${ids.pass}/revoke`, body: {} }),
    },
    'POST /api/v1/access/decisions': { own: 'dddddddddd', other: null },
    'GET /api/v1/access/allow-list': { own: 'dddddddddd', other: null },
    'POST /api/v1/access/offline-decisions': { own: 'dddddddddd', other: null },
  },
};

/** Old name, until the matrix test reads `matrix` from the manifest. */
export const accessMatrix = matrix;
