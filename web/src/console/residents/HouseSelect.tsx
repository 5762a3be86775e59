import { useMemo, useState } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { usePlaceTree } from '../../shared/places';
import type { PlaceNode, PlaceRow } from '../../shared/api/models';

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  selectable: boolean;
  isLeaf: boolean;
}

/**
 * Pick a house: the place tree (down to units) with the houses of a building or unit loaded
 * when it is opened. Only houses can be chosen.
 */
export function HouseSelect(props: { value?: string; onChange?: (v: string | undefined) => void; id?: string; knownLabel?: string }) {
  const { t } = useTranslation();
  const tree = usePlaceTree();
  const [houses, setHouses] = useState<Record<string, PlaceRow[]>>({});

  const nodes = useMemo(() => {
    const out: Node[] = [];
    const walk = (list: PlaceNode[], parent: string | null) => {
      for (const n of list) {
        const holdsHouses = n.kind === 'building' || n.kind === 'unit';
        out.push({
          id: n.id,
          pId: parent,
          value: n.id,
          title: n.name,
          selectable: false,
          isLeaf: !holdsHouses && !n.children?.length,
        });
        walk(n.children ?? [], n.id);
      }
    };
    walk(tree.data ?? [], null);
    for (const [parent, list] of Object.entries(houses)) {
      for (const h of list) out.push({ id: h.id, pId: parent, value: h.id, title: h.name, selectable: true, isLeaf: true });
    }
    // A preset house (e.g. adding a resident from the house page) shows its label before loading.
    if (props.value && !out.some((n) => n.id === props.value)) {
      out.push({ id: props.value, pId: null, value: props.value, title: props.knownLabel ?? props.value, selectable: true, isLeaf: true });
    }
    return out;
  }, [tree.data, houses, props.value, props.knownLabel]);

  const loadData = async (node: { id?: string; value?: unknown }) => {
    const id = String(node.id ?? node.value);
    if (houses[id]) return;
    const page = await api.get('/api/v1/places', { query: { parentId: id, kind: 'house', page: 1, pageSize: 500 } });
    setHouses((h) => ({ ...h, [id]: page.items.filter((p) => p.kind === 'house') }));
  };

  return (
    <TreeSelect
      id={props.id}
      value={props.value}
      onChange={(v) => props.onChange?.(v as string | undefined)}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeData={nodes}
      loadData={loadData as any}
      placeholder={t('residents.pickHouse')}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      loading={tree.isLoading}
      popupMatchSelectWidth={false}
    />
  );
}
