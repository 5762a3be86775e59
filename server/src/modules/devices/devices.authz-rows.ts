// Authorization matrix rows for the devices routes (see server/src/test/matrix.ts).
// Column order: admin gov staff property tech guard doctor officer provider resident.
// POST /api/v1/ingest/telemetry is public (device credential, not a user session): it belongs
// in the matrix test's publicRoutes list, and its credential checks are in ingest.test.ts.
import type { MatrixRows } from '../../test/matrix.js';
import { createDevice } from './index.js';

let n = 0;

export const devicesMatrix: MatrixRows = {
  async setup(k, w) {
    const own = await createDevice(k, { typeCode: 'water_pump', placeId: w.estate1.id, name: '矩阵水泵1' });
    const other = await createDevice(k, { typeCode: 'water_pump', placeId: w.estate2.id, name: '矩阵水泵2' });
    return { own: { device: own.id, estate: w.estate1.id }, other: { device: other.id, estate: w.estate2.id } };
  },
  rows: {
    'GET /api/v1/device-types': { own: 'oooooodddd', other: null },
    'POST /api/v1/device-types': {
      own: 'oddodddddd', // admin and property_manager
      other: null,
      request: () => ({ body: { code: `mx_type_${++n}`, nameZh: '测试', nameEn: 'Test', telemetry: [{ key: 'v', zh: '值', en: 'Value' }] } }),
    },
    'GET /api/v1/devices': { own: 'oooooodddd', other: null },
    'POST /api/v1/devices': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { typeCode: 'camera', placeId: ids.estate, name: `矩阵摄像头${++n}` } }),
    },
    'GET /api/v1/devices/:id': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}` }) },
    'PATCH /api/v1/devices/:id': { own: 'oddodddddd', other: 'oddndddddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}`, body: { name: `改名${++n}` } }) },
    'POST /api/v1/devices/:id/rotate-secret': { own: 'oddodddddd', other: 'oddndddddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}/rotate-secret` }) },
    'GET /api/v1/devices/:id/telemetry': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}/telemetry` }) },
    'GET /api/v1/devices/:id/rejects': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}/rejects` }) },
  },
};
