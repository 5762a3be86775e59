import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type { PlaceNode } from './api/models';

export function usePlaceTree(enabled = true) {
  return useQuery({
    queryKey: ['places', 'tree'],
    queryFn: () => api.get('/api/v1/places/tree'),
    staleTime: 60_000,
    enabled,
  });
}

export interface TreeItem {
  key: string;
  value: string;
  title: string;
  kind: string;
  disabled?: boolean;
  selectable?: boolean;
  children?: TreeItem[];
}

/**
 * antd Tree / TreeSelect data. `selectableKinds` limits what can be chosen (others stay
 * visible so the user can navigate down to them); `kindLabel` adds the kind to the title.
 */
export function toTreeData(nodes: PlaceNode[] | undefined, opts: { selectableKinds?: string[]; stopAt?: string[] } = {}): TreeItem[] {
  const walk = (list: PlaceNode[]): TreeItem[] =>
    list.map((n) => {
      const selectable = !opts.selectableKinds || opts.selectableKinds.includes(n.kind);
      const stop = opts.stopAt?.includes(n.kind);
      return {
        key: n.id,
        value: n.id,
        title: n.name,
        kind: n.kind,
        selectable,
        disabled: false,
        children: !stop && n.children?.length ? walk(n.children) : undefined,
      };
    });
  return walk(nodes ?? []);
}

export function findPlace(nodes: PlaceNode[] | undefined, id: string | null | undefined): PlaceNode | null {
  if (!nodes || !id) return null;
  for (const n of nodes) {
    if (n.id === id) return n;
    const f = findPlace(n.children, id);
    if (f) return f;
  }
  return null;
}

/** Path of nodes from a root to `id` (inclusive), or []. */
export function pathTo(nodes: PlaceNode[] | undefined, id: string): PlaceNode[] {
  for (const n of nodes ?? []) {
    if (n.id === id) return [n];
    const sub = pathTo(n.children, id);
    if (sub.length) return [n, ...sub];
  }
  return [];
}

// The console's current place (header switcher). Kept in localStorage; lists filter by it.
const KEY = 'linli.placeId';
const listeners = new Set<() => void>();
function read(): string | null {
  try {
    return localStorage.getItem(KEY) || null;
  } catch {
    return null;
  }
}
let current = read();

export function setCurrentPlace(id: string | null): void {
  current = id;
  try {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
  listeners.forEach((l) => l());
}

export function useCurrentPlace(): string | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
