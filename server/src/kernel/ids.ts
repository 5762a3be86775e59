// Prefixed, sortable ids: `res_01J…` (ULID, monotonic within a process).
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export function newId(prefix: string): string {
  return `${prefix}_${next()}`;
}
