// The API contract: every route's responses are declared (OpenAPI is complete, the web client is
// generated from it) and, when checking is on (tests), every JSON response is validated against
// its declared schema before it is sent: a response that breaks its schema fails the request (500)
// and so the test that made it.
//  - Error responses are documented once for every route: problem+json (RFC 9457) for 4xx/5xx.
//  - Routes are listed as they register, so a test can name those without a 2xx response schema.
import { Type, type TSchema } from '@sinclair/typebox';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';

// ajv and ajv-formats are CommonJS with a default export
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable error code, e.g. validation.failed' }),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details; title in the request language' },
);

/** The one paging envelope of list answers: `{ items, total, page, pageSize }`. */
export const Paged = <T extends TSchema>(item: T) =>
  Type.Object(
    { items: Type.Array(item), total: Type.Integer({ minimum: 0 }), page: Type.Integer({ minimum: 1 }), pageSize: Type.Integer({ minimum: 0 }) },
    { additionalProperties: false },
  );

export interface RouteContract {
  method: string;
  url: string;
  /** Status codes (or ranges such as 2xx) with a declared response schema. */
  responses: string[];
  /** Not JSON (files, streams, redirects): declared as such with `config.rawResponse`. */
  raw: boolean;
}

type ResponseSchemas = Record<string, unknown>;

function statusKey(responses: ResponseSchemas, status: number): string | null {
  const code = String(status);
  if (code in responses) return code;
  const range = `${code[0]}xx`;
  if (range in responses) return range;
  if (range.toUpperCase() in responses) return range.toUpperCase();
  return 'default' in responses ? 'default' : null;
}

/**
 * Record the routes as they register (for the contract test), document problem+json for errors on
 * every route, and (validate = true) check every JSON response against its schema.
 */
export function installContract(app: FastifyInstance, opts: { validate: boolean }): RouteContract[] {
  const routes: RouteContract[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.method === 'HEAD' || (Array.isArray(route.method) && route.method.every((m) => m === 'HEAD'))) return;
    const schema = (route.schema ?? {}) as FastifySchema & { response?: ResponseSchemas; hide?: boolean };
    const config = (route.config ?? {}) as { rawResponse?: boolean };
    if (route.url.startsWith('/api/docs') || schema.hide) return;
    if (route.url.startsWith('/api/') || route.url.startsWith('/ngsi-ld/') || route.url.startsWith('/fhir/')) {
      const response: ResponseSchemas = { ...(schema.response ?? {}) };
      if (!statusKey(response, 400)) response['4xx'] = Problem;
      if (!statusKey(response, 500)) response['5xx'] = Problem;
      route.schema = { ...schema, response };
      for (const m of [route.method].flat()) {
        if (m !== 'HEAD') routes.push({ method: m, url: route.url, responses: Object.keys(schema.response ?? {}), raw: !!config.rawResponse });
      }
    }
  });

  if (opts.validate) {
    app.addHook('preSerialization', async (req, reply, payload) => {
      const responses = (req.routeOptions.schema?.response ?? null) as ResponseSchemas | null;
      if (!responses || payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload)) return payload;
      const key = statusKey(responses, reply.statusCode);
      if (!key) return payload;
      const schema = responses[key] as object;
      let check = compiled.get(schema);
      if (!check) compiled.set(schema, (check = ajv.compile(schema)));
      if (!check(payload)) {
        const where = `${req.method} ${req.routeOptions.url} → ${reply.statusCode}`;
        throw new Error(`response breaks its schema (${where}): ${ajv.errorsText(check.errors)}`);
      }
      return payload;
    });
  }
  return routes;
}

/** The routes whose successful answers have no declared schema (and are not declared raw). */
export function routesWithoutResponseSchema(routes: RouteContract[]): string[] {
  return routes.filter((r) => !r.raw && !r.responses.some((k) => /^(2\d\d|2xx|2XX|default)$/.test(k))).map((r) => `${r.method} ${r.url}`);
}

/**
 * A request body that is not JSON the schema compiler can check (a multipart upload read with
 * `req.file()`, a raw body a device or gateway sends): declared in the route's config, shown in
 * OpenAPI under its content type (swaggerTransform), checked by the handler itself, which answers
 * problem+json. Use as `config: { auth: …, ...documentedBody({ 'multipart/form-data': fileUpload() }) }`.
 */
export function documentedBody(content: Record<string, unknown>): { docBody: Record<string, unknown> } {
  return { docBody: content };
}

/** The multipart upload of the upload routes: one file, plus named text fields. */
export const fileUpload = (fields: Record<string, TSchema> = {}) =>
  Type.Object({ file: Type.String({ format: 'binary', description: 'the file' }), ...fields });

/** @fastify/swagger's transform: routes with a documented body show it under its content types. */
export function swaggerTransform({ schema, url, route }: { schema: FastifySchema; url: string; route: { config?: unknown } }): {
  schema: FastifySchema;
  url: string;
} {
  const docBody = (route.config as { docBody?: Record<string, unknown> } | undefined)?.docBody;
  if (!docBody) return { schema, url };
  const content = Object.fromEntries(Object.entries(docBody).map(([t, s]) => [t, { schema: s }]));
  return { schema: { ...schema, body: { content }, consumes: Object.keys(docBody) } as FastifySchema, url };
}
