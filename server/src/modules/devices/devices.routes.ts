import type { FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { AppError } from '../../kernel/http/errors.js';
import * as S from './devices.schema.js';
import type { DevicesService } from './devices.service.js';
import type { IngestPipeline } from './ingest.js';
import { DeviceTypes } from './devices.types.js';
import { IngestAnswer, sendIngestAnswer } from './ingest.http.js';

const INGEST_BODY_LIMIT = 1024 * 1024;

/** The device an ingest request authenticated as (set in onRequest, read by the handler). */
const deviceOf = new WeakMap<FastifyRequest, string>();

/** deviceId and secret from `Authorization: Basic base64(deviceId:secret)`. */
export function basicCredential(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0) return null;
  return { id: text.slice(0, i), secret: text.slice(i + 1) };
}

export async function registerDeviceRoutes(app: App, k: Kernel, svc: DevicesService, pipeline: IngestPipeline) {
  const can = (action: string, subject: string) => ({ auth: { action, subject } });
  const tags = ['devices'];

  // platform-wide types: platform admins; a community's own types: its property managers (devices.types.ts)
  const types = new DeviceTypes(k);
  app.get('/api/v1/device-types', { config: can('read', 'DeviceType'), schema: { tags, response: { 200: S.DeviceTypeList } } }, async (req) =>
    types.list(requireActor(req)),
  );
  app.post(
    '/api/v1/device-types',
    { config: can('create', 'DeviceType'), schema: { tags, body: S.CreateTypeBody, response: { 201: S.ScopedDeviceTypeView } } },
    async (req, reply) => reply.status(201).send(await types.create(requireActor(req), req.body, req.ip)),
  );
  app.patch(
    '/api/v1/device-types/:id',
    { config: can('update', 'DeviceType'), schema: { tags, params: S.IdParam, body: S.UpdateTypeBody, response: { 200: S.ScopedDeviceTypeView } } },
    async (req) => types.update(requireActor(req), req.params.id, req.body, req.ip),
  );

  app.get(
    '/api/v1/devices',
    { config: can('read', 'Device'), schema: { tags, querystring: S.DeviceListQuery, response: { 200: S.DeviceList } } },
    async (req) => svc.list(requireActor(req), req.query),
  );
  app.post(
    '/api/v1/devices',
    { config: can('create', 'Device'), schema: { tags, body: S.CreateDeviceBody, response: { 201: S.DeviceWithSecret } } },
    async (req, reply) => {
      await types.assertUsable({ code: req.body.typeCode }, req.body.placeId);
      return reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip));
    },
  );
  app.get('/api/v1/devices/:id', { config: can('read', 'Device'), schema: { tags, params: S.IdParam, response: { 200: S.DeviceDetail } } }, async (req) =>
    svc.get(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/v1/devices/:id',
    { config: can('update', 'Device'), schema: { tags, params: S.IdParam, body: S.UpdateDeviceBody, response: { 200: S.DeviceView } } },
    async (req) => {
      const d = req.body.placeId ? await svc.reachable(requireActor(req), 'update', req.params.id) : undefined; // 404 first for a device out of reach
      if (d && req.body.placeId) await types.assertUsable({ id: d.type_id }, req.body.placeId);
      return svc.update(requireActor(req), req.params.id, req.body, req.ip);
    },
  );
  app.post(
    '/api/v1/devices/:id/rotate-secret',
    { config: can('rotate', 'Device'), schema: { tags, params: S.IdParam, response: { 200: S.RotatedSecret } } },
    async (req) => svc.rotateSecret(requireActor(req), req.params.id, req.ip),
  );
  app.get(
    '/api/v1/devices/:id/telemetry',
    { config: can('read', 'Device'), schema: { tags, params: S.IdParam, querystring: S.TelemetryQuery, response: { 200: S.TelemetrySeries } } },
    async (req) => svc.telemetry(requireActor(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/devices/:id/rejects',
    { config: can('read', 'Device'), schema: { tags, params: S.IdParam, response: { 200: S.DeviceRejects } } },
    async (req) => svc.rejects(requireActor(req), req.params.id),
  );

  // ----- HTTP ingest: devices sign in with their own credential, not a user session -----
  // The body is read as text and handed to the pipeline, so malformed input is rejected and
  // counted against the device like any other bad message (instead of a bare 400).
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/v1/ingest/telemetry',
      {
        config: { auth: 'public', csrfExempt: true },
        bodyLimit: INGEST_BODY_LIMIT,
        schema: { tags, summary: 'Telemetry from a device (Authorization: Basic deviceId:secret)', response: { 202: IngestAnswer } },
        // authenticate before the body is read: strangers cannot make the server parse a large upload
        onRequest: async (req) => {
          const cred = basicCredential(req.headers.authorization);
          if (!cred || !(await pipeline.verify(cred.id, cred.secret))) throw new AppError(401, 'devices.bad_credentials');
          deviceOf.set(req, cred.id);
        },
      },
      async (req, reply) => {
        const deviceId = deviceOf.get(req)!;
        let body: unknown = req.body ?? '';
        if (typeof body === 'string' && Buffer.byteLength(body) > 64 * 1024) {
          try {
            body = JSON.parse(body); // large HTTP batches are fine (route body limit); MQTT messages are not
          } catch {
            /* stays text: rejected as too large or malformed */
          }
        }
        // nothing accepted is a 4xx problem, a partial batch a 202 listing the refusals (ingest.http.ts)
        return sendIngestAnswer(reply, req.lang ?? 'en', pipeline.submit(deviceId, 'telemetry', body as string | object));
      },
    );
  });
}
