import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import * as S from './services.schema.js';
import { providerActions } from './services.states.js';
import type { ProvidersService } from './providers.service.js';
import type { BookingsService } from './bookings.service.js';
import type { BookingFlow } from './bookings.flow.js';

const tags = ['services'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

export function registerServicesRoutes(app: App, k: Kernel, providers: ProvidersService, bookings: BookingsService, flow: BookingFlow) {
  // ---------- providers (staff) ----------
  app.get(
    '/api/v1/service-providers',
    {
      config: can('read', 'ServiceProvider'),
      schema: { tags, summary: 'Service providers in scope', querystring: S.ProvidersQuery, response: { 200: S.ProviderList } },
    },
    async (req) => providers.list(requireActor(req), req.query, req.lang),
  );
  app.post(
    '/api/v1/service-providers',
    {
      config: can('create', 'ServiceProvider'),
      schema: { tags, summary: 'Register a provider with its service areas', body: S.ProviderBody, response: { 201: S.ProviderDetail } },
    },
    async (req, reply) => reply.status(201).send(await providers.create(requireActor(req), req.body, req.ip, req.lang)),
  );
  app.get(
    '/api/v1/service-providers/:id',
    {
      config: can('read', 'ServiceProvider'),
      schema: { tags, summary: 'A provider with areas, services, hours and members', params: S.IdParam, response: { 200: S.ProviderDetail } },
    },
    async (req) => providers.detail(requireActor(req), req.params.id, req.lang),
  );
  app.patch(
    '/api/v1/service-providers/:id',
    {
      config: can('update', 'ServiceProvider'),
      schema: { tags, summary: 'Change a provider', params: S.IdParam, body: S.ProviderPatch, response: { 200: S.ProviderDetail } },
    },
    async (req) => providers.update(requireActor(req), req.params.id, req.body, req.ip, req.lang),
  );
  app.post(
    '/api/v1/service-providers/:id/services',
    {
      config: can('update', 'ServiceProvider'),
      schema: { tags, summary: 'Add a service', params: S.IdParam, body: S.ServiceBody, response: { 201: S.Service } },
    },
    async (req, reply) => reply.status(201).send(await providers.addService(requireActor(req), req.params.id, req.body, req.ip, req.lang)),
  );
  app.patch(
    '/api/v1/service-providers/:id/services/:serviceId',
    {
      config: can('update', 'ServiceProvider'),
      schema: { tags, summary: 'Change a service', params: S.ServiceParam, body: S.ServicePatch, response: { 200: S.Service } },
    },
    async (req) => providers.updateService(requireActor(req), req.params.id, req.params.serviceId, req.body, req.ip, req.lang),
  );
  app.put(
    '/api/v1/service-providers/:id/services/:serviceId/hours',
    {
      config: can('update', 'ServiceProvider'),
      schema: {
        tags,
        summary: 'Replace the weekly hours (and capacity per slot) of a service',
        params: S.ServiceParam,
        body: S.AvailabilityBody,
        response: { 200: S.Service },
      },
    },
    async (req) => providers.setHours(requireActor(req), req.params.id, req.params.serviceId, req.body, req.ip, req.lang),
  );
  app.get(
    '/api/v1/service-providers/:id/member-candidates',
    {
      config: can('update', 'ServiceProvider'),
      schema: { tags, summary: 'Accounts with the service-provider role that may be linked', params: S.IdParam, response: { 200: S.MemberCandidates } },
    },
    async (req) => providers.memberCandidates(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/service-providers/:id/members',
    {
      config: can('update', 'ServiceProvider'),
      schema: { tags, summary: 'Link a service-provider account to the provider', params: S.IdParam, body: S.MemberBody, response: { 201: S.ProviderDetail } },
    },
    async (req, reply) => reply.status(201).send(await providers.addMember(requireActor(req), req.params.id, req.body, req.ip, req.lang)),
  );
  app.delete(
    '/api/v1/service-providers/:id/members/:userId',
    { config: can('update', 'ServiceProvider'), schema: { tags, summary: 'Unlink an account', params: S.MemberParam, response: { 200: S.ProviderDetail } } },
    async (req) => providers.removeMember(requireActor(req), req.params.id, req.params.userId, req.ip, req.lang),
  );

  // ---------- catalog and bookings (residents; staff read) ----------
  app.get(
    '/api/v1/service-catalog',
    {
      config: can('read', 'ServiceCatalog'),
      schema: { tags: ['portal', ...tags], summary: 'Services offered at my house', querystring: S.CatalogQuery, response: { 200: S.Catalog } },
    },
    async (req) => providers.catalog(requireActor(req), req.query, req.lang),
  );
  app.get(
    '/api/v1/service-catalog/:id/slots',
    {
      config: can('read', 'ServiceCatalog'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Bookable slots of a service with remaining places',
        params: S.IdParam,
        querystring: S.SlotsQuery,
        response: { 200: S.Slots },
      },
    },
    async (req) => providers.slots(requireActor(req), req.params.id, req.query),
  );
  app.post(
    '/api/v1/service-bookings',
    {
      config: can('book', 'ServiceBooking'),
      schema: { tags: ['portal', ...tags], summary: 'Book a slot (Idempotency-Key required)', body: S.BookBody, response: { 201: S.BookingDetail } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const ctx = await bookings.prepare(actor, req.body);
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: await bookings.book(actor, ctx, req.body, req.ip, req.lang) }));
    },
  );
  app.get(
    '/api/v1/service-bookings',
    {
      config: can('read', 'ServiceBooking'),
      schema: { tags, summary: 'Bookings in scope (residents: their own)', querystring: S.BookingsQuery, response: { 200: S.BookingList } },
    },
    async (req) => bookings.list(requireActor(req), req.query, req.lang),
  );
  app.get(
    '/api/v1/service-bookings/:id',
    { config: can('read', 'ServiceBooking'), schema: { tags, summary: 'A booking with its timeline', params: S.IdParam, response: { 200: S.BookingDetail } } },
    async (req) => bookings.get(requireActor(req), req.params.id, req.lang),
  );
  app.post(
    '/api/v1/service-bookings/:id/cancel',
    {
      config: can('cancel', 'ServiceBooking'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'The resident cancels (free or with the fee of the service rule)',
        params: S.IdParam,
        body: S.NoteBody,
        response: { 200: S.BookingDetail },
      },
    },
    async (req) => flow.cancel(requireActor(req), req.params.id, req.body ?? {}, req.ip, req.lang),
  );
  app.post(
    '/api/v1/service-bookings/:id/pay',
    {
      config: can('pay', 'ServiceBooking'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'The bill to pay for a done booking (created if missing)',
        params: S.IdParam,
        response: { 200: S.PayTarget },
      },
    },
    async (req) => flow.payTarget(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/service-bookings/:id/rate',
    {
      config: can('rate', 'ServiceBooking'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Rate a paid booking (1–5, once)',
        params: S.IdParam,
        body: S.RateBody,
        response: { 200: S.BookingDetail },
      },
    },
    async (req) => flow.rate(requireActor(req), req.params.id, req.body, req.ip, req.lang),
  );

  // ---------- provider workspace ----------
  app.get(
    '/api/v1/provider/me',
    { config: can('read', 'ProviderBooking'), schema: { tags, summary: 'The provider my account works for', response: { 200: S.ProviderDetail } } },
    async (req) => providers.present(await providers.providerOfActor(requireActor(req)), req.lang),
  );
  app.get(
    '/api/v1/provider/bookings',
    {
      config: can('read', 'ProviderBooking'),
      schema: { tags, summary: "My provider's bookings", querystring: S.BookingsQuery, response: { 200: S.BookingList } },
    },
    async (req) => bookings.providerList(requireActor(req), req.query, req.lang),
  );
  app.get(
    '/api/v1/provider/bookings/:id',
    { config: can('read', 'ProviderBooking'), schema: { tags, summary: 'A booking of my provider', params: S.IdParam, response: { 200: S.BookingDetail } } },
    async (req) => bookings.providerGet(requireActor(req), req.params.id, req.lang),
  );
  app.put(
    '/api/v1/provider/services/:id/hours',
    {
      config: can('hours', 'ProviderService'),
      schema: {
        tags,
        summary: "Set the weekly hours of one of my provider's services",
        params: S.IdParam,
        body: S.AvailabilityBody,
        response: { 200: S.Service },
      },
    },
    async (req) => providers.setOwnHours(requireActor(req), req.params.id, req.body, req.ip, req.lang),
  );
  for (const action of providerActions) {
    app.post(
      `/api/v1/provider/bookings/:id/${action}`,
      {
        config: can(action, 'ProviderBooking'),
        schema: { tags, summary: `Provider: ${action} a booking`, params: S.IdParam, body: S.NoteBody, response: { 200: S.BookingDetail } },
      },
      async (req) => flow.providerAct(requireActor(req), req.params.id, action, req.body ?? {}, req.ip, req.lang),
    );
  }
}
