// Houses as billing shows them, read through the registry's index.ts (no SQL here).
import type { Kernel } from '../../kernel/index.js';
import { places } from '../registry/index.js';

/** The full name of each house ("1号楼 1单元 101") from its ancestors, by house id. */
export async function houseNames(k: Kernel, ids: (string | null)[]): Promise<Map<string, string>> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (!want.length) return new Map<string, string>();
  const rows = await Promise.all(want.map((id) => places.getPlace(k, id)));
  const ancestorIds = new Set<string>();
  for (const r of rows) if (r) for (const seg of r.path.split('/').filter(Boolean)) ancestorIds.add(seg);
  const names = await places.placeNames(k, [...ancestorIds]);
  const out = new Map<string, string>();
  for (const r of rows) {
    if (!r) continue;
    const segs = r.path
      .split('/')
      .filter(Boolean)
      .filter((s) => !s.startsWith('reg_') && !s.startsWith('com_'));
    out.set(
      r.id,
      segs
        .map((s) => names.get(s) ?? '')
        .filter(Boolean)
        .join(' ') || r.name,
    );
  }
  return out;
}

/** The place if it is a house, else null. */
export async function houseOf(k: Kernel, id: string) {
  const h = await places.getPlace(k, id);
  return h && h.kind === 'house' ? h : null;
}
