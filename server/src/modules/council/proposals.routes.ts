import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { IdParam } from './votes.schema.js';
import * as S from './proposals.schema.js';
import * as R from './council.schema.js';
import { documentedBody, fileUpload } from '../../kernel/http/contract.js';
import type { ProposalsService } from './proposals.service.js';
import { readUpload, sendStoredFile } from '../../kernel/http/upload.js';

const tags = ['council'];
const can = (action: string) => ({ auth: { action, subject: 'Proposal' } });

export function registerProposalRoutes(app: App, svc: ProposalsService) {
  app.get(
    '/api/v1/council/proposals',
    { config: can('read'), schema: { tags, summary: 'Proposals of the community', querystring: S.ListProposalsQuery, response: { 200: R.ProposalPage } } },
    async (req) => svc.list(requireActor(req), req.query),
  );

  app.post(
    '/api/v1/council/proposals',
    {
      config: can('create'),
      schema: { tags: ['portal', ...tags], summary: 'A resident submits a proposal', body: S.CreateProposalBody, response: { 201: R.ProposalDetail } },
    },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );

  // Attachments are uploaded first (one image or PDF per request), then referred to by id.
  app.post(
    '/api/v1/council/proposals/attachments',
    {
      config: { ...can('create'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: { tags, summary: 'Upload an attachment (multipart: file; image or PDF ≤ 10 MB)', response: { 201: R.FileView } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const f = await readUpload(req, S.MAX_ATTACHMENT_BYTES);
      return reply.status(201).send(await svc.upload(actor, f.filename || 'attachment', f.data));
    },
  );

  app.get(
    '/api/v1/council/proposals/attachments/:fileId',
    {
      config: { ...can('read'), rawResponse: true },
      schema: { tags, summary: 'An attachment of a proposal', params: S.FileIdParam, produces: ['image/*', 'application/pdf'] },
    },
    async (req, reply) => {
      const f = await svc.attachment(requireActor(req), req.params.fileId);
      return sendStoredFile(reply, f);
    },
  );

  app.get(
    '/api/v1/council/proposals/:id',
    { config: can('read'), schema: { tags, summary: 'A proposal with its timeline and comments', params: IdParam, response: { 200: R.ProposalDetail } } },
    async (req) => svc.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/v1/council/proposals/:id/cosign',
    {
      config: can('cosign'),
      schema: { tags: ['portal', ...tags], summary: 'Co-sign a proposal (once per resident)', params: IdParam, response: { 200: R.ProposalDetail } },
    },
    async (req) => svc.cosign(requireActor(req), req.params.id, req.ip),
  );

  app.post(
    '/api/v1/council/proposals/:id/follow',
    {
      config: can('follow'),
      schema: { tags: ['portal', ...tags], summary: 'Follow or unfollow a proposal', params: IdParam, body: S.FollowBody, response: { 200: R.FollowResult } },
    },
    async (req) => svc.follow(requireActor(req), req.params.id, req.body.follow),
  );

  app.post(
    '/api/v1/council/proposals/:id/comments',
    {
      config: can('comment'),
      schema: { tags: ['portal', ...tags], summary: 'Comment on a proposal', params: IdParam, body: S.CommentBody, response: { 201: R.CommentView } },
    },
    async (req, reply) => reply.status(201).send(await svc.comment(requireActor(req), req.params.id, req.body.body)),
  );

  app.post(
    '/api/v1/council/proposals/:id/status',
    {
      config: can('answer'),
      schema: {
        tags,
        summary: 'Staff answer: set the status with a note (timeline entry)',
        params: IdParam,
        body: S.StatusBody,
        response: { 200: R.ProposalDetail },
      },
    },
    async (req) => svc.setStatus(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.post(
    '/api/v1/council/comments/:id/report',
    {
      config: can('report'),
      schema: { tags: ['portal', ...tags], summary: 'Report a comment (hidden after N reports)', params: IdParam, response: { 200: R.ReportResult } },
    },
    async (req) => svc.report(requireActor(req), req.params.id),
  );

  app.post(
    '/api/v1/council/comments/:id/review',
    {
      config: can('moderate'),
      schema: { tags, summary: 'Staff review of a reported comment: keep or remove', params: IdParam, body: S.ReviewBody, response: { 200: R.CommentView } },
    },
    async (req) => svc.review(requireActor(req), req.params.id, req.body.decision, req.ip),
  );

  app.get(
    '/api/v1/council/comments/pending',
    { config: can('moderate'), schema: { tags, summary: 'Comments hidden by reports, waiting for review', response: { 200: R.ModerationQueue } } },
    async (req) => svc.moderationQueue(requireActor(req)),
  );
}
