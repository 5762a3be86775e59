// Records-in routes: sources, mapping profiles, uploads and pushes, imports with rejected rows,
// the review queue, provenance and conflicts, data quality. Thin: validate → authorize → service.
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { documentedBody, fileUpload } from '../../kernel/http/contract.js';
import * as S from './records.schema.js';
import { RecordsService, importView } from './records.service.js';
import { Reviews } from './resolve.reviews.js';
import { provenanceOf } from './records.provenance.js';
import { qualityOf } from './quality.js';
import { residents } from '../registry/index.js';
import type { ProfileDefinition } from './mapping.js';

const tags = ['exchange'];
const MAX_UPLOAD = 20 * 1024 * 1024;

export function registerRecords(app: App, k: Kernel) {
  const svc = new RecordsService(k);
  const reviews = new Reviews(k, svc);
  const can = (action: string, subject: string) => ({ auth: { action, subject } });

  app.get(
    '/api/v1/exchange/sources',
    { config: can('read', 'ExchangeSource'), schema: { tags, summary: 'Data sources of departments', response: { 200: S.SourceList } } },
    async (req) => ({
      items: await svc.sources(requireActor(req)),
    }),
  );
  app.post(
    '/api/v1/exchange/sources',
    {
      config: can('configure', 'ExchangeSource'),
      schema: { tags, summary: 'Register a data source (optionally with its first mapping profile)', body: S.CreateSourceBody, response: { 201: S.Source } },
    },
    async (req, reply) =>
      reply.status(201).send(await svc.createSource(requireActor(req), { ...req.body, profile: req.body.profile as ProfileDefinition | undefined }, req.ip)),
  );
  app.get(
    '/api/v1/exchange/sources/:id/profiles',
    {
      config: can('read', 'ExchangeSource'),
      schema: { tags, summary: 'Mapping profile versions of a source, newest first', params: S.IdParam, response: { 200: S.ProfileList } },
    },
    async (req) => ({ items: await svc.profiles(requireActor(req), req.params.id) }),
  );
  app.post(
    '/api/v1/exchange/sources/:id/profiles',
    {
      config: can('configure', 'ExchangeSource'),
      schema: { tags, summary: 'A new version of the source’s mapping profile', params: S.IdParam, body: S.CreateProfileBody, response: { 201: S.Profile } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await svc.addProfile(requireActor(req), req.params.id, { definition: req.body.definition as ProfileDefinition, note: req.body.note }, req.ip)),
  );
  app.post(
    '/api/v1/exchange/sources/:id/uploads',
    {
      config: { ...can('import', 'ExchangeSource'), ...documentedBody({ 'multipart/form-data': fileUpload({}) }) },
      schema: { tags, summary: 'Upload a CSV (UTF-8 or GBK) or XLSX file in the department’s own columns', params: S.IdParam, response: { 201: S.Import } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const part = await req.file();
      if (!part) throw invalid([{ field: 'file', code: 'validation.required' }]);
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'files.too_large', { limit: `${MAX_UPLOAD / 1024 / 1024} MB` });
        throw e;
      }
      return reply.status(201).send(await svc.upload(actor, req.params.id, { name: part.filename || 'upload', data }, req.ip));
    },
  );
  app.post(
    '/api/v1/exchange/sources/:id/records',
    {
      config: can('import', 'ExchangeSource'),
      schema: { tags, summary: 'Push records (JSON, the department’s own keys and codes)', params: S.IdParam, body: S.PushBody, response: { 201: S.Import } },
    },
    async (req, reply) => reply.status(201).send(await svc.push(requireActor(req), req.params.id, req.body.records, req.ip)),
  );
  app.get(
    '/api/v1/exchange/sources/:id/quality',
    {
      config: can('read', 'ExchangeSource'),
      schema: { tags, summary: 'Data quality of a source, with the 12-month trend', params: S.IdParam, response: { 200: S.Quality } },
    },
    async (req) => qualityOf(k, svc.repo, await svc.reachable(requireActor(req), 'read', req.params.id)),
  );

  app.get(
    '/api/v1/exchange/imports',
    { config: can('read', 'ExchangeSource'), schema: { tags, querystring: S.ImportQuery, response: { 200: S.ImportList } } },
    async (req) => svc.imports(requireActor(req), req.query.sourceId, req.query.page, req.query.pageSize),
  );
  app.get(
    '/api/v1/exchange/imports/:id',
    { config: can('read', 'ExchangeSource'), schema: { tags, params: S.IdParam, response: { 200: S.Import } } },
    async (req) => {
      return importView(await svc.importOf(requireActor(req), req.params.id));
    },
  );
  app.get(
    '/api/v1/exchange/imports/:id/rejected',
    {
      config: can('read', 'ExchangeSource'),
      schema: { tags, summary: 'Rejected rows with their reasons (masked)', params: S.IdParam, response: { 200: S.RejectedRows } },
    },
    async (req) => ({ items: await svc.rejected(requireActor(req), req.params.id) }),
  );

  app.get(
    '/api/v1/exchange/reviews',
    {
      config: can('read', 'MatchReview'),
      schema: { tags, summary: 'Uncertain matches, record and resident side by side (masked)', querystring: S.ReviewQuery, response: { 200: S.ReviewList } },
    },
    async (req) => reviews.list(requireActor(req), req.query.status ?? 'pending', req.query.page, req.query.pageSize),
  );
  app.post(
    '/api/v1/exchange/reviews/:id/decision',
    {
      config: can('decide', 'MatchReview'),
      schema: { tags, summary: 'Same person or different: audited and remembered', params: S.IdParam, body: S.DecideBody, response: { 200: S.Review } },
    },
    async (req) => reviews.decide(requireActor(req), req.params.id, req.body.decision, req.ip),
  );

  app.get(
    '/api/v1/exchange/residents/:id/provenance',
    {
      config: can('read', 'Provenance'),
      schema: { tags, summary: 'Which source asserted what about a resident, and the conflicts', params: S.IdParam, response: { 200: S.Provenance } },
    },
    async (req) => {
      const actor = requireActor(req);
      const r = await residents.get(k, req.params.id);
      const path = r?.houses[0]?.placePath;
      if (!r || !path || !k.authz.can(actor, 'read', 'Provenance', { placePath: path })) throw notFound('registry.resident_not_found');
      const sources = new Map((await svc.repo.sources(null)).map((s) => [s.id, { id: s.id, name: s.name, department: s.department }]));
      return provenanceOf(k, svc.repo, r.id, sources);
    },
  );
  app.get(
    '/api/v1/exchange/conflicts',
    { config: can('read', 'Provenance'), schema: { tags, summary: 'Residents whose sources disagree on an attribute', response: { 200: S.ConflictList } } },
    async (req) => ({
      items: (await svc.repo.contested(svc.reach(requireActor(req), 'read', 'Provenance'))).map((r) => ({
        residentId: r.resident_id,
        attribute: r.attribute,
        values: Number(r.values),
      })),
    }),
  );
}
