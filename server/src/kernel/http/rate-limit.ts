// Whose allowance a request counts against (@fastify/rate-limit keyGenerator, see app.ts).
//
// A signed-in caller counts against their account; everyone else against their address. Keying on
// the address alone refused residents behind one carrier-grade NAT address together, while one
// account could use the whole allowance of an address. The account is known without a lookup of
// our own: the limiter's hook is route-level and runs after the kernel's app-level hook that
// resolved the caller (kernel/http/auth.ts). A forged or expired credential resolves to nobody,
// so it counts against the address and cannot buy fresh allowances.
import type { FastifyRequest } from 'fastify';

export function rateLimitKey(req: FastifyRequest): string {
  // per account, not per session: signing in again does not reset or multiply the allowance
  if (req.actor) return `user:${req.actor.userId}`;
  return `ip:${req.ip}`;
}
