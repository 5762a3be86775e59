// Authorization matrix rows for the incidents routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// The two camera-event webhooks are not here: they are public routes (the camera signs in with
// its device credential, not a user session), listed in publicRoutes of authz-matrix.test.ts;
// their credential checks are in webhook.test.ts.
import crypto from 'node:crypto';
import type { MatrixRows } from '../../test/matrix.js';
import { createDevice, getDevice } from '../devices/index.js';
import { CameraEventsService } from './camera-events.service.js';
import { transitionActions } from './incidents.states.js';

const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(32)]);
let n = 0;

export const matrix: MatrixRows = {
  async setup(k, w) {
    const events = new CameraEventsService(k);
    const side = async (placeId: string, communityId: string) => {
      const cam = await createDevice(k, { typeCode: 'camera', placeId, name: `矩阵摄像头${++n}` });
      const camera = (await getDevice(k, cam.id))!;
      const picture = (await k.files.save({ name: 'p.png', data: png(), ownerId: null, accept: ['image'], maxBytes: 1 << 20 })).id;
      const r = await events.ingest({
        camera,
        key: `mx-${n}`,
        kind: 'intrusion',
        source: 'webhook',
        at: k.clock.now().getTime(),
        detail: {},
        pictureFileId: picture,
      });
      return { camera: cam.id, incident: r.incidentId!, picture, community: communityId };
    };
    return { own: await side(w.estate1.id, w.c1.id), other: await side(w.estate2.id, w.c2.id) };
  },
  rows: {
    'GET /api/v1/cameras': { own: 'oooooodddd', other: null },
    'GET /api/v1/cameras/:id': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/cameras/${ids.camera}` }) },
    'PUT /api/v1/cameras/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/cameras/${ids.camera}`, body: { location: '东门' } }),
    },
    'GET /api/v1/incident-rules': {
      own: 'odoododddd',
      other: 'odnndndddd',
      request: (ids) => ({ path: `/api/v1/incident-rules?communityId=${ids.community}` }),
    },
    'PUT /api/v1/incident-rules': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { communityId: ids.community, rules: [{ kind: 'motion', opens: true, windowS: 600 }] } }),
    },
    'GET /api/v1/camera-event-rejects': { own: 'oddddddddd', other: null },
    'GET /api/v1/incidents': { own: 'oooododddd', other: null },
    'GET /api/v1/incidents/:id': { own: 'oooododddd', other: 'oonndndddd', request: (ids) => ({ path: `/api/v1/incidents/${ids.incident}` }) },
    'GET /api/v1/incidents/pictures/:fileId': {
      own: 'oooododddd',
      other: 'oonndndddd',
      request: (ids) => ({ path: `/api/v1/incidents/pictures/${ids.picture}` }),
    },
    // a later column may find the incident already moved on: 409, which counts as passing the gate
    ...Object.fromEntries(
      transitionActions.map((a) => [
        `POST /api/v1/incidents/:id/${a}`,
        {
          own: 'oddododddd',
          other: 'oddndndddd',
          request: (ids: Record<string, string>) => ({ path: `/api/v1/incidents/${ids.incident}/${a}`, body: { note: 'matrix' } }),
        },
      ]),
    ),
    'POST /api/v1/incidents/:id/notes': {
      own: 'oddododddd',
      other: 'oddndndddd',
      request: (ids) => ({ path: `/api/v1/incidents/${ids.incident}/notes`, body: { note: 'matrix' } }),
    },
    'POST /api/v1/incidents/:id/work-order': {
      own: 'oddododddd',
      other: 'oddndndddd',
      request: (ids) => ({ path: `/api/v1/incidents/${ids.incident}/work-order`, body: {} }),
    },
  },
};

/** The old name, until the matrix test reads `matrix` through the manifest. */
export const incidentsMatrix = matrix;
