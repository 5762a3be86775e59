// NGSI-LD open data (issue 16 item 9): GET /ngsi-ld/v1/entities and /ngsi-ld/v1/entities/{id},
// readable without an account and rate-limited per address. Read-only: the other methods of these
// resources answer 405 with Allow (no operation here takes a body, so 415 does not arise).
// Errors are NGSI-LD ProblemDetails (ETSI GS CIM 009 §5.5.2) as application/json.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { BODY_CONTEXT, LINK_HEADER, entityType, negotiate, type Produced } from './ngsi.context.js';
import { openEntities } from './ngsi.entities.js';
import { NgsiError, parseEntityQuery, project, selects, type NgsiEntity, type RawQuery } from './ngsi.query.js';
import { EntitiesQuery, EntityParams, EntityQuery, NgsiEntityList, NgsiEntitySchema, NgsiProblem } from './ngsi.schema.js';

/** Requests per minute per address (anonymous) or account. */
export const NGSI_RATE_LIMIT = 120;
const BASE = '/ngsi-ld/v1/entities';
const tags = ['open-data'];

const titles: Record<NgsiError['kind'], { zh: string; en: string }> = {
  BadRequestData: { zh: '请求参数有误', en: 'Bad request data' },
  InvalidRequest: { zh: '请求无效', en: 'Invalid request' },
  ResourceNotFound: { zh: '找不到该实体', en: 'Resource not found' },
  TooManyResults: { zh: '请求的结果过多', en: 'Too many results' },
  OperationNotSupported: { zh: '不支持该操作', en: 'Operation not supported' },
  NotAcceptable: { zh: '无法提供所要求的内容类型', en: 'Not acceptable' },
};

function sendProblem(req: FastifyRequest, reply: FastifyReply, e: NgsiError) {
  const title = titles[e.kind][req.lang === 'en' ? 'en' : 'zh'];
  cors(reply);
  return reply
    .status(e.status)
    .type('application/json')
    .send({ type: `https://uri.etsi.org/ngsi-ld/errors/${e.kind}`, title, status: e.status, detail: e.detail, code: `ngsi.${e.kind}` });
}

type Rendered = Record<string, unknown>;
function render(e: NgsiEntity, as: Produced): Rendered {
  const out: Rendered = { id: e.id, type: e.type, ...e.attrs };
  if (as === 'application/ld+json') out['@context'] = BODY_CONTEXT;
  return out;
}

function contentType(req: FastifyRequest): Produced {
  const as = negotiate(req.headers.accept);
  if (!as) throw new NgsiError(406, 'NotAcceptable', 'this endpoint produces application/json and application/ld+json');
  return as;
}

/** Open data is for any web page too: no credentials are involved, so any origin may read it. */
function cors(reply: FastifyReply) {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', 'Link, NGSILD-Results-Count');
}

function answer(reply: FastifyReply, as: Produced) {
  cors(reply);
  reply.header('vary', 'Accept');
  if (as === 'application/json') reply.header('link', LINK_HEADER);
  return reply.type(as);
}

export function registerNgsiRoutes(app: App, k: Kernel) {
  const config = { auth: 'public' as const, csrfExempt: true, rateLimit: { max: NGSI_RATE_LIMIT, timeWindow: '1 minute' } };
  // plain JSON.stringify: attribute names are data, not schema keys (the contract still validates)
  const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

  app.get(
    BASE,
    {
      config,
      serializerCompiler,
      schema: {
        tags,
        summary: 'Query open-data entities (NGSI-LD): buildings and estates as Building, shared devices as Device',
        querystring: EntitiesQuery,
        response: { 200: NgsiEntityList, '4xx': NgsiProblem },
      },
    },
    async (req, reply) => {
      try {
        const as = contentType(req);
        const query = parseEntityQuery(req.query as RawQuery, true);
        const types = query.types ? new Set(query.types.map(entityType).filter((t) => t !== null)) : null;
        const all = types && !types.size ? [] : await openEntities(k, types);
        const hits = all.filter((e) => selects(query, e));
        if (query.count) reply.header('NGSILD-Results-Count', String(hits.length));
        const page = hits.slice(query.offset, query.offset + query.limit).map((e) => render(project(e, query.attrs), as));
        return answer(reply, as).send(page);
      } catch (e) {
        if (e instanceof NgsiError) return sendProblem(req, reply, e);
        throw e;
      }
    },
  );

  app.get(
    `${BASE}/:entityId`,
    {
      config,
      serializerCompiler,
      schema: {
        tags,
        summary: 'One open-data entity (NGSI-LD)',
        params: EntityParams,
        querystring: EntityQuery,
        response: { 200: NgsiEntitySchema, '4xx': NgsiProblem },
      },
    },
    async (req, reply) => {
      try {
        const as = contentType(req);
        const { entityId } = req.params as { entityId: string };
        const raw = req.query as RawQuery;
        const query = parseEntityQuery({ attrs: raw.attrs, options: raw.options, format: raw.format }, false);
        if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/.test(entityId)) throw new NgsiError(400, 'BadRequestData', 'the entity id is not a URI');
        const type = entityType(/^urn:ngsi-ld:([^:]+):/.exec(entityId)?.[1] ?? '');
        const entity = type ? (await openEntities(k, new Set([type]))).find((e) => e.id === entityId) : undefined;
        if (!entity) throw new NgsiError(404, 'ResourceNotFound', `no entity ${entityId}`);
        return answer(reply, as).send(render(project(entity, query.attrs), as));
      } catch (e) {
        if (e instanceof NgsiError) return sendProblem(req, reply, e);
        throw e;
      }
    },
  );

  // read-only: every other method of these resources is refused before a body is read
  for (const url of [BASE, `${BASE}/:entityId`]) {
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      config,
      schema: { hide: true },
      onRequest: async (req, reply) => {
        reply.header('allow', 'GET, HEAD');
        return sendProblem(req, reply, new NgsiError(405, 'OperationNotSupported', 'the open-data endpoint is read-only'));
      },
      handler: async () => undefined,
    });
  }
}
