// Response schemas of the council routes (proposals, votes, meetings, feedback). The services'
// view functions are typed by them, so an answer and its declared schema cannot drift apart.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const NStr = Nullable(Type.String());
const Strict = { additionalProperties: false } as const;

export const FileView = Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer() }, Strict);

// ---------- proposals ----------
export const ProposalView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    body: Type.String(),
    attachmentIds: Type.Array(Type.String()),
    authorName: Type.String(),
    source: Type.String(),
    status: Type.String(),
    cosigns: Type.Integer(),
    cosignThreshold: Type.Integer(),
    onAgendaAt: NStr,
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  Strict,
);
export type ProposalView = Static<typeof ProposalView>;
export const ProposalPage = Paged(ProposalView);

/** A comment; a hidden one shows no author or text except to moderators, who also see reports and review. */
export const CommentView = Type.Object(
  {
    id: Type.String(),
    authorName: NStr,
    body: NStr,
    hidden: Type.Boolean(),
    reports: Type.Optional(Type.Integer()),
    review: Type.Optional(Type.String()),
    createdAt: Type.String(),
  },
  Strict,
);
export type CommentView = Static<typeof CommentView>;

export const ProposalDetail = Type.Object(
  {
    ...ProposalView.properties,
    timeline: Type.Array(Type.Object({ at: Type.String(), status: Type.String(), note: NStr, actorName: Type.String() }, Strict)),
    comments: Type.Array(CommentView),
    following: Type.Boolean(),
    cosigned: Type.Boolean(),
    mine: Type.Boolean(),
  },
  Strict,
);
export type ProposalDetail = Static<typeof ProposalDetail>;
export const FollowResult = Type.Object({ following: Type.Boolean() }, Strict);
export const ReportResult = Type.Object({ reported: Type.Literal(true), hidden: Type.Boolean() }, Strict);
export const ModerationQueue = Type.Object(
  { items: Type.Array(Type.Object({ ...CommentView.properties, proposalId: Type.String(), proposalTitle: Type.String() }, Strict)) },
  Strict,
);
export type ModerationQueue = Static<typeof ModerationQueue>;

// ---------- votes ----------
const Fraction = Type.Object({ num: Type.Integer(), den: Type.Integer() }, Strict);
const Count = Type.Object({ heads: Type.Integer(), area: Type.Integer() }, Strict);
const Tally = Type.Object({ yes: Count, no: Count, abstain: Count }, Strict);
const Check = Type.Object(
  {
    code: Type.String(),
    left: Type.Integer(),
    op: Type.Union([Type.Literal('>='), Type.Literal('>')]),
    right: Type.Integer(),
    met: Type.Boolean(),
    text: Type.String(),
  },
  Strict,
);
/** The frozen verdict of a closed vote, with the rule that decided it. */
export const VoteResult = Type.Object(
  {
    outcome: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('quorum_not_met')]),
    rule: Type.Union([Type.Literal('simple'), Type.Literal('threshold'), Type.Literal('art278')]),
    major: Type.Boolean(),
    decidedBy: Type.String(),
    checks: Type.Array(Check),
    participating: Count,
    cast: Count,
    tally: Tally,
    roll: Count,
    consistent: Type.Optional(Type.Boolean()),
    closedAt: Type.Optional(Type.String()),
    closedBy: Type.Optional(Type.String()),
  },
  Strict,
);
export type VoteResult = Static<typeof VoteResult>;
const Channel = Type.Union([Type.Literal('online'), Type.Literal('paper')]);

export const VoteView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    description: Type.String(),
    basis: Type.String(),
    secret: Type.Boolean(),
    hideResults: Type.Boolean(),
    rule: Type.String(),
    major: Type.Boolean(),
    quorum: Nullable(Fraction),
    threshold: Nullable(Fraction),
    proposalId: NStr,
    status: Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')]),
    closesAt: NStr,
    openedAt: NStr,
    closedAt: NStr,
    roll: Type.Object({ heads: Type.Integer(), areaCenti: Type.Integer() }, Strict),
    ballotsCast: Type.Integer(),
    createdAt: Type.String(),
    result: Nullable(VoteResult),
    liveTally: Nullable(Tally),
    /** The signed-in resident's place on the roll (residents, once the vote is open). */
    me: Type.Optional(Type.Object({ eligible: Type.Boolean(), voted: Type.Boolean(), channel: Nullable(Channel) }, Strict)),
    allowedActions: Type.Array(Type.String()),
    /** Who chose what on a closed named vote (staff only). */
    namedBallots: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), label: Type.String(), choice: Type.String(), channel: NStr, areaCenti: Type.Integer() }, Strict)),
    ),
  },
  Strict,
);
export type VoteView = Static<typeof VoteView>;
export const VotePage = Paged(VoteView);
export const PaperBallotResult = Type.Object(
  { voterKey: Type.String(), name: Type.String(), channel: Type.Literal('paper'), recorded: Type.Literal(true) },
  Strict,
);
export const RollEntryView = Type.Object(
  {
    voterKey: Type.String(),
    name: Type.String(),
    label: Type.String(),
    areaCenti: Type.Integer(),
    voted: Type.Boolean(),
    channel: Nullable(Channel),
    votedAt: NStr,
  },
  Strict,
);
export const RollPage = Paged(RollEntryView);

// ---------- meetings ----------
export const MeetingView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    startsAt: Type.String(),
    location: Type.String(),
    minutes: NStr,
    attendees: Type.Array(Type.Object({ name: Type.String(), role: Type.String() }, Strict)),
    status: Type.String(),
    createdAt: Type.String(),
  },
  Strict,
);
export type MeetingView = Static<typeof MeetingView>;
export const MeetingPage = Paged(MeetingView);
export const MeetingDetail = Type.Object(
  {
    ...MeetingView.properties,
    agenda: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          title: Type.String(),
          resolution: NStr,
          proposal: Nullable(Type.Object({ id: Type.String(), title: NStr, status: NStr }, Strict)),
          vote: Nullable(Type.Object({ id: Type.String(), title: NStr, status: NStr, outcome: NStr }, Strict)),
        },
        Strict,
      ),
    ),
  },
  Strict,
);
export type MeetingDetail = Static<typeof MeetingDetail>;

// ---------- feedback ----------
export const FeedbackView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    placeId: NStr,
    residentName: Type.String(),
    category: Type.String(),
    text: Type.String(),
    photoIds: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('submitted'), Type.Literal('answered'), Type.Literal('work_order'), Type.Literal('proposal')]),
    answer: NStr,
    answeredAt: NStr,
    workOrderId: NStr,
    proposalId: NStr,
    respondBy: Type.String(),
    overdue: Type.Boolean(),
    rating: Nullable(Type.Integer()),
    ratingComment: NStr,
    createdAt: Type.String(),
    allowedActions: Type.Array(Type.String()),
  },
  Strict,
);
export type FeedbackView = Static<typeof FeedbackView>;
export const FeedbackPage = Paged(FeedbackView);
export const FeedbackStats = Type.Object(
  {
    from: Type.String(),
    items: Type.Array(
      Type.Object(
        {
          category: Type.String(),
          month: Type.String(),
          total: Type.Integer(),
          handled: Type.Integer(),
          overdue: Type.Integer(),
          accepted: Type.Integer(),
          rated: Type.Integer(),
          averageRatingTenths: Nullable(Type.Integer()),
        },
        Strict,
      ),
    ),
  },
  Strict,
);
export type FeedbackStats = Static<typeof FeedbackStats>;
