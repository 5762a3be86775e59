import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './notices.schema.js';
import type { NoticesService } from './notices.service.js';
import { readUpload, sendStoredFile } from '../../kernel/http/upload.js';
import { documentedBody, fileUpload } from '../../kernel/http/contract.js';

const tags = ['participation'];
const can = (action: string, subject = 'Notice') => ({ auth: { action, subject } });

export function registerNoticeRoutes(app: App, svc: NoticesService) {
  app.get(
    '/api/v1/notices',
    {
      config: can('read'),
      schema: {
        tags,
        summary: 'Notices in scope (residents: those delivered to them, pinned first)',
        querystring: S.NoticeListQuery,
        response: { 200: S.NoticePage },
      },
    },
    async (req) => svc.list(requireActor(req), req.query),
  );

  app.post(
    '/api/v1/notices',
    {
      config: can('create'),
      schema: { tags, summary: 'Create a notice (published now or at publishAt)', body: S.NoticeCreateBody, response: { 201: S.NoticeView } },
    },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );

  app.post(
    '/api/v1/notices/files',
    {
      config: { ...can('attach'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: { tags, summary: 'Upload an image or PDF for a notice (multipart: file; ≤ 10 MB)', response: { 201: S.AttachmentView } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const f = await readUpload(req, S.MAX_ATTACHMENT_BYTES);
      return reply.status(201).send(await svc.uploadAttachment(actor, f.filename || 'file', f.data));
    },
  );

  app.get(
    '/api/v1/notices/files/:fileId',
    {
      config: { ...can('read'), rawResponse: true },
      schema: { tags, summary: 'A notice attachment', params: S.FileIdParam, produces: ['image/*', 'application/pdf'] },
    },
    async (req, reply) => {
      const f = await svc.attachment(requireActor(req), req.params.fileId);
      return sendStoredFile(reply, f);
    },
  );

  app.get(
    '/api/v1/notices/:id',
    { config: can('read'), schema: { tags, summary: 'A notice (staff: with read statistics)', params: S.IdParam, response: { 200: S.NoticeView } } },
    async (req) => svc.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/v1/notices/:id/read',
    { config: can('read'), schema: { tags: ['portal', ...tags], summary: 'Read receipt (residents)', params: S.IdParam, response: { 200: S.ReadReceipt } } },
    async (req) => svc.read(requireActor(req), req.params.id),
  );

  app.get(
    '/api/v1/notices/:id/stats',
    { config: can('edit'), schema: { tags, summary: 'Read rate per building', params: S.IdParam, response: { 200: S.NoticeStats } } },
    async (req) => svc.stats(requireActor(req), req.params.id),
  );

  app.patch(
    '/api/v1/notices/:id',
    {
      config: can('edit'),
      schema: { tags, summary: 'Pin or unpin, change the expiry', params: S.IdParam, body: S.NoticePatchBody, response: { 200: S.NoticeView } },
    },
    async (req) => svc.patch(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.post(
    '/api/v1/notices/:id/withdraw',
    { config: can('edit'), schema: { tags, summary: 'Withdraw a notice', params: S.IdParam, response: { 200: S.NoticeView } } },
    async (req) => svc.withdraw(requireActor(req), req.params.id, req.ip),
  );
}
