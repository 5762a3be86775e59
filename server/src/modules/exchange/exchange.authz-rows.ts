// Authorization matrix rows for the exchange console routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// The matrix's officer belongs to no organisation, so the records of organisations (clients,
// agreements) are 404 to it; its own-organisation paths are covered by the exchange tests.
// The signed exchange API (/api/v1/exchange/r1/…) and the platform keys are public routes: the
// client proves who it is by its signature (api.test.ts, agreements.test.ts, msglog.test.ts).
import crypto from 'node:crypto';
import type { MatrixRows } from '../../test/matrix.js';
import { systemActor } from '../../kernel/authz/index.js';
import { PartiesService } from './parties.js';
import { AgreementsService } from './agreements.js';
import { newKeyPair } from './exchange.fixtures.js';
import { recordsMatrix } from './records.authz-rows.js';

const jwk = crypto.generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
const rotated = { own: newKeyPair(), other: newKeyPair() };
let n = 0;

export const matrix: MatrixRows = {
  async setup(k, w) {
    const parties = new PartiesService(k);
    const agreements = new AgreementsService(k, parties);
    const sys = systemActor('test.matrix');
    const side = async (place: { id: string }, tag: string) => {
      const i = ++n;
      const provider = await parties.createOrg(sys, { code: `mx-p-${tag}-${i}`, name: '矩阵街道办', kind: 'street_office', placeId: place.id }, null);
      const consumer = await parties.createOrg(sys, { code: `mx-c-${tag}-${i}`, name: '矩阵民政', kind: 'civil_affairs', placeId: place.id }, null);
      const key = newKeyPair();
      const client = await parties.createClient(sys, consumer.id, { subsystemCode: 'mx', name: '矩阵系统', publicKey: key.publicKey }, null);
      const a = await agreements.draft(
        sys,
        {
          title: '矩阵协议',
          providerOrgId: provider.id,
          consumerOrgId: consumer.id,
          dataset: 'registry.residents',
          fields: ['name'],
          purpose: 'p',
          legalBasis: 'l',
          placeIds: [place.id],
          validFrom: '2020-01-01',
          validTo: '2099-12-31',
          dailyLimit: 10,
        },
        null,
      );
      return { place: place.id, provider: provider.id, consumer: consumer.id, client: client.id, key: key.keyId, agreement: a.id, tag };
    };
    const recordsIn = await recordsMatrix.setup(k, w); // sources, imports, reviews, provenance (records.authz-rows.ts)
    return { own: { ...(await side(w.c1, 'own')), ...recordsIn.own }, other: { ...(await side(w.c2, 'other')), ...recordsIn.other } };
  },
  rows: {
    'GET /api/v1/exchange/organisations': { own: 'oodddddodd', other: null },
    'POST /api/v1/exchange/organisations': {
      own: 'oodddddddd',
      other: 'oodddddddd',
      request: (ids) => ({ body: { code: `mx-new-${ids.tag}`, name: '新机构', kind: 'police', placeId: ids.place } }),
    },
    'POST /api/v1/exchange/organisations/:id/officers': {
      own: 'oodddddddd',
      other: 'oodddddddd',
      request: (ids) => ({ path: `/api/v1/exchange/organisations/${ids.consumer}/officers`, body: { userId: 'usr_matrix_nobody' } }),
    },
    'GET /api/v1/exchange/clients': { own: 'oodddddodd', other: null },
    'POST /api/v1/exchange/organisations/:id/clients': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({
        path: `/api/v1/exchange/organisations/${ids.consumer}/clients`,
        body: { subsystemCode: 'mx2', name: '第二系统', publicKey: (ids.tag === 'own' ? rotated.own : rotated.other).publicKey },
      }),
    },
    'POST /api/v1/exchange/clients/:id/keys': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({ path: `/api/v1/exchange/clients/${ids.client}/keys`, body: { publicKey: newKeyPair().publicKey } }),
    },
    'POST /api/v1/exchange/clients/:id/keys/:keyId/revoke': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({ path: `/api/v1/exchange/clients/${ids.client}/keys/${ids.key}/revoke` }),
    },
    'PUT /api/v1/exchange/clients/:id/encryption-key': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({ path: `/api/v1/exchange/clients/${ids.client}/encryption-key`, body: { encryptionKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } } }),
    },
    'GET /api/v1/exchange/datasets': { own: 'oodddddodd', other: null },
    'GET /api/v1/exchange/agreements': { own: 'oodddddodd', other: null },
    'GET /api/v1/exchange/agreements/:id': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({ path: `/api/v1/exchange/agreements/${ids.agreement}` }),
    },
    'POST /api/v1/exchange/agreements': {
      own: 'oodddddddd',
      other: 'oodddddddd',
      request: (ids) => ({
        body: {
          title: '矩阵起草',
          providerOrgId: ids.provider,
          consumerOrgId: ids.consumer,
          dataset: 'registry.residents',
          fields: ['name'],
          purpose: 'p',
          legalBasis: 'l',
          placeIds: [ids.place],
          validFrom: '2020-01-01',
          validTo: '2099-12-31',
          dailyLimit: 10,
        },
      }),
    },
    'POST /api/v1/exchange/agreements/:id/:verb': {
      own: 'oodddddndd',
      other: 'oodddddndd',
      request: (ids) => ({ path: `/api/v1/exchange/agreements/${ids.agreement}/approve`, body: {} }),
    },
    'GET /api/v1/exchange/messages': { own: 'oodddddodd', other: null },
    'GET /api/v1/exchange/messages/verification': { own: 'oodddddodd', other: null },
    ...recordsMatrix.rows,
  },
};
