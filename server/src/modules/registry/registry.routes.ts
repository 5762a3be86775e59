import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { notFound } from '../../kernel/http/errors.js';
import { localDate } from '../../kernel/clock.js';
import * as S from './registry.schema.js';
import type { PlacesService } from './places.service.js';
import type { ResidentsService } from './residents.service.js';
import { exportResidents } from './export.service.js';
import { codeLists } from './standard/codes.js';
import { toJsonSchema } from './standard/standard.js';
import { t } from '../../kernel/http/i18n.js';
import { RegistrationReviews } from './registration-reviews.js';
import { registerReviewRoutes } from './registration-reviews.routes.js';

export function registerRegistryRoutes(app: App, k: Kernel, places: PlacesService, residents: ResidentsService) {
  const can = (action: string, subject: string) => ({ auth: { action, subject } });

  app.get(
    '/api/v1/standard',
    { config: { auth: 'public' }, schema: { tags: ['registry'], summary: 'Unified data standard as JSON Schema', response: { 200: S.StandardDoc } } },
    async () => toJsonSchema(),
  );
  app.get(
    '/api/v1/codes',
    { config: { auth: 'public' }, schema: { tags: ['registry'], summary: 'Code lists of the data standard', response: { 200: S.CodeLists } } },
    async () => Object.fromEntries(Object.entries(codeLists).map(([name, list]) => [name, [...list]])),
  );

  // ----- places -----
  app.get('/api/v1/places/tree', { config: can('read', 'Place'), schema: { tags: ['registry'], response: { 200: S.PlaceTree } } }, async (req) =>
    places.tree(requireActor(req)),
  );
  app.get(
    '/api/v1/places',
    { config: can('read', 'Place'), schema: { tags: ['registry'], querystring: S.PlaceListQuery, response: { 200: S.PlaceList } } },
    async (req) => places.list(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/places/:id',
    { config: can('read', 'Place'), schema: { tags: ['registry'], params: S.IdParam, response: { 200: S.PlaceDetail } } },
    async (req) => places.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/places',
    { config: can('create', 'Place'), schema: { tags: ['registry'], body: S.CreatePlaceBody, response: { 201: S.Place } } },
    async (req, reply) => reply.status(201).send(await places.create(requireActor(req), req.body as never, req.ip)),
  );
  app.patch(
    '/api/v1/places/:id',
    { config: can('update', 'Place'), schema: { tags: ['registry'], params: S.IdParam, body: S.UpdatePlaceBody, response: { 200: S.Place } } },
    async (req) => places.update(requireActor(req), req.params.id, req.body as never, req.ip),
  );
  app.get(
    '/api/v1/houses/:id',
    { config: can('read', 'Place'), schema: { tags: ['registry'], params: S.IdParam, response: { 200: S.HouseView } } },
    async (req) => {
      const actor = requireActor(req);
      return places.house(actor, req.params.id, async (ids) => {
        // members are shown only to those who may read residents there
        if (!k.authz.canSomewhere(actor, 'read', 'Resident')) return [];
        return residents.views(
          (await residents.residents.byIds(ids)).filter((r) => k.authz.can(actor, 'read', 'Resident', { placePath: r.place_path, residentId: r.id })),
        );
      });
    },
  );

  // ----- residents -----
  app.get(
    '/api/v1/residents',
    { config: can('read', 'Resident'), schema: { tags: ['registry'], querystring: S.ResidentQuery, response: { 200: S.ResidentList } } },
    async (req) => {
      const { page, pageSize, ...p } = req.query;
      return residents.list(requireActor(req), p, page, pageSize);
    },
  );
  app.get(
    '/api/v1/residents/export.xlsx',
    {
      config: { ...can('export', 'Resident'), rawResponse: true },
      schema: { tags: ['registry'], querystring: S.ExportQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (req, reply) => {
      const buf = await exportResidents(k, residents, requireActor(req), req.query as never, req.ip, req.lang);
      const name = `residents-${localDate(k.clock.now(), k.config.timeZone)}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(buf);
    },
  );
  app.get(
    '/api/v1/residents/:id',
    { config: can('read', 'Resident'), schema: { tags: ['registry'], params: S.IdParam, response: { 200: S.ResidentDetail } } },
    async (req) => residents.get(requireActor(req), req.params.id, req.ip),
  );
  app.post(
    '/api/v1/residents',
    { config: can('create', 'Resident'), schema: { tags: ['registry'], body: S.CreateResidentBody, response: { 201: S.Resident, 202: S.ReviewAccepted } } },
    async (req, reply) => {
      const r = await residents.register(requireActor(req), req.body as never, req.ip);
      // 202: the ID number is held by a record the staff cannot see; a supervisor reviews the move
      if ('reviewId' in r) return reply.status(202).send({ ...r, title: t(req.lang, 'registry.review_pending') });
      return reply.status(201).send(r);
    },
  );
  registerReviewRoutes(app, new RegistrationReviews(k, residents));
  app.patch(
    '/api/v1/residents/:id',
    { config: can('update', 'Resident'), schema: { tags: ['registry'], params: S.IdParam, body: S.UpdateResidentBody, response: { 200: S.Resident } } },
    async (req) => residents.update(requireActor(req), req.params.id, req.body as never, req.ip),
  );
  app.post(
    '/api/v1/residents/:id/move-in',
    { config: can('update', 'Resident'), schema: { tags: ['registry'], params: S.IdParam, body: S.MoveInBody, response: { 201: S.Residency } } },
    async (req, reply) => reply.status(201).send(await residents.moveIn(requireActor(req), req.params.id, req.body, req.ip)),
  );
  app.post(
    '/api/v1/residents/:id/move-out',
    { config: can('update', 'Resident'), schema: { tags: ['registry'], params: S.IdParam, body: S.MoveOutBody, response: { 200: S.Residency } } },
    async (req) => residents.moveOut(requireActor(req), req.params.id, req.body, req.ip),
  );
  app.post(
    '/api/v1/residents/:id/reveal',
    { config: can('reveal', 'Resident'), schema: { tags: ['registry'], params: S.IdParam, body: S.RevealBody, response: { 200: S.Revealed } } },
    async (req) => residents.reveal(requireActor(req), req.params.id, req.body.field, req.body.reason, req.ip),
  );
  app.get(
    '/api/v1/residents/:id/access-log',
    { config: can('read', 'AuditLog'), schema: { tags: ['registry'], params: S.IdParam, response: { 200: S.AccessLog } } },
    async (req) => {
      const r = await residents.reachable(requireActor(req), 'read', req.params.id);
      return { items: await residents.accessLog(r.id) };
    },
  );

  // ----- the resident's own data (portal) -----
  app.get('/api/v1/me/resident', { config: can('read', 'OwnData'), schema: { tags: ['portal'], response: { 200: S.MyResident } } }, async (req) => {
    const actor = requireActor(req);
    if (!actor.residentId) throw notFound('registry.resident_not_found');
    const me = await residents.get(actor, actor.residentId, req.ip);
    const households = [];
    for (const h of me.houses) {
      const members = await residents.residents.currentOfHouse(h.houseId);
      const rows = await residents.residents.byIds(members.map((m) => m.resident_id));
      households.push({
        houseId: h.houseId,
        houseLabel: h.houseLabel,
        role: h.role,
        members: members.map((m) => ({
          name: rows.find((r) => r.id === m.resident_id)?.name ?? '',
          relation: m.relation,
          role: m.role,
          isMe: m.resident_id === actor.residentId,
        })),
      });
    }
    return { resident: me, households };
  });
  app.get('/api/v1/me/access-log', { config: can('read', 'OwnData'), schema: { tags: ['portal'], response: { 200: S.AccessLog } } }, async (req) => {
    const actor = requireActor(req);
    if (!actor.residentId) return { items: [] };
    return { items: await residents.accessLog(actor.residentId) };
  });
}
