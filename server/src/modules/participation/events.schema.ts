import { Type, type Static } from '@sinclair/typebox';
import { Str } from './notices.schema.js';

export const EventCreateBody = Type.Object(
  {
    communityId: Str(64, 1),
    title: Str(120, 1),
    description: Type.Optional(Str(4000)),
    location: Str(200, 1),
    startsAt: Str(40, 1),
    endsAt: Str(40, 1),
    capacity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    organiser: Type.Object(
      { kind: Type.Union([Type.Literal('community'), Type.Literal('social_org'), Type.Literal('volunteer_team')]), name: Str(100, 1) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type EventCreateBody = Static<typeof EventCreateBody>;

export const CheckInBody = Type.Object({ token: Str(2000, 10) }, { additionalProperties: false });
export const HoursBody = Type.Object({ residentId: Str(64, 1), hours: Type.Number({ minimum: 0.5, maximum: 24, multipleOf: 0.5 }) }, { additionalProperties: false });
