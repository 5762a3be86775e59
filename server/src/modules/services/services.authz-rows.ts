// Authorization matrix rows for the services routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// "own" = a provider of c1 whose member is the matrix's service-provider account, and bookings of
// the matrix's resident; "other" = a provider of c2 and a booking of a c2 resident, which the
// provider account must not see (404). Each state-changing route gets its own booking per side.
import type { MatrixRows, MatrixEntry } from '../../test/matrix.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Kernel } from '../../kernel/index.js';
import type { PlaceRow } from '../registry/index.js';
import { buildResident, systemActor } from '../../test/fixtures.js';
import { ResidentsService } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';
import { ProvidersService } from './providers.service.js';
import { BookingsService } from './bookings.service.js';
import { buildProvider, everyDay } from './services.fixtures.js';
import { providerActions } from './services.states.js';

const perBooking = ['read', 'cancel', 'pay', 'rate', 'p_read', ...providerActions] as const;

const residentActor = (residentId: string, userId: string): Actor => ({
  userId,
  kind: 'resident',
  name: 'matrix',
  residentId,
  sessionId: null,
  via: 'token',
  grants: [{ role: 'resident', placeId: null, scopePath: '/' }],
});

/** The matrix's resident: the one in the house with a sign-in account. */
async function residentWithAccount(k: Kernel, houseId: string): Promise<string> {
  const identity = new IdentityService(k);
  for (const r of await new ResidentsService(k).residents.currentOfHouse(houseId)) {
    if (await identity.repo.userByResident(r.resident_id)) return r.resident_id;
  }
  throw new Error('matrix: no resident in house ' + houseId);
}

const valid = {
  provider: (communityId: string) => ({ communityId, category: 'moving', nameZh: '矩阵搬家', nameEn: 'Matrix moving', areaIds: [communityId] }),
  service: { category: 'moving', nameZh: '小件搬运', nameEn: 'Small move', priceFen: 5000, durationMinutes: 60, freeCancelHours: 2, cancelFeeFen: 0 },
  hours: { hours: everyDay('00:00', '24:00', 100) },
};

// staff-side routes on a provider: [own, other]
const manage = ['odoodddddd', 'odnndddddd'] as const;
const residentOnly = ['dddddddddo', 'dddddddddn'] as const;
const providerOnly = ['ddddddddod', 'ddddddddnd'] as const;

