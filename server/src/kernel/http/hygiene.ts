// Input hygiene shared by every route: text never contains NUL characters (PostgreSQL cannot
// store them and no person types them). Such input is refused as a validation error naming the
// field, before any handler runs.
import type { FastifyInstance } from 'fastify';
import { invalid } from './errors.js';

function findNul(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (depth > 20 || v === null || typeof v !== 'object') return null;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.includes('\u0000')) return path ? `${path}.${k}` : k;
    const hit = findNul(x, path ? `${path}.${k}` : k, depth + 1);
    if (hit) return hit;
  }
  return null;
}

export function installInputHygiene(app: FastifyInstance<any, any, any, any, any>) {
  app.addHook('preValidation', async (req) => {
    const field = findNul(req.params, '') ?? findNul(req.query, '') ?? findNul(req.body, '');
    if (field !== null) throw invalid([{ field: field || 'body', code: 'validation.invalid' }]);
  });
}
