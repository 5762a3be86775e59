import { Type, type Static } from '@sinclair/typebox';
import { bases, choices, rules } from './votes.rules.js';

export const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
export const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));

export const IdParam = Type.Object({ id: Str(64, 1) });
export const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};

const Fraction = Type.Object(
  { num: Type.Integer({ minimum: 0, maximum: 1000 }), den: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);

export const CreateVoteBody = Type.Object(
  {
    communityId: Str(64, 1),
    title: Str(200, 1),
    description: Type.Optional(Str(5000)),
    basis: lit(bases),
    secret: Type.Boolean(),
    hideResults: Type.Optional(Type.Boolean()),
    rule: lit(rules),
    major: Type.Optional(Type.Boolean()),
    quorum: Type.Optional(Type.Union([Fraction, Type.Null()])),
    threshold: Type.Optional(Type.Union([Fraction, Type.Null()])),
    proposalId: Type.Optional(Type.Union([Str(64, 1), Type.Null()])),
    closesAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateVoteBody = Static<typeof CreateVoteBody>;

export const ListVotesQuery = Type.Object({
  status: Type.Optional(lit(['draft', 'open', 'closed'] as const)),
  proposalId: Type.Optional(Str(64)),
  ...Paging,
});
export type ListVotesQuery = Static<typeof ListVotesQuery>;

export const BallotBody = Type.Object({ choice: lit(choices) }, { additionalProperties: false });
export const PaperBallotBody = Type.Object({ voterKey: Str(64, 1), choice: lit(choices) }, { additionalProperties: false });
export type PaperBallotBody = Static<typeof PaperBallotBody>;

export const RollQuery = Type.Object({ q: Type.Optional(Str(50)), voted: Type.Optional(Type.Boolean()), ...Paging });
export type RollQuery = Static<typeof RollQuery>;