export const matrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    const providerUser = (await new IdentityService(k).repo.userByUsername('m_service_provider'))!;
    const side = async (community: PlaceRow, house: PlaceRow, withAccount: boolean, members: string[]) => {
      const { providerId, serviceId } = await buildProvider(k, admin, {
        communityId: community.id,
        areaIds: [community.id],
        memberUserIds: members,
        hours: valid.hours.hours,
      });
      // the other community's matrix resident has been moved out by then: a fresh one lives there
      const residentId = withAccount ? await residentWithAccount(k, house.id) : (await buildResident(k, house, { name: '服务矩阵居民' })).id;
      const actor = residentActor(residentId, withAccount ? (await new IdentityService(k).repo.userByResident(residentId))!.id : 'usr_matrix_none');
      const bookings = new BookingsService(new ProvidersService(k));
      const slot = (await bookings.providers.slots(actor, serviceId, { houseId: house.id, days: 3 })).items[0].start;
      const out: Record<string, string> = { sv_provider: providerId, sv_service: serviceId, sv_house: house.id, sv_myhouse: w.house1.id };
      for (const name of perBooking) {
        const body = { serviceId, houseId: house.id, slotStart: slot };
        const b = await bookings.book(actor, await bookings.prepare(actor, body), body, '127.0.0.1', 'zh-CN');
        out[`sv_${name}`] = b.id;
      }
      return out;
    };
    return { own: await side(w.c1, w.house1, true, [providerUser.id]), other: await side(w.c2, w.house2, false, []) };
  },
  rows: {
    'GET /api/v1/service-providers': { own: 'oooodddddd', other: null },
    'POST /api/v1/service-providers': { own: manage[0], other: manage[1], request: (ids) => ({ body: valid.provider(ids.community) }) },
    'GET /api/v1/service-providers/:id': {
      own: 'oooodddddd',
      other: 'oonndddddd',
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}` }),
    },
    'PATCH /api/v1/service-providers/:id': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}`, body: { description: 'matrix' } }),
    },
    'POST /api/v1/service-providers/:id/services': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/services`, body: valid.service }),
    },
    'PATCH /api/v1/service-providers/:id/services/:serviceId': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/services/${ids.sv_service}`, body: { description: 'matrix' } }),
    },
    'PUT /api/v1/service-providers/:id/services/:serviceId/hours': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/services/${ids.sv_service}/hours`, body: valid.hours }),
    },
    'GET /api/v1/service-providers/:id/member-candidates': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/member-candidates` }),
    },
    // a user id that is no candidate: 422 for the roles that pass
    'POST /api/v1/service-providers/:id/members': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/members`, body: { userId: 'usr_nobody' } }),
    },
    'DELETE /api/v1/service-providers/:id/members/:userId': {
      own: manage[0],
      other: manage[1],
      request: (ids) => ({ path: `/api/v1/service-providers/${ids.sv_provider}/members/usr_nobody` }),
    },
    // residents only (a platform admin lives in no house: 403)
    'GET /api/v1/service-catalog': { own: 'dddddddddo', other: null, request: (ids) => ({ path: `/api/v1/service-catalog?houseId=${ids.sv_house}` }) },
    'GET /api/v1/service-catalog/:id/slots': {
      own: residentOnly[0],
      other: residentOnly[1],
      request: (ids) => ({ path: `/api/v1/service-catalog/${ids.sv_service}/slots?houseId=${ids.sv_myhouse}` }),
    },
    // the resident's own house; without an Idempotency-Key they get 400 for a service there, 404 for one of another community
    'POST /api/v1/service-bookings': {
      own: residentOnly[0],
      other: residentOnly[1],
      request: (ids) => ({
        body: { serviceId: ids.sv_service, houseId: ids.sv_myhouse, slotStart: new Date(Date.now() + 86_400_000).toISOString().slice(0, 13) + ':00:00.000Z' },
      }),
    },
    'GET /api/v1/service-bookings': { own: 'oooodddddo', other: null },
    'GET /api/v1/service-bookings/:id': { own: 'oooodddddo', other: 'oonndddddn', request: (ids) => ({ path: `/api/v1/service-bookings/${ids.sv_read}` }) },
    'POST /api/v1/service-bookings/:id/cancel': {
      own: residentOnly[0],
      other: residentOnly[1],
      request: (ids) => ({ path: `/api/v1/service-bookings/${ids.sv_cancel}/cancel`, body: {} }),
    },
    'POST /api/v1/service-bookings/:id/pay': {
      own: residentOnly[0],
      other: residentOnly[1],
      request: (ids) => ({ path: `/api/v1/service-bookings/${ids.sv_pay}/pay`, body: {} }),
    },
    'POST /api/v1/service-bookings/:id/rate': {
      own: residentOnly[0],
      other: residentOnly[1],
      request: (ids) => ({ path: `/api/v1/service-bookings/${ids.sv_rate}/rate`, body: { rating: 3 } }),
    },
    // provider workspace: only an account linked to the booking's provider
    'GET /api/v1/provider/me': { own: providerOnly[0], other: null },
    'GET /api/v1/provider/bookings': { own: providerOnly[0], other: null },
    'PUT /api/v1/provider/services/:id/hours': {
      own: providerOnly[0],
      other: providerOnly[1],
      request: (ids) => ({ path: `/api/v1/provider/services/${ids.sv_service}/hours`, body: valid.hours }),
    },
    'GET /api/v1/provider/bookings/:id': {
      own: providerOnly[0],
      other: providerOnly[1],
      request: (ids) => ({ path: `/api/v1/provider/bookings/${ids.sv_p_read}` }),
    },
    ...Object.fromEntries(
      providerActions.map((a): [string, MatrixEntry] => [
        `POST /api/v1/provider/bookings/:id/${a}`,
        { own: providerOnly[0], other: providerOnly[1], request: (ids) => ({ path: `/api/v1/provider/bookings/${ids[`sv_${a}`]}/${a}`, body: {} }) },
      ]),
    ),
  },
};
/** The old name, until the matrix test reads the manifest. */
export const servicesMatrix = matrix;
