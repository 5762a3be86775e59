// Types of the HTTP API, derived from the generated OpenAPI types (schema.d.ts; `npm run api:types`).
// No DTO is written by hand in the web: name a route's answer with ApiOk, its body with ApiBody.
import type { paths } from './schema';

export type { paths };
export type ApiPath = keyof paths;
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** Every success answer of a route (e.g. 201 created | 202 sent to review); 204 is no body. */
type SuccessOf<R> = { [K in keyof R]: K extends 200 | 201 | 202 ? JsonOf<R[K]> : K extends 204 ? void : never }[keyof R];
type OkOf<R> = [SuccessOf<R>] extends [never] ? NoSchema : SuccessOf<R>;
/**
 * Stand-in for a route whose success answer has no response schema yet: it becomes the precise
 * type as soon as the server declares one and `npm run api:types` regenerates schema.d.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NoSchema = any;

/** The JSON body of a route's success answer: `ApiOk<'/api/v1/places/{id}', 'get'>`. */
export type ApiOk<P extends ApiPath, M extends ApiMethod = 'get'> = paths[P][M] extends { responses: infer R } ? OkOf<R> : never;

/** The JSON request body a route accepts. */
export type ApiBody<P extends ApiPath, M extends ApiMethod = 'post'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

/** The query parameters a route accepts. */
export type ApiQuery<P extends ApiPath, M extends ApiMethod = 'get'> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/**
 * The one paging envelope of every list route (server: Paged(item) in kernel/http/contract.ts), taken
 * from the generated types of a plain paged route: `{ items, total, page, pageSize }`.
 */
export type Page<T> = Pick<ApiOk<'/api/v1/users'>, 'total' | 'page' | 'pageSize'> & { items: T[] };

/** One element of a list answer (`{ items: T[] }`, paged or not). */
export type ItemOf<T> = T extends { items: (infer I)[] } ? I : NoSchema;

/** The paths that answer a method: `PathsOf<'post'>`. */
export type PathsOf<M extends ApiMethod> = { [P in ApiPath]: paths[P][M] extends { responses: unknown } ? P : never }[ApiPath];

type Op<P extends ApiPath, M extends ApiMethod> = paths[P][M];
type PathParamsOf<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : O extends { requestBody: { content: { 'multipart/form-data': unknown } } }
      ? { body: FormData }
      : { body?: undefined };
/** A string-literal filter may be given as the text of a URL parameter (the server checks it). */
type Widen<V> = V extends string ? string : V;
/**
 * The query a route takes; every parameter optional (the server has defaults, e.g. page and
 * pageSize), names checked, enum values widened to string (filters come from the URL).
 */
export type LooseQuery<Q> = [Q] extends [never] ? never : { [K in keyof Q]?: Widen<Q[K]> | null };

type PathPart<O> = [PathParamsOf<O>] extends [never] ? { path?: undefined } : { path: { [K in keyof PathParamsOf<O>]: string | number | null | undefined } };
type QueryPart<O> = [QueryOf<O>] extends [never] ? { query?: undefined } : { query?: LooseQuery<QueryOf<O>> };

/** The second argument of a typed call: path parameters, query, body, and the intent's key. */
export type CallInit<P extends ApiPath, M extends ApiMethod> = PathPart<Op<P, M>> &
  QueryPart<Op<P, M>> &
  BodyOf<Op<P, M>> & {
    signal?: AbortSignal;
    /** The key of one user intent (useIntentKey): the server answers a retried intent once. */
    idempotencyKey?: string;
  };

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The init is optional when nothing in it is required (no path parameters, no body). */
export type CallArgs<P extends ApiPath, M extends ApiMethod> = [RequiredKeys<CallInit<P, M>>] extends [never]
  ? [init?: CallInit<P, M>]
  : [init: CallInit<P, M>];

/** Path parameters and query of a route, for a URL handed to the browser (a link, a download, an upload's action). */
export type UrlInit<P extends ApiPath, M extends ApiMethod> = PathPart<Op<P, M>> & QueryPart<Op<P, M>>;
export type UrlArgs<P extends ApiPath, M extends ApiMethod> = [RequiredKeys<UrlInit<P, M>>] extends [never] ? [init?: UrlInit<P, M>] : [init: UrlInit<P, M>];
