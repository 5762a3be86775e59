// How a module adds its routes to the authorization matrix (server/src/test/authz-matrix.test.ts).
// A module exports a MatrixRows from `<module>.authz-rows.ts`; matrix-modules.ts lists them.
import type { Kernel } from '../kernel/index.js';
import type { World } from './fixtures.js';

/**
 * Outcomes per role, one letter each, in this column order:
 * platform_admin gov_supervisor community_staff property_manager technician security_guard doctor
 * department_officer service_provider resident — 'o' allowed (any answer but 401/403/404),
 * 'd' denied (403), 'n' not found (404, e.g. a record outside the actor's scope).
 */
export type Row = string;

export interface MatrixEntry {
  /** Outcomes on records of the actor's community (c1). */
  own: Row;
  /** Outcomes on records of the other community (c2), or null when the route has no record. */
  other: Row | null;
  /** Path (with ids filled in) and body for a side; defaults: the route path as is, body {}. */
  request?: (ids: Record<string, string>) => { path?: string; body?: unknown };
}

export interface MatrixRows {
  /** Create the module's records in c1 ("own") and c2 ("other"); return their ids by name. */
  setup(k: Kernel, w: World): Promise<{ own: Record<string, string>; other: Record<string, string> }>;
  /** Keyed "METHOD /api/v1/path/:param". */
  rows: Record<string, MatrixEntry>;
}
