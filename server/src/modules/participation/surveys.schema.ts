import { Type, type Static } from '@sinclair/typebox';
import { AudienceSchema, Str } from './notices.schema.js';
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

export const AnswerBody = Type.Object({ answers: Type.Record(Type.String({ maxLength: 20 }), Type.Unknown(), { maxProperties: 100 }) }, { additionalProperties: false });
export type AnswerBody = Static<typeof AnswerBody>;

export const SurveyListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type SurveyListQuery = Static<typeof SurveyListQuery>;
