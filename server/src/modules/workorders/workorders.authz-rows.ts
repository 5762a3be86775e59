// Authorization matrix rows for the work-order routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// Each state-changing route gets its own order per side, so the roles that pass see a 2xx or a 409
// (illegal transition), never a 403/404 caused by what an earlier column did.
import crypto from 'node:crypto';
import type { MatrixRows, MatrixEntry } from '../../test/matrix.js';
import { systemActor } from '../../test/fixtures.js';
import { ResidentsService } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { WorkOrdersService } from './workorders.service.js';
import { transitionActions } from './workorders.states.js';

const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(32)]);

const perOrder = ['assign', 'grab', 'start', 'pause', 'resume', 'resolve', 'close', 'reopen', 'cancel', 'rate', 'costs', 'read'] as const;

// [own, other] per transition
const transitionRows: Record<(typeof transitionActions)[number], [string, string]> = {
  assign: ['oddodddddd', 'oddndddddd'],
  grab: ['oddooddddd', 'oddnnddddd'],
  start: ['oddooddddd', 'oddnnddddd'],
  pause: ['oddooddddd', 'oddnnddddd'],
  resume: ['oddooddddd', 'oddnnddddd'],
  resolve: ['oddooddddd', 'oddnnddddd'],
  close: ['odoodddddo', 'odnndddddn'],
  reopen: ['oddodddddo', 'oddndddddn'],
  cancel: ['odoodddddo', 'odnndddddn'],
};

export const matrix: MatrixRows = {
  async setup(k, w) {
    const svc = new WorkOrdersService(k);
    const admin = systemActor();
    // the matrix's resident (the one with a sign-in account) lives in house1 (c1); "own" orders are theirs
    const rs = new ResidentsService(k);
    let residentId: string | null = null;
    for (const r of await rs.residents.currentOfHouse(w.house1.id)) {
      if (await userOfResident(k, r.resident_id)) {
        residentId = r.resident_id;
        break;
      }
    }
    const make = async (house: { id: string }, resident: string | null, photo = false) => {
      const photoIds = photo ? [(await k.files.save({ name: 'p.png', data: png(), ownerId: admin.userId, accept: ['image'], maxBytes: 1 << 20 })).id] : [];
      const wo = await svc.createByStaff(
        admin,
        { placeId: house.id, category: 'other', description: 'matrix', residentId: resident, photoIds },
        '127.0.0.1',
        'zh-CN',
      );
      return { id: wo.id, photo: photoIds[0] ?? '' };
    };
    const side = async (house: { id: string }, resident: string | null) => {
      const out: Record<string, string> = { placeId: house.id };
      for (const name of perOrder) out[`wo_${name}`] = (await make(house, resident)).id;
      const withPhoto = await make(house, resident, true);
      out.wo_photo = withPhoto.photo;
      return out;
    };
    const own = await side(w.house1, residentId);
    const other = await side(w.house2, null);
    return { own: { ...own, communityId: w.c1.id }, other: { ...other, communityId: w.c2.id } };
  },
  rows: {
    'GET /api/v1/work-order-categories': { own: 'odoooodddo', other: null },
    // a property manager sets the SLA of their own community only
    'PUT /api/v1/work-order-categories/:code': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({
        path: '/api/v1/work-order-categories/plumbing',
        body: { communityId: ids.communityId, nameZh: '管道疏通', nameEn: 'Plumbing', priority: 'high', responseMinutes: 30, resolveMinutes: 600 },
      }),
    },
    'GET /api/v1/work-orders': { own: 'odoooodddo', other: null },
    'GET /api/v1/work-orders/:id': { own: 'odoooodddo', other: 'odnnnndddn', request: (ids) => ({ path: `/api/v1/work-orders/${ids.wo_read}` }) },
    'POST /api/v1/work-orders': {
      own: 'odoodddddd',
      other: 'odnndddddd',
      request: (ids) => ({ body: { placeId: ids.placeId, category: 'other', description: 'matrix' } }),
    },
    // only a resident files repair requests (a platform admin is no resident: 403)
    'POST /api/v1/repair-requests': {
      own: 'dddddddddo',
      other: null,
      request: (ids) => ({ body: { placeId: ids.placeId, category: 'other', description: 'matrix' } }),
    },
    // a JSON body where multipart is expected: 415 for those who pass the gate
    'POST /api/v1/work-orders/photos': { own: 'odoooddddo', other: null },
    'GET /api/v1/work-orders/photos/:fileId': {
      own: 'odoooodddo',
      other: 'odnnnndddn',
      request: (ids) => ({ path: `/api/v1/work-orders/photos/${ids.wo_photo}` }),
    },
    ...Object.fromEntries(
      transitionActions.map((a): [string, MatrixEntry] => [
        `POST /api/v1/work-orders/:id/${a}`,
        { own: transitionRows[a][0], other: transitionRows[a][1], request: (ids) => ({ path: `/api/v1/work-orders/${ids[`wo_${a}`]}/${a}`, body: {} }) },
      ]),
    ),
    // only the resident who asked may rate; a platform admin is refused (403)
    'POST /api/v1/work-orders/:id/rate': {
      own: 'dddddddddo',
      other: 'dddddddddn',
      request: (ids) => ({ path: `/api/v1/work-orders/${ids.wo_rate}/rate`, body: { rating: 3 } }),
    },
    // without an Idempotency-Key the roles that pass get 400
    'POST /api/v1/work-orders/:id/costs': {
      own: 'oddooddddd',
      other: 'oddnnddddd',
      request: (ids) => ({ path: `/api/v1/work-orders/${ids.wo_costs}/costs`, body: { lines: [{ description: 'x', amountFen: 1 }] } }),
    },
  },
};

/** The old name, until the matrix test reads `matrix` through the manifest. */
export const workordersMatrix = matrix;
