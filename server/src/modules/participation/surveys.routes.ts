import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { XLSX_MIME } from '../../kernel/files/index.js';
import { IdParam } from './notices.schema.js';
import * as S from './surveys.schema.js';
import type { SurveysService } from './surveys.service.js';

const tags = ['participation'];
const can = (action: string) => ({ auth: { action, subject: 'Survey' } });

export function registerSurveyRoutes(app: App, svc: SurveysService) {
  app.get(
    '/api/v1/surveys',
    {
      config: can('read'),
      schema: {
        tags,
        summary: 'Surveys in scope (residents: those for them, with whether they answered)',
        querystring: S.SurveyListQuery,
        response: { 200: S.SurveyPage },
      },
    },
    async (req) => svc.list(requireActor(req), req.query),
  );
  app.post(
    '/api/v1/surveys',
    { config: can('create'), schema: { tags, summary: 'Create a survey', body: S.SurveyCreateBody, response: { 201: S.SurveyView } } },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );
  app.get(
    '/api/v1/surveys/:id',
    { config: can('read'), schema: { tags, summary: 'A survey with its questions', params: IdParam, response: { 200: S.SurveyView } } },
    async (req) => svc.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/surveys/:id/responses',
    {
      config: can('answer'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Answer a survey (once per resident or household)',
        params: IdParam,
        body: S.AnswerBody,
        response: { 201: S.AnswerResult },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.answer(requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/surveys/:id/results',
    {
      config: can('read'),
      schema: { tags, summary: 'Results and the response rate per building (staff and supervisors)', params: IdParam, response: { 200: S.SurveyResults } },
    },
    async (req) => svc.results(requireActor(req), req.params.id),
  );
  app.get(
    '/api/v1/surveys/:id/export',
    {
      config: { ...can('export'), rawResponse: true },
      schema: { tags, summary: 'Responses as XLSX (anonymous surveys: no identity)', params: IdParam, produces: [XLSX_MIME] },
    },
    async (req, reply) => {
      const f = await svc.exportXlsx(requireActor(req), req.params.id, req.ip);
      return reply.type(XLSX_MIME).header('content-disposition', `attachment; filename="${f.name}"`).send(f.data);
    },
  );
  app.post(
    '/api/v1/surveys/:id/close',
    { config: can('edit'), schema: { tags, summary: 'Close a survey now', params: IdParam, response: { 200: S.SurveyView } } },
    async (req) => svc.close(requireActor(req), req.params.id, req.ip),
  );
}
