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
export const HoursBody = Type.Object(
  { residentId: Str(64, 1), hours: Type.Number({ minimum: 0.5, maximum: 24, multipleOf: 0.5 }) },
  { additionalProperties: false },
);

// ---------- responses ----------
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const RegStatus = Type.Union([Type.Literal('registered'), Type.Literal('waitlisted'), Type.Literal('cancelled')]);

/** An event with its counts; a resident also sees their own registration (`myStatus`, and on one event `myCheckedIn`). */
export const EventView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    title: Type.String(),
    description: Type.String(),
    location: Type.String(),
    startsAt: Type.String(),
    endsAt: Type.String(),
    capacity: Type.Integer(),
    organiser: Type.Object(
      { kind: Type.Union([Type.Literal('community'), Type.Literal('social_org'), Type.Literal('volunteer_team')]), name: Type.String() },
      { additionalProperties: false },
    ),
    status: Type.Union([Type.Literal('open'), Type.Literal('cancelled')]),
    registered: Type.Integer(),
    waitlisted: Type.Integer(),
    checkedIn: Type.Integer(),
    myStatus: Type.Optional(Type.Union([RegStatus, Type.Null()])),
    myCheckedIn: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type EventView = Static<typeof EventView>;
/** Events are a capped list (the next 200), not paged. */
export const EventList = Type.Object({ items: Type.Array(EventView) }, { additionalProperties: false });

export const RegistrationView = Type.Object(
  {
    id: Type.String(),
    residentId: Type.String(),
    residentName: Type.String(),
    status: RegStatus,
    registeredAt: Type.String(),
    checkedInAt: NullableStr,
    volunteerHours: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RegistrationView = Static<typeof RegistrationView>;
export const RegistrationList = Type.Object({ items: Type.Array(RegistrationView) }, { additionalProperties: false });

export const RegisterResult = Type.Object(
  { eventId: Type.String(), status: Type.Union([Type.Literal('registered'), Type.Literal('waitlisted')]) },
  { additionalProperties: false },
);
export const UnregisterResult = Type.Object(
  { eventId: Type.String(), status: Type.Literal('cancelled'), promotedResidentId: NullableStr },
  { additionalProperties: false },
);
export const Ticket = Type.Object({ eventId: Type.String(), token: Type.String(), checkedIn: Type.Boolean() }, { additionalProperties: false });
