import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import * as S from './workorders.schema.js';
import { transitionActions } from './workorders.states.js';
import { saveCategory } from './workorders.categories.js';
import type { WorkOrdersService } from './workorders.service.js';
import type { WorkOrderFlow } from './workorders.flow.js';
import { readUpload, sendStoredFile } from '../../kernel/http/upload.js';
import { documentedBody, fileUpload } from '../../kernel/http/contract.js';

const tags = ['workorders'];
const can = (action: string, subject = 'WorkOrder') => ({ auth: { action, subject } });

export function registerWorkOrderRoutes(app: App, k: Kernel, svc: WorkOrdersService, flow: WorkOrderFlow) {
  app.get(
    '/api/v1/work-order-categories',
    { config: can('read', 'WorkOrderCategory'), schema: { tags, summary: 'Repair categories with their SLA', response: { 200: S.CategoryList } } },
    async (req) => svc.categories(requireActor(req), req.lang),
  );

  app.put(
    '/api/v1/work-order-categories/:code',
    {
      config: can('manage', 'WorkOrderCategory'),
      schema: {
        tags,
        summary: "Set a community's own SLA and priority for a category (overrides the default)",
        params: S.CategoryCodeParam,
        body: S.CategoryBody,
        response: { 200: S.CategoryView },
      },
    },
    async (req) => saveCategory(k, svc.repo, requireActor(req), req.params.code, req.body, req.ip, req.lang),
  );

  app.get(
    '/api/v1/work-orders',
    { config: can('read'), schema: { tags, summary: 'Work orders in scope (residents: their own)', querystring: S.ListQuery, response: { 200: S.OrderPage } } },
    async (req) => svc.list(requireActor(req), req.query, req.lang),
  );

  // Photos are uploaded first (one image per request), then referred to by id.
  app.post(
    '/api/v1/work-orders/photos',
    {
      config: { ...can('attach'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: { tags, summary: 'Upload a photo (multipart: file; image ≤ 5 MB)', response: { 201: S.UploadedPhoto } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const f = await readUpload(req, S.MAX_PHOTO_BYTES);
      return reply.status(201).send(await svc.uploadPhoto(actor, f.filename || 'photo', f.data));
    },
  );

  app.get(
    '/api/v1/work-orders/photos/:fileId',
    { config: { ...can('read'), rawResponse: true }, schema: { tags, summary: 'A photo of a work order', params: S.FileIdParam, produces: ['image/*'] } },
    async (req, reply) => {
      const f = await svc.photo(requireActor(req), req.params.fileId);
      return sendStoredFile(reply, f);
    },
  );

  app.get(
    '/api/v1/work-orders/:id',
    { config: can('read'), schema: { tags, summary: 'A work order with its timeline, photos and costs', params: S.IdParam, response: { 200: S.OrderDetail } } },
    async (req) => svc.get(requireActor(req), req.params.id, req.lang),
  );

  app.post(
    '/api/v1/work-orders',
    {
      config: can('create'),
      schema: { tags, summary: 'Create a work order (staff, e.g. a phone call)', body: S.StaffCreateBody, response: { 201: S.OrderView } },
    },
    async (req, reply) => reply.status(201).send(await svc.createByStaff(requireActor(req), req.body, req.ip, req.lang)),
  );

  app.post(
    '/api/v1/repair-requests',
    {
      config: can('request'),
      schema: { tags: ['portal', ...tags], summary: 'A resident reports a repair', body: S.RepairRequestBody, response: { 201: S.OrderView } },
    },
    async (req, reply) => reply.status(201).send(await svc.createByResident(requireActor(req), req.body, req.ip, req.lang)),
  );

  for (const action of transitionActions) {
    app.post(
      `/api/v1/work-orders/:id/${action}`,
      { config: can(action), schema: { tags, summary: `Work order: ${action}`, params: S.IdParam, body: S.TransitionBody, response: { 200: S.OrderView } } },
      async (req) => flow.transition(requireActor(req), req.params.id, action, req.body ?? {}, req.ip, req.lang),
    );
  }

  app.post(
    '/api/v1/work-orders/:id/rate',
    {
      config: can('rate'),
      schema: { tags, summary: 'The resident rates the repair (closes a resolved order)', params: S.IdParam, body: S.RateBody, response: { 200: S.OrderView } },
    },
    async (req) => flow.rate(requireActor(req), req.params.id, req.body, req.ip, req.lang),
  );

  app.post(
    '/api/v1/work-orders/:id/costs',
    {
      config: can('cost'),
      schema: {
        tags,
        summary: 'Record cost lines (Idempotency-Key required); billing charges them later',
        params: S.IdParam,
        body: S.CostsBody,
        response: { 201: S.CostsRecorded },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const wo = await flow.costTarget(actor, req.params.id);
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: await flow.addCosts(actor, wo, req.body, req.ip) }));
    },
  );
}
