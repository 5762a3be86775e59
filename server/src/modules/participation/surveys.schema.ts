import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { AudienceSchema, AudienceView, Str } from './notices.schema.js';
import { QuestionSchema } from './surveys.questions.js';

export const SurveyCreateBody = Type.Object(
  {
    communityId: Str(64, 1),
    title: Str(120, 1),
    description: Type.Optional(Str(2000)),
    questions: Type.Array(QuestionSchema, { minItems: 1, maxItems: 100 }),
    audience: Type.Optional(AudienceSchema),
    per: Type.Optional(Type.Union([Type.Literal('resident'), Type.Literal('household')])),
    anonymous: Type.Optional(Type.Boolean()),
    opensAt: Type.Optional(Type.Union([Str(40), Type.Null()])),
    closesAt: Type.Optional(Type.Union([Str(40), Type.Null()])),
  },
  { additionalProperties: false },
);
export type SurveyCreateBody = Static<typeof SurveyCreateBody>;

export const AnswerBody = Type.Object(
  { answers: Type.Record(Type.String({ maxLength: 20 }), Type.Unknown(), { maxProperties: 100 }) },
  { additionalProperties: false },
);
export type AnswerBody = Static<typeof AnswerBody>;

export const SurveyListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type SurveyListQuery = Static<typeof SurveyListQuery>;

// ---------- responses ----------
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const OptionCount = Type.Object({ option: Type.String(), count: Type.Integer() }, { additionalProperties: false });

/** A survey; residents see whether they (or their household) `answered`, staff the number of `responses`. */
export const SurveyView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    description: Type.String(),
    questions: Type.Array(QuestionSchema),
    audience: AudienceView,
    per: Type.Union([Type.Literal('resident'), Type.Literal('household')]),
    anonymous: Type.Boolean(),
    opensAt: Type.String(),
    closesAt: NullableStr,
    state: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
    answered: Type.Optional(Type.Boolean()),
    responses: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type SurveyView = Static<typeof SurveyView>;
export const SurveyPage = Paged(SurveyView);
export const AnswerResult = Type.Object({ surveyId: Type.String(), answered: Type.Literal(true) }, { additionalProperties: false });

/** One question's results: counts per option, a rating's distribution and mean, a matrix's cells, mean ranks, or the latest texts. */
export const QuestionResult = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    title: Type.String(),
    answered: Type.Integer(),
    options: Type.Optional(
      Type.Array(
        Type.Object(
          { option: Type.String(), count: Type.Optional(Type.Integer()), meanRank: Type.Optional(Type.Union([Type.Number(), Type.Null()])) },
          { additionalProperties: false },
        ),
      ),
    ),
    distribution: Type.Optional(Type.Array(Type.Object({ value: Type.Integer(), count: Type.Integer() }, { additionalProperties: false }))),
    mean: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    rows: Type.Optional(Type.Array(Type.Object({ row: Type.String(), options: Type.Array(OptionCount) }, { additionalProperties: false }))),
    texts: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export const SurveyResults = Type.Object(
  {
    survey: SurveyView,
    eligible: Type.Integer(),
    responses: Type.Integer(),
    rate: Type.Number(),
    byBuilding: Type.Array(
      Type.Object(
        { buildingId: NullableStr, buildingName: NullableStr, eligible: Type.Integer(), responses: Type.Integer(), rate: Type.Number() },
        { additionalProperties: false },
      ),
    ),
    questions: Type.Array(QuestionResult),
  },
  { additionalProperties: false },
);
