// The web's one way to the API: an openapi-fetch client typed by the generated OpenAPI types
// (shared/api/schema.d.ts, `npm run api:types`). This file adds what every request needs: the
// language and CSRF headers, the idempotency key of a user intent (useIntentKey), and problem+json
// answers turned into ApiError.
import createClient, { type Middleware } from 'openapi-fetch';
import i18n from './i18n';
import type { paths } from './api/schema';
import type { ApiMethod, ApiOk, ApiPath, CallArgs, CallInit, PathsOf, UrlArgs } from './api/types';

export type { ApiOk, ApiBody, ApiQuery, ItemOf, Page, LooseQuery, PathsOf } from './api/types';

/** One failing field of a problem+json validation error. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem answered by the server, or a network failure (status 0). */
export class ApiError extends Error {
  status: number;
  code: string;
  title: string;
  errors: FieldError[];
  constructor(status: number, code: string, title: string, errors: FieldError[] = []) {
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function getCsrfToken(): string | null {
  return csrfToken;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function currentLang(): string {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Headers every request carries; CSRF only on state-changing methods (also for antd Upload). */
export function baseHeaders(method = 'GET'): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': currentLang() };
  if (unsafe.has(method.toUpperCase()) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Drops empty values (the server treats a missing filter as "any"). */
function cleanQuery(q?: Query): Record<string, string | number | boolean> | undefined {
  if (!q) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = v;
  return out;
}

/** Builds a query string, dropping empty values. */
function toQuery(q?: Query): string {
  const s = new URLSearchParams(Object.entries(cleanQuery(q) ?? {}).map(([k, v]) => [k, String(v)])).toString();
  return s ? `?${s}` : '';
}

const headersMiddleware: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(baseHeaders(request.method))) request.headers.set(k, v);
    request.headers.set('Accept', 'application/json, application/problem+json');
    return request;
  },
};

/** The openapi-fetch client under `api` (not exported: every call goes through `api`, whose paths are typed). */
const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(headersMiddleware);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function problemOf(status: number, statusText: string, body: any): ApiError {
  const title = body?.title ?? body?.message ?? (statusText || i18n.t('error.generic'));
  return new ApiError(status, body?.code ?? `http_${status}`, title, Array.isArray(body?.errors) ? body.errors : []);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `/api/v1/x/{id}` with its parameters filled in (each one URL-encoded). */
function fillPath(template: string, params?: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null || v === '') throw new Error(`missing path parameter ${name} of ${template}`);
    return encodeURIComponent(String(v));
  });
}

/** A call through the typed client; the path is a route of the generated document, its init typed by it. */
async function call<T>(method: Method, template: string, init: Partial<CallInit<ApiPath, ApiMethod>> & { body?: unknown } = {}): Promise<T> {
  const isForm = typeof FormData !== 'undefined' && init.body instanceof FormData;
  const headers: Record<string, string> = {};
  if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
  const body = init.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  // the path and init were checked against `paths` by the signatures of `api`; here the template is filled in
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pending = (client.request as any)(method.toLowerCase(), fillPath(template, init.path as Record<string, string | number> | undefined), {
    params: { query: cleanQuery(init.query as Query | undefined) },
    body,
    signal: init.signal,
    headers,
    ...(isForm ? { bodySerializer: (b: FormData) => b } : {}),
    parseAs: 'text',
  }) as Promise<{ data?: string; error?: unknown; response: Response }>;
  let r: { data?: string; error?: unknown; response: Response };
  try {
    r = await pending;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('error.network'));
  }
  if (!r.response.ok) {
    let problem: unknown = r.error;
    if (typeof problem === 'string') {
      try {
        problem = JSON.parse(problem);
      } catch {
        problem = null;
      }
    }
    throw problemOf(r.response.status, r.response.statusText, problem);
  }
  const type = r.response.headers.get('content-type') ?? '';
  if (r.response.status === 204 || !type.includes('json') || !r.data) return undefined as T;
  return JSON.parse(r.data) as T;
}

/**
 * Every web call: `api.get('/api/v1/places/{id}', { path: { id } })`. The path must be a route of the
 * generated OpenAPI document (a template, not a built string), the path parameters, query and body
 * are typed by it, and the answer is the route's response type — a wrong path or body does not compile.
 */
export const api = {
  get: <P extends PathsOf<'get'>>(path: P, ...init: CallArgs<P, 'get'>) => call<ApiOk<P, 'get'>>('GET', path, init[0]),
  post: <P extends PathsOf<'post'>>(path: P, ...init: CallArgs<P, 'post'>) => call<ApiOk<P, 'post'>>('POST', path, init[0]),
  put: <P extends PathsOf<'put'>>(path: P, ...init: CallArgs<P, 'put'>) => call<ApiOk<P, 'put'>>('PUT', path, init[0]),
  patch: <P extends PathsOf<'patch'>>(path: P, ...init: CallArgs<P, 'patch'>) => call<ApiOk<P, 'patch'>>('PATCH', path, init[0]),
  del: <P extends PathsOf<'delete'>>(path: P, ...init: CallArgs<P, 'delete'>) => call<ApiOk<P, 'delete'>>('DELETE', path, init[0]),
};

/** The message to show for any error thrown by the client. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.title || i18n.t('error.generic');
  if (err instanceof Error) return err.message;
  return i18n.t('error.generic');
}

/** What applyFieldErrors needs of a form: antd's and antd-mobile's instances both fit. */
export interface FieldErrorTarget {
  getFieldsError: () => { name: (string | number)[] }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setFields: (fields: any[]) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scrollToField?: (name: any) => void;
}

/**
 * Puts the server's validation messages on the matching antd Form fields.
 * `field` may be a dotted path (`houses.0.houseId`) or a JSON pointer (`/phone`).
 * Returns true when at least one field was marked; false when the caller should show a toast.
 */
export function applyFieldErrors(form: FieldErrorTarget, err: unknown): boolean {
  if (!(err instanceof ApiError) || err.errors.length === 0) return false;
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  for (const e of err.errors) {
    const name = String(e.field ?? '')
      .replace(/^\/?(body[./])?/, '')
      .replace(/\//g, '.');
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), e.message]);
  }
  if (byField.size === 0) return false;
  const fields = [...byField.entries()].map(([name, errors]) => ({
    name: name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    errors,
  }));
  form.setFields(fields);
  form.scrollToField?.(fields[0].name);
  return true;
}

/** The URL of a GET route for a link, an image, a download or an EventSource (cookies travel since it is same-origin). */
export function downloadUrl<P extends PathsOf<'get'>>(path: P, ...init: UrlArgs<P, 'get'>): string {
  const i = init[0] as { path?: Record<string, string | number>; query?: Query } | undefined;
  return fillPath(path, i?.path) + toQuery(i?.query);
}

/** The URL of a POST route for antd Upload's `action` (it sends the file itself, with baseHeaders('POST')). */
export function uploadUrl<P extends PathsOf<'post'>>(path: P, ...init: UrlArgs<P, 'post'>): string {
  const i = init[0] as { path?: Record<string, string | number>; query?: Query } | undefined;
  return fillPath(path, i?.path) + toQuery(i?.query);
}
