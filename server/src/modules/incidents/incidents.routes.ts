import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './incidents.schema.js';
import { transitionActions } from './incidents.states.js';
import type { IncidentsService } from './incidents.service.js';
import type { CamerasService } from './cameras.service.js';
import { sendStoredFile } from '../../kernel/http/upload.js';

const tags = ['incidents'];
const can = (action: string, subject = 'Incident') => ({ auth: { action, subject } });

export function registerIncidentRoutes(app: App, svc: IncidentsService, cameras: CamerasService) {
  app.get(
    '/api/v1/cameras',
    {
      config: can('read', 'Camera'),
      schema: {
        tags,
        summary: 'Cameras in scope with health and stream address (user:pass masked unless you manage cameras)',
        querystring: S.CameraListQuery,
        response: { 200: S.CameraPage },
      },
    },
    async (req) => cameras.list(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/cameras/:id',
    { config: can('read', 'Camera'), schema: { tags, summary: 'A camera', params: S.IdParam, response: { 200: S.CameraView } } },
    async (req) => cameras.get(requireActor(req), req.params.id),
  );
  app.put(
    '/api/v1/cameras/:id',
    {
      config: can('update', 'Camera'),
      schema: {
        tags,
        summary: "Set a camera's location, stream address and MAC/IP/channel",
        params: S.IdParam,
        body: S.CameraBody,
        response: { 200: S.CameraView },
      },
    },
    async (req) => cameras.update(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.get(
    '/api/v1/incident-rules',
    {
      config: can('read', 'IncidentRule'),
      schema: {
        tags,
        summary: "A community's incident rules (which kinds open incidents, dedup windows)",
        querystring: S.RulesQuery,
        response: { 200: S.RulesView },
      },
    },
    async (req) => svc.rules(requireActor(req), req.query.communityId),
  );
  app.put(
    '/api/v1/incident-rules',
    { config: can('update', 'IncidentRule'), schema: { tags, summary: "Set a community's incident rules", body: S.RulesBody, response: { 200: S.RulesView } } },
    async (req) => svc.setRules(requireActor(req), req.body, req.ip),
  );

  // refused camera input by source and reason; not per community (an unknown sender has none), so platform admins only
  app.get(
    '/api/v1/camera-event-rejects',
    {
      config: can('read', 'CameraEventReject'),
      schema: { tags, summary: 'Counters of refused camera events (platform admins)', response: { 200: S.RejectCounts } },
    },
    async () => ({ items: await svc.repo.rejects() }),
  );

  app.get(
    '/api/v1/incidents',
    { config: can('read'), schema: { tags, summary: 'Security incidents in scope', querystring: S.IncidentListQuery, response: { 200: S.IncidentPage } } },
    async (req) => svc.list(requireActor(req), req.query, req.lang),
  );
  app.get(
    '/api/v1/incidents/pictures/:fileId',
    {
      config: { ...can('read'), rawResponse: true },
      schema: { tags, summary: 'A picture sent with a camera event', params: S.FileIdParam, produces: ['image/*'] },
    },
    async (req, reply) => {
      const f = await svc.picture(requireActor(req), req.params.fileId);
      return sendStoredFile(reply, f);
    },
  );
  app.get(
    '/api/v1/incidents/:id',
    {
      config: can('read'),
      schema: { tags, summary: 'An incident with its timeline and linked camera events', params: S.IdParam, response: { 200: S.IncidentDetail } },
    },
    async (req) => svc.get(requireActor(req), req.params.id, req.lang),
  );
  for (const action of transitionActions) {
    app.post(
      `/api/v1/incidents/:id/${action}`,
      {
        config: can(action),
        schema: {
          tags,
          summary: `Incident: ${action} (resolve and false_alarm need a note)`,
          params: S.IdParam,
          body: S.TransitionBody,
          response: { 200: S.IncidentView },
        },
      },
      async (req) => svc.transition(requireActor(req), req.params.id, action, req.body ?? {}, req.ip, req.lang),
    );
  }
  app.post(
    '/api/v1/incidents/:id/notes',
    { config: can('note'), schema: { tags, summary: 'Add a note to an incident', params: S.IdParam, body: S.NoteBody, response: { 201: S.IncidentDetail } } },
    async (req, reply) => reply.status(201).send(await svc.addNote(requireActor(req), req.params.id, req.body.note, req.ip, req.lang)),
  );
  app.post(
    '/api/v1/incidents/:id/work-order',
    {
      config: can('work_order'),
      schema: { tags, summary: 'Raise a work order for an incident (once)', params: S.IdParam, body: S.WorkOrderBody, response: { 201: S.IncidentDetail } },
    },
    async (req, reply) => reply.status(201).send(await svc.workOrder(requireActor(req), req.params.id, req.body ?? {}, req.ip, req.lang)),
  );
}
