// The places of the first demo community, as the per-module demo seeds need them, read through
// the registry's public functions (one copy of these lookups instead of one per demo seed).
import type { Kernel } from '../kernel/index.js';
import { places } from '../modules/registry/index.js';
import { generateDemo } from './demo-data.js';

/** The first demo community (花家地社区), or null when the demo is not seeded. */
export function demoCommunity(k: Kernel) {
  return places.firstByKindAndName(k, 'community', generateDemo().communities[0]!.name);
}

/** Children of a place of one kind, in display order. */
export function childPlaces(k: Kernel, parentId: string, kind: 'estate' | 'building' | 'unit' | 'house') {
  return places.children(k, parentId, kind);
}
