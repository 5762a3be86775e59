import i18n from './i18n';

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

/** Headers every request carries; CSRF only on state-changing methods. */
export function baseHeaders(method = 'GET'): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': currentLang() };
  if (unsafe.has(method.toUpperCase()) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds a query string, dropping empty values. */
export function toQuery(q?: Query): string {
  if (!q) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

async function toError(res: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const title = body?.title ?? body?.message ?? res.statusText ?? i18n.t('error.generic');
  return new ApiError(res.status, body?.code ?? `http_${res.status}`, title, Array.isArray(body?.errors) ? body.errors : []);
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = baseHeaders(method);
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  if (opts.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  headers['Accept'] = 'application/json, application/problem+json';
  let res: Response;
  try {
    res = await fetch(path + toQuery(opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData) : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('error.network'));
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** The message to show for any error thrown by the client. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.title || i18n.t('error.generic');
  if (err instanceof Error) return err.message;
  return i18n.t('error.generic');
}

/**
 * Puts the server's validation messages on the matching antd Form fields.
 * `field` may be a dotted path (`houses.0.houseId`) or a JSON pointer (`/phone`).
 * Returns true when at least one field was marked; false when the caller should show a toast.
 */
/** What applyFieldErrors needs of a form: antd's and antd-mobile's instances both fit. */
export interface FieldErrorTarget {
  getFieldsError: () => { name: (string | number)[] }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setFields: (fields: any[]) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scrollToField?: (name: any) => void;
}

export function applyFieldErrors(form: FieldErrorTarget, err: unknown): boolean {
  if (!(err instanceof ApiError) || err.errors.length === 0) return false;
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  for (const e of err.errors) {
    const name = String(e.field ?? '').replace(/^\/?(body[./])?/, '').replace(/\//g, '.');
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
