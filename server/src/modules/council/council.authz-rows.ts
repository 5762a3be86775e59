// Authorization matrix rows for the council routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';
import { buildResident, systemActor } from '../../test/fixtures.js';
import crypto from 'node:crypto';
import { VotesService } from './votes.service.js';
import { ProposalsService } from './proposals.service.js';
import { communityOf } from './council.common.js';
import { FeedbackRepository } from './feedback.repository.js';
import { ResidentsService } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';

export const councilMatrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    // owners of their own, so no roll is empty whatever other modules' rows did to the world
    await buildResident(k, w.house1b, { name: '议事业主', role: 'owner' });
    await buildResident(k, w.house2, { name: '议事业主', role: 'owner' });
    const votes = new VotesService(k, async () => false);
    const vote = async (communityId: string, open: boolean) => {
      const v = await votes.create(admin, { communityId, title: 'matrix', basis: 'owners', secret: true, rule: 'simple' }, '127.0.0.1');
      if (open) await votes.open(admin, v.id as string, '127.0.0.1');
      return v.id as string;
    };
    const proposals = new ProposalsService(k);
    const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(32)]);
    const proposal = async (communityId: string) => {
      const c = await communityOf(k, communityId);
      const file = await k.files.save({ name: 'p.png', data: png(), ownerId: admin.userId, accept: ['image'], maxBytes: 1 << 20 });
      const p = await proposals.insert(
        { communityId, path: c.path, title: 'matrix', body: 'matrix', attachments: [file.id], authorResidentId: null, authorName: 'm', source: 'staff' },
        admin,
        '127.0.0.1',
      );
      const comment = `pcm_matrix_${communityId}`;
      await proposals.repo.insertComment({
        id: comment,
        proposal_id: p.id,
        author_user_id: admin.userId,
        author_name: 'm',
        body: 'm',
        reports: 0,
        hidden: 0,
        review: 'none',
        created_at: p.created_at,
      });
      return { prp: p.id, file: file.id, comment };
    };
    // "own" feedback is the matrix resident's (the one in house1 with a sign-in account)
    const rs = new ResidentsService(k);
    const identity = new IdentityService(k);
    let residentId = 'res_none';
    for (const r of await rs.residents.currentOfHouse(w.house1.id)) if (await identity.repo.userByResident(r.resident_id)) residentId = r.resident_id;
    const fbRepo = new FeedbackRepository(k.db);
    const feedback = async (communityId: string, resident: string, photo = '') => {
      const c = await communityOf(k, communityId);
      const at = new Date().toISOString();
      const id = `fbk_matrix_${Math.random().toString(36).slice(2)}`;
      await k.db.transaction().execute((t) =>
        fbRepo.insert(t, {
          id,
          community_id: communityId,
          place_path: c.path,
          place_id: null,
          resident_id: resident,
          resident_name: 'm',
          category: 'other',
          text: 'matrix',
          photo_ids: JSON.stringify(photo ? [photo] : []),
          status: 'submitted',
          answer: null,
          answered_by: null,
          answered_at: null,
          work_order_id: null,
          proposal_id: null,
          respond_by: at,
          overdue: 0,
          rating: null,
          rating_comment: null,
          month: at.slice(0, 7),
          created_at: at,
          updated_at: at,
        }),
      );
      return id;
    };
    const feedbackSide = async (communityId: string, resident: string) => {
      const photo = (await k.files.save({ name: 'f.png', data: png(), ownerId: admin.userId, accept: ['image'], maxBytes: 1 << 20 })).id;
      return {
        fb_read: await feedback(communityId, resident, photo),
        fb_photo: photo,
        fb_answer: await feedback(communityId, resident),
        fb_wo: await feedback(communityId, resident),
        fb_prp: await feedback(communityId, resident),
        fb_rate: await feedback(communityId, resident),
      };
    };
    const meeting = async (communityId: string) => {
      const c = await communityOf(k, communityId);
      const id = `mtg_matrix_${Math.random().toString(36).slice(2)}`;
      const at = new Date().toISOString();
      await k.db
        .insertInto('council_meetings')
        .values({
          id,
          community_id: communityId,
          place_path: c.path,
          title: 'm',
          starts_at: at,
          location: 'm',
          minutes: null,
          attendees: '[]',
          status: 'planned',
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    const side = async (communityId: string) => ({
      communityId,
      mtg: await meeting(communityId),
      ...(await feedbackSide(communityId, communityId === w.c1.id ? residentId : 'res_other')),
      ...(await proposal(communityId)),
      vote_read: await vote(communityId, true),
      vote_open: await vote(communityId, false),
      vote_close: await vote(communityId, true),
      vote_cast: await vote(communityId, true),
      vote_paper: await vote(communityId, true),
    });
    return { own: await side(w.c1.id), other: await side(w.c2.id) };
  },
  rows: {
    'GET /api/v1/council/votes': { own: 'oooddddddo', other: null },
    'POST /api/v1/council/votes': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ body: { communityId: ids.communityId, title: 'm', basis: 'owners', secret: true, rule: 'simple' } }),
    },
    'GET /api/v1/council/votes/:id': { own: 'oooddddddo', other: 'oonddddddn', request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_read}` }) },
    'POST /api/v1/council/votes/:id/open': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_open}/open` }),
    },
    'POST /api/v1/council/votes/:id/close': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_close}/close` }),
    },
    // a platform admin passes the gate but is no resident (403); the matrix resident owns house1
    'POST /api/v1/council/votes/:id/ballot': {
      own: 'dddddddddo',
      other: 'dddddddddn',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_cast}/ballot`, body: { choice: 'yes' } }),
    },
    // an unknown voter key: 422 for those who pass
    'POST /api/v1/council/votes/:id/paper-ballots': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_paper}/paper-ballots`, body: { voterKey: 'res_none', choice: 'yes' } }),
    },
    'GET /api/v1/council/votes/:id/roll': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/votes/${ids.vote_paper}/roll` }),
    },
    'GET /api/v1/council/proposals': { own: 'oooddddddo', other: null },
    'POST /api/v1/council/proposals': { own: 'dddddddddo', other: null, request: () => ({ body: { title: 'm', body: 'm' } }) },
    // a JSON body where multipart is expected: 415 for those who pass the gate
    'POST /api/v1/council/proposals/attachments': { own: 'oddddddddo', other: null },
    'GET /api/v1/council/proposals/attachments/:fileId': {
      own: 'oooddddddo',
      other: 'oonddddddn',
      request: (ids) => ({ path: `/api/v1/council/proposals/attachments/${ids.file}` }),
    },
    'GET /api/v1/council/proposals/:id': { own: 'oooddddddo', other: 'oonddddddn', request: (ids) => ({ path: `/api/v1/council/proposals/${ids.prp}` }) },
    // only residents co-sign and comment: a platform admin is no resident (403)
    'POST /api/v1/council/proposals/:id/cosign': {
      own: 'dddddddddo',
      other: 'dddddddddn',
      request: (ids) => ({ path: `/api/v1/council/proposals/${ids.prp}/cosign` }),
    },
    'POST /api/v1/council/proposals/:id/comments': {
      own: 'dddddddddo',
      other: 'dddddddddn',
      request: (ids) => ({ path: `/api/v1/council/proposals/${ids.prp}/comments`, body: { body: 'm' } }),
    },
    'POST /api/v1/council/proposals/:id/follow': {
      own: 'oddddddddo',
      other: 'oddddddddn',
      request: (ids) => ({ path: `/api/v1/council/proposals/${ids.prp}/follow`, body: { follow: true } }),
    },
    'POST /api/v1/council/proposals/:id/status': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/proposals/${ids.prp}/status`, body: { status: 'under_review', note: 'm' } }),
    },
    'POST /api/v1/council/comments/:id/report': {
      own: 'oddddddddo',
      other: 'oddddddddn',
      request: (ids) => ({ path: `/api/v1/council/comments/${ids.comment}/report` }),
    },
    'POST /api/v1/council/comments/:id/review': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/comments/${ids.comment}/review`, body: { decision: 'keep' } }),
    },
    'GET /api/v1/council/comments/pending': { own: 'ododdddddd', other: null },
    'GET /api/v1/council/meetings': { own: 'oooddddddo', other: null },
    'POST /api/v1/council/meetings': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ body: { communityId: ids.communityId, title: 'm', startsAt: '2026-12-01T10:00:00.000Z', location: 'm' } }),
    },
    'GET /api/v1/council/meetings/:id': { own: 'oooddddddo', other: 'oonddddddn', request: (ids) => ({ path: `/api/v1/council/meetings/${ids.mtg}` }) },
    'PATCH /api/v1/council/meetings/:id': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/meetings/${ids.mtg}`, body: { minutes: 'm' } }),
    },
    'POST /api/v1/council/meetings/:id/agenda': {
      own: 'ododdddddd',
      other: 'odnddddddd',
      request: (ids) => ({ path: `/api/v1/council/meetings/${ids.mtg}/agenda`, body: { title: 'm' } }),
    },
    'GET /api/v1/council/feedback': { own: 'oooodddddo', other: null },
    'POST /api/v1/council/feedback': { own: 'dddddddddo', other: null, request: () => ({ body: { category: 'other', text: 'm' } }) },
    'POST /api/v1/council/feedback/photos': { own: 'oddddddddo', other: null },
    'GET /api/v1/council/feedback/photos/:fileId': {
      own: 'oooodddddo',
      other: 'oonndddddn',
      request: (ids) => ({ path: `/api/v1/council/feedback/photos/${ids.fb_photo}` }),
    },
    'GET /api/v1/council/feedback-stats': { own: 'oooodddddd', other: null },
    'GET /api/v1/council/feedback/:id': { own: 'oooodddddo', other: 'oonndddddn', request: (ids) => ({ path: `/api/v1/council/feedback/${ids.fb_read}` }) },
    'POST /api/v1/council/feedback/:id/answer': {
      own: 'odoodddddd',
      other: 'odnndddddd',
      request: (ids) => ({ path: `/api/v1/council/feedback/${ids.fb_answer}/answer`, body: { answer: 'm' } }),
    },
    'POST /api/v1/council/feedback/:id/work-order': {
      own: 'odoodddddd',
      other: 'odnndddddd',
      request: (ids) => ({ path: `/api/v1/council/feedback/${ids.fb_wo}/work-order`, body: { category: 'other' } }),
    },
    'POST /api/v1/council/feedback/:id/proposal': {
      own: 'odoodddddd',
      other: 'odnndddddd',
      request: (ids) => ({ path: `/api/v1/council/feedback/${ids.fb_prp}/proposal`, body: {} }),
    },
    // only the resident who submitted rates (unanswered: 409); a platform admin is refused (403)
    'POST /api/v1/council/feedback/:id/rate': {
      own: 'dddddddddo',
      other: 'dddddddddn',
      request: (ids) => ({ path: `/api/v1/council/feedback/${ids.fb_rate}/rate`, body: { rating: 3 } }),
    },
  },
};

/** The manifest's name for the rows (`councilMatrix` stays until the matrix test reads manifests). */
export const matrix = councilMatrix;
