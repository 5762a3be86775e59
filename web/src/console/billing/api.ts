// Types and calls of billing for the console.
import { useMemo } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { usePlaceTree, useCurrentPlace, pathTo } from '../../shared/places';
import { api, errorMessage } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import type { PlaceNode } from '../../shared/api/models';

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
/** Prices are kept in 1/100 fen (0.0001 yuan) per unit. */
export const priceYuan = (p: number) => (p / 10000).toFixed(4).replace(/0{1,2}$/, '');

export interface FeeItem {
  id: string;
  communityId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  unitPrice: number;
  tiers: { upTo: number | null; unitPrice: number }[];
  rounding: string;
  roundingUnit: string;
  dueDays: number;
  lateGraceDays: number;
  lateRateBp: number;
  lateCapBp: number;
  maxJump: number | null;
  discounts: { tag: string; percentOff: number }[];
  active: boolean;
}
export interface Reading {
  id: string;
  houseId: string;
  feeItemId: string;
  period: string;
  reading: number;
  previous: number | null;
  use: number | null;
  status: string;
  flag: string | null;
  source: string;
  createdAt: string;
}
export interface Run {
  id: string;
  communityId: string;
  period: string;
  status: 'preview' | 'approved' | 'published';
  billCount: number;
  totalFen: number;
  skipped: { houseId: string; feeItemId: string; reason: string }[];
  createdAt: string;
  publishedAt: string | null;
}
export interface Bill {
  id: string;
  number: string;
  houseId: string | null;
  houseName: string | null;
  feeKind: string;
  period: string | null;
  source: string;
  subject: string;
  grossFen: number;
  discountFen: number;
  amountFen: number;
  lateFeeFen: number;
  adjustFen: number;
  paidFen: number;
  outstandingFen: number;
  status: string;
  dueDate: string | null;
}
export interface Payment {
  id: string;
  channel: string;
  outTradeNo: string;
  tradeNo: string | null;
  amountFen: number;
  refundedFen: number;
  status: string;
  receiptNo: string | null;
  offlineRef: string | null;
  paidAt: string | null;
  createdAt: string;
}
export interface ArrearsAnswer {
  today: string;
  items: { houseId: string; houseName: string; bills: number; totalFen: number; buckets: Record<string, number>; oldestDueDate: string }[];
  totals: Record<string, number>;
}
export interface Collection {
  byEstate: { estateId: string; estateName: string; billedFen: number; collectedFen: number; ratePercent: number }[];
  byMonth: { month: string; billedFen: number; collectedFen: number; ratePercent: number }[];
}

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

/** POST with the intent's Idempotency-Key (money-moving requests): a retry of the same submit happens once. */
export const postOnce = <T>(path: string, body: unknown, key: string) => api.post<T>(path, body, { idempotencyKey: key });

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
