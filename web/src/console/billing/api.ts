// Types and calls of billing for the console.
import { useMemo } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { usePlaceTree, useCurrentPlace, pathTo } from '../../shared/places';
import { errorMessage, type ApiOk, type ItemOf } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import type { PlaceNode } from '../../shared/api/models';

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
/** Prices are kept in 1/100 fen (0.0001 yuan) per unit. */
export const priceYuan = (p: number) => (p / 10000).toFixed(4).replace(/0{1,2}$/, '');

// The answers of the billing routes, named from the generated OpenAPI types.
export type FeeItem = ItemOf<ApiOk<'/api/v1/billing/fee-items'>>;
export type Reading = ItemOf<ApiOk<'/api/v1/billing/readings'>>;
export type Run = ItemOf<ApiOk<'/api/v1/billing/runs'>>;
export type Bill = ItemOf<ApiOk<'/api/v1/billing/bills'>>;
export type Payment = ItemOf<ApiOk<'/api/v1/billing/payments'>>;
export type ArrearsAnswer = ApiOk<'/api/v1/billing/arrears'>;
export type Collection = ApiOk<'/api/v1/billing/collection'>;

/** The community the console works in: the one on the path to the header's place, else the first one. */
export function useBillingCommunity(): { id: string | null; node: PlaceNode | null } {
  const tree = usePlaceTree();
  const current = useCurrentPlace();
  return useMemo(() => {
    const first = (nodes: PlaceNode[] | undefined): PlaceNode | null => {
      for (const n of nodes ?? []) {
        if (n.kind === 'community') return n;
        const f = first(n.children);
        if (f) return f;
      }
      return null;
    };
    const onPath = current ? (pathTo(tree.data, current).find((n) => n.kind === 'community') ?? null) : null;
    const node = onPath ?? first(tree.data);
    return { id: node?.id ?? null, node };
  }, [tree.data, current]);
}

/** A mutation that refreshes billing queries and reports errors as a message. */
export function useBillingAction<A, R>(fn: (a: A, key: string) => Promise<R>, done?: (r: R) => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  // one key per submit of the action's form, kept for its retries, renewed once it succeeded
  const intent = useIntentKey();
  return useMutation({
    mutationFn: (a: A) => fn(a, intent.key()),
    onSuccess: (r) => {
      intent.renew();
      void qc.invalidateQueries({ queryKey: ['billing'] });
      done?.(r);
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
}
