// Types and hooks of the participation API (notices, surveys, events, points), shared by the
// console pages and the resident portal.
import { useMemo } from 'react';
import { usePlaceTree, useCurrentPlace, pathTo } from '../../shared/places';
import type { PlaceNode } from '../../shared/api/models';

export interface Audience {
  placeIds: string[];
  tags: string[];
}
export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
}
export interface Notice {
  id: string;
  communityId: string;
  title: string;
  bodyHtml: string;
  audience: Audience;
  attachments: Attachment[];
  status: 'scheduled' | 'published' | 'withdrawn';
  pinned: boolean;
  publishAt: string;
  expiresAt: string | null;
  publishedAt: string | null;
  expired: boolean;
  recipients: number;
  readCount?: number;
  readRate?: number;
  read?: boolean;
}
export interface NoticeStats {
  recipients: number;
  readCount: number;
  readRate: number;
  byBuilding: { buildingId: string | null; buildingName: string | null; recipients: number; read: number; readRate: number }[];
}
export type QuestionType = 'single' | 'multiple' | 'text' | 'textarea' | 'rating' | 'matrix_single' | 'matrix_multiple' | 'ranking';
export interface Question {
  id: string;
  type: QuestionType;
  title: string;
  required?: boolean;
  options?: string[];
  rows?: string[];
  scale?: number;
  showIf?: { questionId: string; anyOf: string[] };
}
export interface Survey {
  id: string;
  communityId: string;
  title: string;
  description: string;
  questions: Question[];
  audience: Audience;
  per: 'resident' | 'household';
  anonymous: boolean;
  opensAt: string;
  closesAt: string | null;
  state: 'upcoming' | 'open' | 'closed';
  responses?: number;
  answered?: boolean;
}
export interface QuestionResult {
  id: string;
  type: QuestionType;
  title: string;
  answered: number;
  options?: { option: string; count?: number; meanRank?: number | null }[];
  distribution?: { value: number; count: number }[];
  mean?: number | null;
  rows?: { row: string; options: { option: string; count: number }[] }[];
  texts?: string[];
}
export interface SurveyResults {
  survey: Survey;
  eligible: number;
  responses: number;
  rate: number;
  byBuilding: { buildingId: string | null; buildingName: string | null; eligible: number; responses: number; rate: number }[];
  questions: QuestionResult[];
}
export interface EventItem {
  id: string;
  communityId: string;
  title: string;
  description: string;
  location: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  organiser: { kind: 'community' | 'social_org' | 'volunteer_team'; name: string };
  status: 'open' | 'cancelled';
  registered: number;
  waitlisted: number;
  checkedIn: number;
  myStatus?: 'registered' | 'waitlisted' | 'cancelled' | null;
  myCheckedIn?: boolean;
}
export interface Registration {
  id: string;
  residentId: string;
  residentName: string;
  status: string;
  registeredAt: string;
  checkedInAt: string | null;
  volunteerHours: number | null;
}
export interface PointsSummary {
  residentId: string;
  balance: number;
  earned: number;
  ledger: { id: string; component: string; action: string; ref: string; delta: number; reason: string | null; at: string }[];
  honours: { id: string; name: string; description: string; threshold: number | null; awardedAt: string }[];
}
export interface Rule {
  component: string;
  action: string;
  labels: { zh: string; en: string };
  points: number;
  dailyCap: number;
  enabled: boolean;
  custom: boolean;
}
export interface Reward {
  id: string;
  communityId: string;
  name: string;
  description: string;
  cost: number;
  stock: number;
  active: boolean;
}
export interface Redemption {
  id: string;
  rewardId: string;
  residentId: string;
  cost: number;
  status: 'pending' | 'fulfilled';
  createdAt: string;
  fulfilledAt: string | null;
}
export interface Honour {
  id: string;
  communityId: string;
  name: string;
  description: string;
  threshold: number | null;
}
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

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
