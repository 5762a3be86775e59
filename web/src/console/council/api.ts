// Types of the council API (votes, proposals, meetings, feedback), shared by the console pages
// and the resident portal.
export interface Count {
  heads: number;
  area: number;
}
export interface Check {
  code: string;
  left: number;
  op: '>=' | '>';
  right: number;
  met: boolean;
  text: string;
}
export interface VoteResult {
  outcome: 'passed' | 'failed' | 'quorum_not_met';
  rule: string;
  major: boolean;
  decidedBy: string;
  checks: Check[];
  participating: Count;
  tally: Record<'yes' | 'no' | 'abstain', Count>;
  roll: Count;
  consistent: boolean;
  closedAt: string;
  closedBy: string;
}
export interface Vote {
  id: string;
  communityId: string;
  title: string;
  description: string;
  basis: 'residents' | 'owners' | 'households';
  secret: boolean;
  hideResults: boolean;
  rule: 'simple' | 'threshold' | 'art278';
  major: boolean;
  quorum: { num: number; den: number } | null;
  threshold: { num: number; den: number } | null;
  proposalId: string | null;
  status: 'draft' | 'open' | 'closed';
  closesAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  roll: { heads: number; areaCenti: number };
  ballotsCast: number;
  result: VoteResult | null;
  liveTally: Record<string, Count> | null;
  me?: { eligible: boolean; voted: boolean; channel: string | null };
  allowedActions: string[];
  namedBallots?: { name: string; label: string; choice: string; channel: string; areaCenti: number }[];
}
export interface RollEntry {
  voterKey: string;
  name: string;
  label: string;
  areaCenti: number;
  voted: boolean;
  channel: string | null;
  votedAt: string | null;
}
export interface Comment {
  id: string;
  authorName: string | null;
  body: string | null;
  hidden: boolean;
  reports?: number;
  review?: string;
  createdAt: string;
  proposalId?: string;
  proposalTitle?: string;
}
export interface Proposal {
  id: string;
  communityId: string;
  title: string;
  body: string;
  attachmentIds: string[];
  authorName: string;
  source: string;
  status: string;
  cosigns: number;
  cosignThreshold: number;
  onAgendaAt: string | null;
  createdAt: string;
  updatedAt: string;
  timeline?: { at: string; status: string; note: string | null; actorName: string }[];
  comments?: Comment[];
  following?: boolean;
  cosigned?: boolean;
  mine?: boolean;
}
export interface Meeting {
  id: string;
  communityId: string;
  title: string;
  startsAt: string;
  location: string;
  minutes: string | null;
  attendees: { name: string; role: string }[];
  status: string;
  agenda?: {
    id: string;
    title: string;
    resolution: string | null;
    proposal: { id: string; title: string; status: string } | null;
    vote: { id: string; title: string; status: string; outcome: string | null } | null;
  }[];
}
export interface Feedback {
  id: string;
  communityId: string;
  placeId: string | null;
  residentName: string;
  category: string;
  text: string;
  photoIds: string[];
  status: string;
  answer: string | null;
  answeredAt: string | null;
  workOrderId: string | null;
  proposalId: string | null;
  respondBy: string;
  overdue: boolean;
  rating: number | null;
  ratingComment: string | null;
  createdAt: string;
  allowedActions: string[];
}
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const feedbackCategories = ['environment', 'safety', 'facilities', 'neighbours', 'property_service', 'suggestion', 'other'] as const;
export const answerStatuses = ['under_review', 'accepted', 'rejected', 'implementing', 'done'] as const;

/** Centi-m² as m² with two decimals (integer arithmetic on the server; display only here). */
export const m2 = (centi: number) => `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
export const outcomeColor: Record<string, string> = { passed: 'green', failed: 'red', quorum_not_met: 'orange' };
export const proposalColor: Record<string, string> = {
  collecting: 'blue',
  on_agenda: 'purple',
  under_review: 'gold',
  accepted: 'green',
  rejected: 'red',
  implementing: 'cyan',
  done: 'default',
};
