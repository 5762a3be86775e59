// Authorization matrix rows for the records-in routes (see server/src/test/matrix.ts), spread into
// exchange.authz-rows.ts. Columns: admin gov staff property tech guard doctor officer provider resident.
// The matrix's supervisor and officer are granted on the street (both communities); staff on c1.
import type { MatrixRows } from '../../test/matrix.js';
import { systemActor } from '../../kernel/authz/index.js';
import { buildResident } from '../../test/fixtures.js';
import { RecordsService } from './records.service.js';
import { policeHouseholdProfile } from './mapping.js';

export const recordsMatrix: MatrixRows = {
  async setup(k, w) {
    const svc = new RecordsService(k);
    const sys = systemActor('test.matrix');
    const side = async (community: { id: string; path: string }, house: typeof w.house1, label: string) => {
      const resident = await buildResident(k, house, { name: '王丽', birthDate: '1960-01-02', male: false, phone: null });
      const source = await svc.createSource(
        sys,
        { name: '矩阵派出所', department: 'police', placeId: community.id, profile: policeHouseholdProfile },
        '127.0.0.1',
      );
      const imp = await svc.push(sys, source.id, [{ 姓名: '王美', 出生日期: '19600103', 性别: '2', 住址: label }], '127.0.0.1');
      const review = (await svc.repo.reviews([community.path], 'pending', 10, 0)).find((r) => r.source_id === source.id);
      return { source: source.id, import: imp.id, review: review?.id ?? 'xrv_none', resident: resident.id, place: community.id };
    };
    return { own: await side(w.c1, w.house1, '花家地西里 1号楼 1单元 101'), other: await side(w.c2, w.house2, '南湖东园 7号楼 2单元 1203') };
  },
  rows: {
    'GET /api/v1/exchange/sources': { own: 'oodddddodd', other: null },
    'POST /api/v1/exchange/sources': {
      own: 'oodddddodd',
      other: 'oodddddodd',
      request: (ids) => ({ body: { name: '矩阵来源', department: 'civil_affairs', placeId: ids.place } }),
    },
    'GET /api/v1/exchange/sources/:id/profiles': {
      own: 'oodddddodd',
      other: 'oodddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/sources/${ids.source}/profiles` }),
    },
    'POST /api/v1/exchange/sources/:id/profiles': {
      own: 'oodddddodd',
      other: 'oodddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/sources/${ids.source}/profiles`, body: { definition: policeHouseholdProfile } }),
    },
    'POST /api/v1/exchange/sources/:id/uploads': {
      own: 'oddddddodd',
      other: 'oddddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/sources/${ids.source}/uploads` }),
    },
    'POST /api/v1/exchange/sources/:id/records': {
      own: 'oddddddodd',
      other: 'oddddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/sources/${ids.source}/records`, body: { records: [{ 姓名: '矩阵', 出生日期: '19700101' }] } }),
    },
    'GET /api/v1/exchange/sources/:id/quality': {
      own: 'oodddddodd',
      other: 'oodddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/sources/${ids.source}/quality` }),
    },
    'GET /api/v1/exchange/imports': { own: 'oodddddodd', other: null },
    'GET /api/v1/exchange/imports/:id': { own: 'oodddddodd', other: 'oodddddodd', request: (ids) => ({ path: `/api/v1/exchange/imports/${ids.import}` }) },
    'GET /api/v1/exchange/imports/:id/rejected': {
      own: 'oodddddodd',
      other: 'oodddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/imports/${ids.import}/rejected` }),
    },
    'GET /api/v1/exchange/reviews': { own: 'oodddddodd', other: null },
    'POST /api/v1/exchange/reviews/:id/decision': {
      own: 'oddddddodd',
      other: 'oddddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/reviews/${ids.review}/decision`, body: { decision: 'different' } }),
    },
    'GET /api/v1/exchange/residents/:id/provenance': {
      own: 'oooddddodd',
      other: 'oonddddodd',
      request: (ids) => ({ path: `/api/v1/exchange/residents/${ids.resident}/provenance` }),
    },
    'GET /api/v1/exchange/conflicts': { own: 'oooddddodd', other: null },
  },
};
