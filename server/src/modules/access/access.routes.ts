import type { FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { AppError } from '../../kernel/http/errors.js';
import { helmetOnce } from '../../kernel/http/security-headers.js';
import { authenticateDevice, basicCredential } from '../devices/index.js';
import * as S from './access.schema.js';
import type { AccessSetupService } from './access.setup.service.js';
import type { AccessCredentialsService } from './access.credentials.service.js';
import type { AccessLogService } from './access.log.service.js';
import type { AccessVisitorsService } from './access.visitors.service.js';
import type { AccessDecider } from './access.decide.js';
import type { AccessOffline } from './access.offline.js';

const tags = ['access'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

export interface AccessServices {
  setup: AccessSetupService;
  credentials: AccessCredentialsService;
  log: AccessLogService;
  visitors: AccessVisitorsService;
  decider: AccessDecider;
  offline: AccessOffline;
}

/**
 * Controllers sign in with their device credential (Authorization: Basic deviceId:secret), as for
 * telemetry ingest, and must be door controllers. A person's session is no controller: 403.
 * The devices module remembers a verified credential (authenticateDevice): no query per decision;
 * a device update or secret rotation drops it at once (every node).
 */
/** The controller a request authenticated as (set by controllerAuth, read by the handlers). */
const controllers = new WeakMap<FastifyRequest, string>();

export function controllerAuth(k: Kernel) {
  return async (req: FastifyRequest) => {
    const cred = basicCredential(req.headers.authorization);
    if (!cred) {
      if (/linli_session=/.test(String(req.headers.cookie ?? '')) || /^Bearer\s/i.test(String(req.headers.authorization ?? '')))
        throw new AppError(403, 'auth.forbidden');
      throw new AppError(401, 'access.controller_auth');
    }
    const dev = await authenticateDevice(k, cred.id, cred.secret);
    if (!dev) throw new AppError(401, 'access.controller_auth');
    if (dev.typeCode !== 'door_controller') throw new AppError(403, 'auth.forbidden');
    controllers.set(req, cred.id);
  };
}

const controllerOf = (req: FastifyRequest) => controllers.get(req)!;

export function registerAccessRoutes(app: App, k: Kernel, s: AccessServices) {
  // ----- setup -----
  app.get(
    '/api/v1/access/points',
    { config: can('read', 'AccessPoint'), schema: { tags, summary: 'Access points in scope', response: { 200: S.PointList } } },
    async (req) => s.setup.listPoints(requireActor(req)),
  );
  app.post(
    '/api/v1/access/points',
    {
      config: can('manage', 'AccessPoint'),
      schema: { tags, summary: 'Add an access point with its door controller', body: S.PointBody, response: { 201: S.PointOut } },
    },
    async (req, reply) => reply.status(201).send(await s.setup.createPoint(requireActor(req), req.body, req.ip)),
  );
  app.patch(
    '/api/v1/access/points/:id',
    { config: can('manage', 'AccessPoint'), schema: { tags, params: S.IdParam, body: S.PointPatch, response: { 200: S.PointOut } } },
    async (req) => s.setup.updatePoint(requireActor(req), req.params.id, req.body, req.ip),
  );
  app.get(
    '/api/v1/access/points/:id/events',
    { config: can('read', 'AccessLog'), schema: { tags, summary: "A door's last 50 events", params: S.IdParam, response: { 200: S.LogPage } } },
    async (req) => {
      const actor = requireActor(req);
      await s.setup.reachablePoint(actor, req.params.id, 'read');
      return s.log.list(actor, { pointId: req.params.id, page: 1, pageSize: 50 }, req.lang);
    },
  );

  app.get('/api/v1/access/door-groups', { config: can('read', 'AccessRule'), schema: { tags, response: { 200: S.DoorGroupList } } }, async (req) =>
    s.setup.listDoorGroups(requireActor(req)),
  );
  app.post(
    '/api/v1/access/door-groups',
    { config: can('manage', 'AccessRule'), schema: { tags, body: S.DoorGroupBody, response: { 201: S.DoorGroupOut } } },
    async (req, reply) => reply.status(201).send(await s.setup.createDoorGroup(requireActor(req), req.body, req.ip)),
  );
  app.patch(
    '/api/v1/access/door-groups/:id',
    { config: can('manage', 'AccessRule'), schema: { tags, params: S.IdParam, body: S.DoorGroupPatch, response: { 200: S.DoorGroupOut } } },
    async (req) => s.setup.updateDoorGroup(requireActor(req), req.params.id, req.body, req.ip),
  );
  app.get('/api/v1/access/person-groups', { config: can('read', 'AccessRule'), schema: { tags, response: { 200: S.PersonGroupList } } }, async (req) =>
    s.setup.listPersonGroups(requireActor(req)),
  );
  app.post(
    '/api/v1/access/person-groups',
    { config: can('manage', 'AccessRule'), schema: { tags, body: S.PersonGroupBody, response: { 201: S.PersonGroupOut } } },
    async (req, reply) => reply.status(201).send(await s.setup.createPersonGroup(requireActor(req), req.body, req.ip)),
  );
  app.get('/api/v1/access/schedules', { config: can('read', 'AccessRule'), schema: { tags, response: { 200: S.ScheduleList } } }, async (req) =>
    s.setup.listSchedules(requireActor(req)),
  );
  app.post(
    '/api/v1/access/schedules',
    { config: can('manage', 'AccessRule'), schema: { tags, body: S.ScheduleBody, response: { 201: S.ScheduleOut } } },
    async (req, reply) => reply.status(201).send(await s.setup.createSchedule(requireActor(req), req.body, req.ip)),
  );
  app.get('/api/v1/access/rules', { config: can('read', 'AccessRule'), schema: { tags, response: { 200: S.RuleList } } }, async (req) =>
    s.setup.listRules(requireActor(req)),
  );
  app.post(
    '/api/v1/access/rules',
    {
      config: can('manage', 'AccessRule'),
      schema: { tags, summary: 'Allow or deny: who × door group × schedule × validity (deny wins)', body: S.RuleBody, response: { 201: S.RuleOut } },
    },
    async (req, reply) => reply.status(201).send(await s.setup.createRule(requireActor(req), req.body, req.ip)),
  );
  app.delete(
    '/api/v1/access/rules/:id',
    { config: can('manage', 'AccessRule'), schema: { tags, params: S.IdParam, response: { 200: S.Deleted } } },
    async (req) => s.setup.deleteRule(requireActor(req), req.params.id, req.ip),
  );

  // ----- credentials -----
  app.get(
    '/api/v1/access/credentials',
    {
      config: can('read', 'AccessCredential'),
      schema: { tags, summary: "A resident's credentials", querystring: S.CredentialQuery, response: { 200: S.CredentialList } },
    },
    async (req) => s.credentials.list(requireActor(req), req.query.residentId),
  );
  app.post(
    '/api/v1/access/credentials',
    {
      config: can('issue', 'AccessCredential'),
      schema: { tags, summary: 'Issue a card, fingerprint reference or temporary PIN', body: S.CredentialBody, response: { 201: S.CredentialOut } },
    },
    async (req, reply) => reply.status(201).send(await s.credentials.issue(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/access/credentials/:id/revoke',
    { config: can('revoke', 'AccessCredential'), schema: { tags, params: S.IdParam, body: S.RevokeBody, response: { 200: S.CredentialOut } } },
    async (req) => s.credentials.revoke(requireActor(req), req.params.id, req.body?.reason, req.ip),
  );

  // ----- the resident's own -----
  app.get(
    '/api/v1/access/me',
    { config: can('qr', 'AccessCredential'), schema: { tags: ['portal', ...tags], summary: 'My credentials and doors', response: { 200: S.MyAccessOut } } },
    async (req) => s.credentials.mine(requireActor(req)),
  );
  app.post(
    '/api/v1/access/me/qr',
    {
      config: can('qr', 'AccessCredential'),
      schema: { tags: ['portal', ...tags], summary: 'A fresh door QR token (≤ 60 s)', body: S.QrBody, response: { 200: S.QrOut } },
    },
    async (req) => s.credentials.myQr(requireActor(req), req.body?.pointId),
  );

  // ----- log -----
  app.get(
    '/api/v1/access/log',
    { config: can('read', 'AccessLog'), schema: { tags, summary: 'Access log (residents: their own)', querystring: S.LogQuery, response: { 200: S.LogPage } } },
    async (req) => s.log.list(requireActor(req), req.query, req.lang),
  );
  app.get(
    '/api/v1/access/log/export.xlsx',
    {
      config: { ...can('export', 'AccessLog'), rawResponse: true },
      schema: {
        tags,
        summary: 'Export the access log (audited)',
        querystring: S.LogQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const buf = await s.log.export(requireActor(req), req.query, req.ip, req.lang);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="access-log.xlsx"')
        .send(buf);
    },
  );

  // ----- visitor passes -----
  app.get(
    '/api/v1/access/visitor-passes',
    { config: can('read', 'VisitorPass'), schema: { tags, querystring: S.PassQuery, response: { 200: S.PassList } } },
    async (req) => s.visitors.list(requireActor(req), req.query),
  );
  app.post(
    '/api/v1/access/visitor-passes',
    {
      config: can('create', 'VisitorPass'),
      schema: { tags, summary: 'Invite a visitor (residents) or issue a pass at the gate (guards)', body: S.PassBody, response: { 201: S.PassOut } },
    },
    async (req, reply) => reply.status(201).send(await s.visitors.create(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/access/visitor-passes/:id/revoke',
    { config: can('revoke', 'VisitorPass'), schema: { tags, params: S.IdParam, response: { 200: S.PassOut } } },
    async (req) => s.visitors.revoke(requireActor(req), req.params.id, req.ip),
  );

  // ----- controllers (device credential) -----
  const device = { auth: 'public' as const, csrfExempt: true };
  // the same security headers as every route, computed once (kernel/http/security-headers.ts)
  const { helmet, onRequest: headers } = helmetOnce();
  const onRequest = [headers, controllerAuth(k)];
  app.post(
    '/api/v1/access/decisions',
    {
      config: device,
      helmet,
      onRequest,
      schema: {
        tags,
        summary: 'A controller asks: may this credential open this door now? (Basic deviceId:secret)',
        body: S.DecisionBody,
        response: { 200: S.DecisionOut },
      },
    },
    async (req) => s.decider.decide(controllerOf(req), req.body),
  );
  app.get(
    '/api/v1/access/allow-list',
    {
      config: device,
      helmet,
      onRequest,
      schema: {
        tags,
        summary: 'Versioned allow-list for offline operation (full, or changes since a version)',
        querystring: S.AllowListQuery,
        response: { 200: S.AllowListOut },
      },
    },
    async (req) => s.offline.allowList(controllerOf(req), req.query.since),
  );
  app.post(
    '/api/v1/access/offline-decisions',
    {
      config: device,
      helmet,
      onRequest,
      schema: { tags, summary: 'Upload decisions made offline (idempotent by event id)', body: S.OfflineBody, response: { 200: S.OfflineOut } },
    },
    async (req) => s.offline.upload(controllerOf(req), req.body),
  );
}

/** The visitor's link: public (the secret code is the credential), outside /api so it needs no session. */
export function registerVisitRoute(app: App, s: AccessServices) {
  app.get(
    '/public/visits/:code',
    {
      config: { auth: 'public' },
      schema: { tags: ['portal', ...tags], summary: "A visitor's pass and current QR token", params: S.CodeParam, response: { 200: S.VisitOut } },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return s.visitors.visit(req.params.code);
    },
  );
}
