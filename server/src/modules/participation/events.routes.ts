import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { IdParam } from './notices.schema.js';
import * as S from './events.schema.js';
import type { EventsService } from './events.service.js';

const tags = ['participation'];
const can = (action: string) => ({ auth: { action, subject: 'Event' } });

export function registerEventRoutes(app: App, svc: EventsService) {
  app.get(
    '/api/v1/events',
    { config: can('read'), schema: { tags, summary: 'Events (residents: their community, with their registration)', response: { 200: S.EventList } } },
    async (req) => svc.list(requireActor(req)),
  );
  app.post(
    '/api/v1/events',
    { config: can('create'), schema: { tags, summary: 'Create an event', body: S.EventCreateBody, response: { 201: S.EventView } } },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );
  app.get('/api/v1/events/:id', { config: can('read'), schema: { tags, summary: 'An event', params: IdParam, response: { 200: S.EventView } } }, async (req) =>
    svc.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/events/:id/register',
    {
      config: can('register'),
      schema: { tags: ['portal', ...tags], summary: 'Register (or join the waiting list)', params: IdParam, response: { 200: S.RegisterResult } },
    },
    async (req) => svc.register(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/events/:id/unregister',
    {
      config: can('register'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Cancel my registration (the first waiting resident moves up)',
        params: IdParam,
        response: { 200: S.UnregisterResult },
      },
    },
    async (req) => svc.cancelRegistration(requireActor(req), req.params.id),
  );
  app.get(
    '/api/v1/events/:id/ticket',
    {
      config: can('register'),
      schema: { tags: ['portal', ...tags], summary: 'My signed check-in ticket (shown as a QR code)', params: IdParam, response: { 200: S.Ticket } },
    },
    async (req) => svc.ticket(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/events/:id/check-in',
    {
      config: can('checkin'),
      schema: { tags, summary: 'Check a resident in by their ticket', params: IdParam, body: S.CheckInBody, response: { 200: S.RegistrationView } },
    },
    async (req) => svc.checkIn(requireActor(req), req.params.id, req.body.token),
  );
  app.post(
    '/api/v1/events/:id/hours',
    {
      config: can('checkin'),
      schema: { tags, summary: 'Record volunteer hours of a participant', params: IdParam, body: S.HoursBody, response: { 200: S.RegistrationView } },
    },
    async (req) => svc.recordHours(requireActor(req), req.params.id, req.body.residentId, req.body.hours, req.ip),
  );
  app.get(
    '/api/v1/events/:id/registrations',
    { config: can('checkin'), schema: { tags, summary: 'Registrations, waiting list and check-ins', params: IdParam, response: { 200: S.RegistrationList } } },
    async (req) => svc.registrations(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/events/:id/cancel',
    { config: can('edit'), schema: { tags, summary: 'Cancel the event', params: IdParam, response: { 200: S.EventView } } },
    async (req) => svc.cancel(requireActor(req), req.params.id, req.ip),
  );
}
