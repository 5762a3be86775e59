import type { Me } from '../../shared/api/models';

/** A technician (维修工) gets the phone view of their orders. */
export function isTechnician(me: Me | null | undefined): boolean {
  return !!me?.grants.some((g) => g.role === 'technician');
}
