import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { IdParam } from './votes.schema.js';
import { FileIdParam } from './proposals.schema.js';
import * as S from './feedback.schema.js';
import * as R from './council.schema.js';
import { documentedBody, fileUpload } from '../../kernel/http/contract.js';
import type { FeedbackService } from './feedback.service.js';
import { readUpload, sendStoredFile } from '../../kernel/http/upload.js';

const tags = ['council'];
const can = (action: string) => ({ auth: { action, subject: 'Feedback' } });

export function registerFeedbackRoutes(app: App, svc: FeedbackService) {
  app.get(
    '/api/v1/council/feedback',
    {
      config: can('read'),
      schema: { tags, summary: 'Feedback in scope (residents: their own)', querystring: S.ListFeedbackQuery, response: { 200: R.FeedbackPage } },
    },
    async (req) => svc.list(requireActor(req), req.query),
  );

  app.post(
    '/api/v1/council/feedback',
    {
      config: can('submit'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'A resident submits feedback (category, text, photos, place)',
        body: S.SubmitFeedbackBody,
        response: { 201: R.FeedbackView },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.submit(requireActor(req), req.body, req.ip)),
  );

  app.post(
    '/api/v1/council/feedback/photos',
    {
      config: { ...can('attach'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: { tags: ['portal', ...tags], summary: 'Upload a photo (multipart: file; image ≤ 5 MB)', response: { 201: R.FileView } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const f = await readUpload(req, S.MAX_FEEDBACK_PHOTO_BYTES);
      return reply.status(201).send(await svc.upload(actor, f.filename || 'photo', f.data));
    },
  );

  app.get(
    '/api/v1/council/feedback/photos/:fileId',
    { config: { ...can('read'), rawResponse: true }, schema: { tags, summary: 'A photo of a feedback', params: FileIdParam, produces: ['image/*'] } },
    async (req, reply) => {
      const f = await svc.photo(requireActor(req), req.params.fileId);
      return sendStoredFile(reply, f);
    },
  );

  app.get(
    '/api/v1/council/feedback-stats',
    {
      config: can('stats'),
      schema: { tags, summary: 'Anonymised statistics by category and month', querystring: S.StatsQuery, response: { 200: R.FeedbackStats } },
    },
    async (req) => svc.stats(requireActor(req), req.query.months),
  );

  app.get(
    '/api/v1/council/feedback/:id',
    { config: can('read'), schema: { tags, summary: 'One feedback', params: IdParam, response: { 200: R.FeedbackView } } },
    async (req) => svc.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/v1/council/feedback/:id/answer',
    { config: can('triage'), schema: { tags, summary: 'Answer feedback', params: IdParam, body: S.AnswerBody, response: { 200: R.FeedbackView } } },
    async (req) => svc.answer(requireActor(req), req.params.id, req.body.answer, req.ip),
  );

  app.post(
    '/api/v1/council/feedback/:id/work-order',
    {
      config: can('triage'),
      schema: { tags, summary: 'Turn feedback into a work order', params: IdParam, body: S.WorkOrderBody, response: { 200: R.FeedbackView } },
    },
    async (req) => svc.toWorkOrder(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.post(
    '/api/v1/council/feedback/:id/proposal',
    {
      config: can('triage'),
      schema: {
        tags,
        summary: 'Turn feedback into a proposal in the resident’s name',
        params: IdParam,
        body: S.ToProposalBody,
        response: { 200: R.FeedbackView },
      },
    },
    async (req) => svc.toProposal(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.post(
    '/api/v1/council/feedback/:id/rate',
    {
      config: can('rate'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'The resident rates the answer (once)',
        params: IdParam,
        body: S.RateBody,
        response: { 200: R.FeedbackView },
      },
    },
    async (req) => svc.rate(requireActor(req), req.params.id, req.body),
  );
}
