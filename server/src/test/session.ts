// Signed-in HTTP clients for tests: they log in through the real API and send the CSRF token.
import type { App } from '../kernel/app.js';

export interface Client {
  cookie: string;
  csrf: string;
  user: any;
  req(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; body: string; headers: Record<string, any> }>;
  get(url: string): ReturnType<Client['req']>;
  post(url: string, body?: unknown): ReturnType<Client['req']>;
  patch(url: string, body?: unknown): ReturnType<Client['req']>;
  put(url: string, body?: unknown): ReturnType<Client['req']>;
  del(url: string): ReturnType<Client['req']>;
}

async function send(app: App, method: string, url: string, body: unknown, headers: Record<string, string>) {
  const res = await app.inject({ method: method as any, url, payload: body === undefined ? undefined : (body as any), headers });
  let json: any = null;
  try {
    json = res.body ? JSON.parse(res.body) : null;
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, body: res.body, headers: res.headers };
}

export function anonymous(app: App) {
  return { req: (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => send(app, method, url, body, headers) };
}

export async function login(app: App, username: string, password: string, path = '/api/v1/auth/login', field = 'username'): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: path, payload: { [field]: username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = /linli_session=([^;]+)/.exec(setCookie)![0];
  const { csrfToken, user } = JSON.parse(res.body);
  return clientFor(app, cookie, csrfToken, user);
}

export function clientFor(app: App, cookie: string, csrf: string, user: any = null): Client {
  const c: Client = {
    cookie,
    csrf,
    user,
    req: (method, url, body, headers = {}) => send(app, method, url, body, { cookie, 'x-csrf-token': csrf, ...headers }),
    get: (url) => c.req('GET', url),
    post: (url, body) => c.req('POST', url, body ?? {}),
    patch: (url, body) => c.req('PATCH', url, body ?? {}),
    put: (url, body) => c.req('PUT', url, body ?? {}),
    del: (url) => c.req('DELETE', url),
  };
  return c;
}

export const loginResident = (app: App, phone: string, password: string) => login(app, phone, password, '/api/v1/auth/resident/login', 'phone');
