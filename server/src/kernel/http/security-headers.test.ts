import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { helmetOnce } from './security-headers.js';

let app: FastifyInstance;
const strip = (h: Record<string, unknown>) => {
  const { date, 'content-length': _l, connection: _c, 'keep-alive': _k, ...rest } = h;
  void date;
  return rest;
};

beforeAll(async () => {
  app = Fastify();
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  app.get('/plain', async () => ({ ok: true }));
  const once = helmetOnce();
  app.get('/once', { helmet: once.helmet, onRequest: once.onRequest }, async () => ({ ok: true }));
  app.get('/once-fails', { helmet: once.helmet, onRequest: [once.onRequest, async (_req, reply) => reply.code(401).send({ no: true })] }, async () => ({
    ok: true,
  }));
  await app.ready();
});
afterAll(async () => app.close());

it('a route with helmetOnce answers with exactly the headers helmet sets on an ordinary route, on its first and later requests', async () => {
  const plain = strip((await app.inject({ method: 'GET', url: '/plain' })).headers);
  expect(plain['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(plain['x-content-type-options']).toBe('nosniff');
  expect(plain['strict-transport-security']).toBeTruthy();
  for (let i = 0; i < 3; i++) expect(strip((await app.inject({ method: 'GET', url: '/once' })).headers)).toEqual(plain);
  // also when a later hook refuses the request (e.g. 401 from the controller check)
  const refused = await app.inject({ method: 'GET', url: '/once-fails' });
  expect(refused.statusCode).toBe(401);
  expect(strip(refused.headers)).toEqual(plain);
});
