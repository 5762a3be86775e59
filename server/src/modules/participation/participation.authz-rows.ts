// Authorization matrix rows for the participation routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// The gov supervisor's grant is on the street (both communities); staff's on c1; the resident
// lives in c1. Resident-only actions (read receipt, answer, register, redeem, my points) refuse a
// platform admin (403: no resident record behind the account).
import type { MatrixRows } from '../../test/matrix.js';
import { systemActor } from '../../test/fixtures.js';
import { buildResident, type World } from '../../test/fixtures.js';
import { places } from '../registry/index.js';
import { NoticesService } from './notices.service.js';
import { SurveysService } from './surveys.service.js';
import { EventsService } from './events.service.js';
import { PointsService } from './points.service.js';
import { RewardsService } from './rewards.service.js';
import { newId } from '../../kernel/ids.js';

const png = () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

const STAFF = 'ododdddddd'; // admin and community staff
const STAFF_OTHER = 'odnddddddd';
const READ = 'oooddddddo'; // admin, gov, staff, resident
const READ_OTHER = 'oonddddddn';
const RESIDENT = 'dddddddddo';
const RESIDENT_OTHER = 'dddddddddn';

export const participationMatrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    const notices = new NoticesService(k);
    const surveys = new SurveysService(k);
    const events = new EventsService(k);
    const points = new PointsService(k);
    const rewards = new RewardsService(k, points);
    const side = async (community: { id: string }, house: World['house1']) => {
      const c = (await places.getPlace(k, community.id))!;
      const resident = await buildResident(k, house, { name: '矩阵积分居民' });
      const file = await notices.uploadAttachment(admin, 'a.png', png());
      const notice = await notices.create(admin, { communityId: c.id, title: '矩阵通知', bodyHtml: '<p>x</p>', attachmentIds: [file.id] }, '127.0.0.1');
      const notice2 = await notices.create(admin, { communityId: c.id, title: '矩阵通知2', bodyHtml: '<p>x</p>' }, '127.0.0.1');
      const q = [{ id: 'q1', type: 'text' as const, title: '建议' }];
      const survey = await surveys.create(admin, { communityId: c.id, title: '矩阵问卷', questions: q }, '127.0.0.1');
      const survey2 = await surveys.create(admin, { communityId: c.id, title: '矩阵问卷2', questions: q }, '127.0.0.1');
      const ev = {
        communityId: c.id,
        title: '矩阵活动',
        location: '广场',
        capacity: 100,
        startsAt: new Date(Date.now() + 86400_000).toISOString(),
        endsAt: new Date(Date.now() + 90000_000).toISOString(),
        organiser: { kind: 'community' as const, name: '社区' },
      };
      const event = await events.create(admin, ev, '127.0.0.1');
      const event2 = await events.create(admin, ev, '127.0.0.1');
      const reward = await rewards.create(admin, { communityId: c.id, name: '矩阵奖品', cost: 1, stock: 100 }, '127.0.0.1');
      const honour = await rewards.createHonour(admin, { communityId: c.id, name: '矩阵荣誉' }, '127.0.0.1');
      // redemptions to hand out, one per role column that may try
      const redemption = newId('rdm');
      await k.db
        .insertInto('pt_redemptions')
        .values({
          id: redemption,
          reward_id: reward.id,
          community_id: c.id,
          place_path: c.path,
          resident_id: resident.id,
          cost: 1,
          status: 'pending',
          created_at: new Date().toISOString(),
          fulfilled_at: null,
          fulfilled_by: null,
        })
        .execute();
      return {
        communityId: c.id,
        pointsResident: resident.id,
        notice: notice.id,
        notice2: notice2.id,
        file: file.id,
        survey: survey.id,
        survey2: survey2.id,
        event: event.id,
        event2: event2.id,
        reward: reward.id,
        honour: honour.id,
        redemption,
      };
    };
    return { own: await side(w.c1, w.house1), other: await side(w.c2, w.house2) };
  },
  rows: {
    // notices
    'GET /api/v1/notices': { own: READ, other: null },
    'POST /api/v1/notices': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ body: { communityId: ids.communityId, title: 'm', bodyHtml: '<p>m</p>' } }),
    },
    // a JSON body where multipart is expected: 415 for those who pass the gate
    'POST /api/v1/notices/files': { own: STAFF, other: null },
    'GET /api/v1/notices/files/:fileId': { own: READ, other: READ_OTHER, request: (ids) => ({ path: `/api/v1/notices/files/${ids.file}` }) },
    'GET /api/v1/notices/:id': { own: READ, other: READ_OTHER, request: (ids) => ({ path: `/api/v1/notices/${ids.notice}` }) },
    'POST /api/v1/notices/:id/read': { own: RESIDENT, other: RESIDENT_OTHER, request: (ids) => ({ path: `/api/v1/notices/${ids.notice}/read` }) },
    'GET /api/v1/notices/:id/stats': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/notices/${ids.notice}/stats` }) },
    'PATCH /api/v1/notices/:id': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/notices/${ids.notice}`, body: { pinned: true } }) },
    'POST /api/v1/notices/:id/withdraw': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/notices/${ids.notice2}/withdraw` }) },
    // surveys
    'GET /api/v1/surveys': { own: READ, other: null },
    'POST /api/v1/surveys': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ body: { communityId: ids.communityId, title: 'm', questions: [{ id: 'q1', type: 'text', title: 'm' }] } }),
    },
    'GET /api/v1/surveys/:id': { own: READ, other: READ_OTHER, request: (ids) => ({ path: `/api/v1/surveys/${ids.survey}` }) },
    'POST /api/v1/surveys/:id/responses': {
      own: RESIDENT,
      other: RESIDENT_OTHER,
      request: (ids) => ({ path: `/api/v1/surveys/${ids.survey}/responses`, body: { answers: {} } }),
    },
    // supervisors read results too; a resident of the audience is refused (403), others see nothing (404)
    'GET /api/v1/surveys/:id/results': { own: 'oooddddddd', other: 'oonddddddn', request: (ids) => ({ path: `/api/v1/surveys/${ids.survey}/results` }) },
    'GET /api/v1/surveys/:id/export': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/surveys/${ids.survey}/export` }) },
    'POST /api/v1/surveys/:id/close': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/surveys/${ids.survey2}/close` }) },
    // events
    'GET /api/v1/events': { own: READ, other: null },
    'POST /api/v1/events': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({
        body: {
          communityId: ids.communityId,
          title: 'm',
          location: 'm',
          capacity: 1,
          startsAt: '2030-01-01T00:00:00Z',
          endsAt: '2030-01-01T02:00:00Z',
          organiser: { kind: 'community', name: 'm' },
        },
      }),
    },
    'GET /api/v1/events/:id': { own: READ, other: READ_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event}` }) },
    'POST /api/v1/events/:id/register': { own: RESIDENT, other: RESIDENT_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event}/register` }) },
    'GET /api/v1/events/:id/ticket': { own: RESIDENT, other: RESIDENT_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event}/ticket` }) },
    'POST /api/v1/events/:id/unregister': { own: RESIDENT, other: RESIDENT_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event}/unregister` }) },
    // a token that is no ticket: 422 for those who pass
    'POST /api/v1/events/:id/check-in': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ path: `/api/v1/events/${ids.event}/check-in`, body: { token: 'not-a-ticket-at-all' } }),
    },
    'POST /api/v1/events/:id/hours': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ path: `/api/v1/events/${ids.event}/hours`, body: { residentId: ids.pointsResident, hours: 1 } }),
    },
    'GET /api/v1/events/:id/registrations': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event}/registrations` }) },
    'POST /api/v1/events/:id/cancel': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/events/${ids.event2}/cancel` }) },
    // points, rewards, honours
    'GET /api/v1/participation/components': { own: 'oooooooooo', other: null },
    'GET /api/v1/participation/settings': {
      own: 'oooddddddd',
      other: 'oonddddddd',
      request: (ids) => ({ path: `/api/v1/participation/settings?communityId=${ids.communityId}` }),
    },
    'PUT /api/v1/participation/settings': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ body: { communityId: ids.communityId, component: 'events', key: 'waitingList', value: true } }),
    },
    'GET /api/v1/points/me': { own: RESIDENT, other: null },
    'GET /api/v1/points/leaderboard': { own: RESIDENT, other: null },
    'PUT /api/v1/points/leaderboard/opt-out': { own: RESIDENT, other: null, request: () => ({ body: { optOut: false } }) },
    'GET /api/v1/points/balances': { own: STAFF, other: null },
    'GET /api/v1/points/residents/:id': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/points/residents/${ids.pointsResident}` }) },
    // a resident of another community in the body is a field error (422), as elsewhere
    'POST /api/v1/points/adjust': { own: STAFF, other: STAFF, request: (ids) => ({ body: { residentId: ids.pointsResident, delta: 1, reason: 'matrix' } }) },
    'GET /api/v1/points/rules': { own: 'oooddddddd', other: 'oonddddddd', request: (ids) => ({ path: `/api/v1/points/rules?communityId=${ids.communityId}` }) },
    'PUT /api/v1/points/rules': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ body: { communityId: ids.communityId, component: 'events', action: 'attend', points: 10, dailyCap: 30, enabled: true } }),
    },
    'GET /api/v1/rewards': { own: READ, other: null },
    'POST /api/v1/rewards': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ body: { communityId: ids.communityId, name: 'm', cost: 1, stock: 1 } }) },
    // without an Idempotency-Key the resident gets 400
    'POST /api/v1/rewards/:id/redeem': { own: RESIDENT, other: RESIDENT_OTHER, request: (ids) => ({ path: `/api/v1/rewards/${ids.reward}/redeem` }) },
    'GET /api/v1/redemptions': { own: READ, other: null },
    'POST /api/v1/redemptions/:id/fulfil': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ path: `/api/v1/redemptions/${ids.redemption}/fulfil` }) },
    'GET /api/v1/honours': { own: READ, other: null },
    'POST /api/v1/honours': { own: STAFF, other: STAFF_OTHER, request: (ids) => ({ body: { communityId: ids.communityId, name: 'm' } }) },
    'POST /api/v1/honours/:id/award': {
      own: STAFF,
      other: STAFF_OTHER,
      request: (ids) => ({ path: `/api/v1/honours/${ids.honour}/award`, body: { residentId: ids.pointsResident } }),
    },
  },
};

/** The manifest's name for the rows (`participationMatrix` stays until the matrix test reads manifests). */
export const matrix = participationMatrix;
