// Types and hooks of the participation API (notices, surveys, events, points), shared by the
// console pages and the resident portal.
import { useMemo } from 'react';
import { usePlaceTree, useCurrentPlace, pathTo } from '../../shared/places';
import type { PlaceNode } from '../../shared/api/models';
import type { ApiOk, ItemOf } from '../../shared/api';

// The answers of the participation routes, named from the generated OpenAPI types.
export type Notice = ApiOk<'/api/v1/notices/{id}'>;
export type NoticeRow = ItemOf<ApiOk<'/api/v1/notices'>>;
export type NoticeStats = ApiOk<'/api/v1/notices/{id}/stats'>;
export type Survey = ApiOk<'/api/v1/surveys/{id}'>;
export type SurveyRow = ItemOf<ApiOk<'/api/v1/surveys'>>;
export type Question = Survey['questions'][number];
export type QuestionType = Question['type'];
export type SurveyResults = ApiOk<'/api/v1/surveys/{id}/results'>;
export type QuestionResult = SurveyResults['questions'][number];
export type EventItem = ApiOk<'/api/v1/events/{id}'>;
export type EventRow = ItemOf<ApiOk<'/api/v1/events'>>;
export type Registration = ItemOf<ApiOk<'/api/v1/events/{id}/registrations'>>;
export type PointsSummary = ApiOk<'/api/v1/points/me'>;
export type Rule = ItemOf<ApiOk<'/api/v1/points/rules'>>;
export type Reward = ItemOf<ApiOk<'/api/v1/rewards'>>;
export type Redemption = ItemOf<ApiOk<'/api/v1/redemptions'>>;
export type Honour = ItemOf<ApiOk<'/api/v1/honours'>>;

/** The community the console works in: the one on the path to the header's place, else the first one. */
export function useCommunity(): { id: string | null; node: PlaceNode | null; tree: PlaceNode[] | undefined } {
  const tree = usePlaceTree();
  const current = useCurrentPlace();
  return useMemo(() => {
    const find = (nodes: PlaceNode[] | undefined): PlaceNode | null => {
      for (const n of nodes ?? []) {
        if (n.kind === 'community') return n;
        const f = find(n.children);
        if (f) return f;
      }
      return null;
    };
    const onPath = current ? (pathTo(tree.data, current).find((n) => n.kind === 'community') ?? null) : null;
    const node = onPath ?? find(tree.data);
    return { id: node?.id ?? null, node, tree: tree.data };
  }, [tree.data, current]);
}

/** A label in the request language. */
export const label = (l: { zh: string; en: string }, lang: string) => (lang.startsWith('en') ? l.en : l.zh);
