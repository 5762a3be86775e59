// The web's one way to the API: an openapi-fetch client typed by the generated OpenAPI types
// (shared/api/schema.d.ts, `npm run api:types`). This file adds what every request needs: the
// language and CSRF headers, the idempotency key of a user intent (useIntentKey), and problem+json
// answers turned into ApiError.
import createClient, { type Middleware } from 'openapi-fetch';
import i18n from './i18n';
import type { paths } from './api/schema';

export type { ApiOk, ApiBody, ApiQuery, ItemOf, Page } from './api/types';

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
export function toQuery(q?: Query): string {
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

/** The typed client: `client.GET('/api/v1/places/{id}', { params: { path: { id } } })`; use with unwrap(). */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(headersMiddleware);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function problemOf(status: number, statusText: string, body: any): ApiError {
  const title = body?.title ?? body?.message ?? (statusText || i18n.t('error.generic'));
  return new ApiError(status, body?.code ?? `http_${status}`, title, Array.isArray(body?.errors) ? body.errors : []);
}

/** The data of an openapi-fetch answer; a problem+json answer or a network failure becomes ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('error.network'));
  }
  if (!r.response.ok) throw problemOf(r.response.status, r.response.statusText, r.error);
  return r.data as T;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The key of one user intent (useIntentKey): the server answers a retried intent once. */
  idempotencyKey?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A request to a concrete URL through the typed client (its headers and error handling). Call sites
 * name the answer with the generated types: `request<ApiOk<'/api/v1/x/{id}', 'post'>>('POST', …)`.
 */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const m = method.toUpperCase() as Method;
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  const headers: Record<string, string> = {};
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  // concrete URLs carry no {placeholders}, so any path of the document fits the untyped call
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (client.request as any)(m.toLowerCase(), path, {
    params: { query: cleanQuery(opts.query) },
    body: opts.body,
    signal: opts.signal,
    headers,
    ...(isForm ? { bodySerializer: (b: FormData) => b } : {}),
    parseAs: 'text',
  }) as Promise<{ data?: string; error?: unknown; response: Response }>;
  let r: { data?: string; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('error.network'));
  }
  if (!r.response.ok) {
    let body: unknown = r.error;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = null;
      }
    }
    throw problemOf(r.response.status, r.response.statusText, body);
  }
  const type = r.response.headers.get('content-type') ?? '';
  if (r.response.status === 204 || !type.includes('json') || !r.data) return undefined as T;
  return JSON.parse(r.data) as T;
}

interface WriteOptions {
  idempotencyKey?: string;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, o: WriteOptions = {}) => request<T>('POST', path, { body: body ?? {}, ...o }),
  put: <T>(path: string, body?: unknown, o: WriteOptions = {}) => request<T>('PUT', path, { body: body ?? {}, ...o }),
  patch: <T>(path: string, body?: unknown, o: WriteOptions = {}) => request<T>('PATCH', path, { body: body ?? {}, ...o }),
  del: <T = void>(path: string, o: WriteOptions = {}) => request<T>('DELETE', path, o),
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

/** Triggers a browser download of a GET endpoint (cookies travel since it is same-origin). */
export function downloadUrl(path: string, query?: Query): string {
  return path + toQuery(query);
}
