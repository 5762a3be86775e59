// The security headers of a hot route, computed once. @fastify/helmet (registered for every route
// in app.ts) builds helmet's middleware anew for each request, parsing the CSP directives every
// time: about 4 % of the CPU of a door decision (bench/access). A route that spreads
// `helmetOnce()` into its options is skipped by @fastify/helmet; on its first request the route
// asks the app's own helmet configuration for the headers (reply.helmet(), so nothing is copied
// from app.ts), remembers exactly what it set, and sets the same headers on every later request.
// Valid because Linli's helmet configuration has no per-request values (no CSP nonces, no
// function directives); kernel/http/security-headers.test.ts compares the headers with those of
// an ordinary route.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

type HeaderValue = string | number | string[];

export function helmetOnce() {
  let headers: [string, HeaderValue][] | null = null;
  const onRequest = (_req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const res = reply.raw;
    if (headers) {
      for (const [name, value] of headers) res.setHeader(name, value);
      return done();
    }
    const before = res.getHeaders();
    reply.helmet();
    const after = res.getHeaders();
    const set: [string, HeaderValue][] = [];
    for (const [name, value] of Object.entries(after)) if (value !== undefined && before[name] !== value) set.push([name, value as HeaderValue]);
    headers = set;
    done();
  };
  return { helmet: false as const, onRequest };
}
