// Authorization matrix rows for the devices routes (see server/src/test/matrix.ts).
// Column order: admin gov staff property tech guard doctor officer provider resident.
// POST /api/v1/ingest/telemetry is public (device credential, not a user session): it belongs
// in the matrix test's publicRoutes list, and its credential checks are in ingest.test.ts.
import type { MatrixRows } from '../../test/matrix.js';
import { createDevice } from './index.js';
import { DevicesRepository } from './devices.repository.js';

let n = 0;

export const devicesMatrix: MatrixRows = {
  async setup(k, w) {
    const own = await createDevice(k, { typeCode: 'water_pump', placeId: w.estate1.id, name: '矩阵水泵1' });
    const other = await createDevice(k, { typeCode: 'water_pump', placeId: w.estate2.id, name: '矩阵水泵2' });
    // each community's own device type (devices.types.ts); platform-wide types are covered in devices.types.test.ts
    const typeOf = async (c: { id: string; path: string }, code: string) => {
      const id = `dty_matrix_${code}`;
      await new DevicesRepository(k.db, k.database.dialect).insertType({
        id,
        code,
        name_zh: '矩阵类型',
        name_en: 'Matrix type',
        telemetry: '[]',
        heartbeat_s: 120,
        builtin: 0,
        created_by: null,
        created_at: new Date().toISOString(),
        scope_path: c.path,
        community_id: c.id,
      });
      return id;
    };
    return {
      own: { device: own.id, estate: w.estate1.id, community: w.c1.id, type: await typeOf(w.c1, 'mx_own_type') },
      other: { device: other.id, estate: w.estate2.id, community: w.c2.id, type: await typeOf(w.c2, 'mx_other_type') },
    };
  },
  rows: {
    'GET /api/v1/device-types': { own: 'oooooodddd', other: null },
    'POST /api/v1/device-types': {
      own: 'oddodddddd', // a type of the community: admin and its property manager (a platform-wide one: admin only)
      other: 'oddndddddd',
      request: (ids) => ({
        body: { code: `mx_type_${++n}`, nameZh: '测试', nameEn: 'Test', telemetry: [{ key: 'value', zh: '值', en: 'Value' }], communityId: ids.community },
      }),
    },
    'PATCH /api/v1/device-types/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/device-types/${ids.type}`, body: { nameZh: `改名${++n}` } }),
    },
    'GET /api/v1/devices': { own: 'oooooodddd', other: null },
    'POST /api/v1/devices': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ body: { typeCode: 'camera', placeId: ids.estate, name: `矩阵摄像头${++n}` } }),
    },
    'GET /api/v1/devices/:id': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}` }) },
    'PATCH /api/v1/devices/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/devices/${ids.device}`, body: { name: `改名${++n}` } }),
    },
    'POST /api/v1/devices/:id/rotate-secret': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/devices/${ids.device}/rotate-secret` }),
    },
    'GET /api/v1/devices/:id/telemetry': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}/telemetry` }) },
    'GET /api/v1/devices/:id/rejects': { own: 'oooooodddd', other: 'oonnnndddd', request: (ids) => ({ path: `/api/v1/devices/${ids.device}/rejects` }) },
  },
};

/** The matrix rows under the name the module manifest reads (devicesMatrix stays until the matrix test is switched). */
export const matrix: MatrixRows = devicesMatrix;
