// Routes of registration reviews (registration-reviews.ts).
import { Type } from '@sinclair/typebox';
import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import type { RegistrationReviews } from './registration-reviews.js';
import { Review, ReviewList } from './registry.schema.js';

const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])) },
  { additionalProperties: false },
);
const DecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export function registerReviewRoutes(app: App, reviews: RegistrationReviews) {
  const can = (action: string) => ({ auth: { action, subject: 'RegistrationReview' } });
  const tags = ['registry'];
  app.get(
    '/api/v1/registration-reviews',
    {
      config: can('read'),
      schema: { tags, summary: 'Registrations waiting for (or given) a supervisor review', querystring: ListQuery, response: { 200: ReviewList } },
    },
    async (req) => reviews.list(requireActor(req), req.query.status),
  );
  app.post(
    '/api/v1/registration-reviews/:id/approve',
    {
      config: can('decide'),
      schema: { tags, summary: 'Approve the move of a person registered elsewhere', params: IdParam, body: DecisionBody, response: { 200: Review } },
    },
    async (req) => reviews.approve(requireActor(req), req.params.id, req.body?.note, req.ip),
  );
  app.post(
    '/api/v1/registration-reviews/:id/reject',
    { config: can('decide'), schema: { tags, summary: 'Reject a registration', params: IdParam, body: DecisionBody, response: { 200: Review } } },
    async (req) => reviews.reject(requireActor(req), req.params.id, req.body?.note, req.ip),
  );
}
