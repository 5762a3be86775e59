// Types of the HTTP API, derived from the generated OpenAPI types (schema.d.ts; `npm run api:types`).
// No DTO is written by hand in the web: name a route's answer with ApiOk, its body with ApiBody.
import type { paths } from './schema';

export type { paths };
export type ApiPath = keyof paths;
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type OkOf<R> = 200 extends keyof R
  ? JsonOf<R[200]>
  : 201 extends keyof R
    ? JsonOf<R[201]>
    : 202 extends keyof R
      ? JsonOf<R[202]>
      : 204 extends keyof R
        ? void
        : NoSchema;
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

/** The one paging envelope of every list route (server: Paged(item) in kernel/http/contract.ts). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** One element of a list answer (`{ items: T[] }`, paged or not). */
export type ItemOf<T> = T extends { items: (infer I)[] } ? I : NoSchema;
