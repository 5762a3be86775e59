import { Type, type Static } from '@sinclair/typebox';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));
const Id = Str(64, 1);
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const pointKinds = ['community_gate', 'estate_gate', 'unit_door', 'garage_barrier'] as const;
export const directions = ['in', 'out', 'both'] as const;
export const credentialTypes = ['card', 'fingerprint', 'qr', 'pin'] as const;

export const IdParam = Type.Object({ id: Id });
export const CodeParam = Type.Object({ code: Str(64, 16) });

export const PointBody = Type.Object(
  {
    placeId: Id,
    kind: lit(pointKinds),
    name: Str(60, 1),
    direction: lit(directions),
    controllerId: Id,
    openSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  { additionalProperties: false },
);
export type PointBody = Static<typeof PointBody>;
export const PointPatch = Type.Object(
  { name: Type.Optional(Str(60, 1)), direction: Type.Optional(lit(directions)), openSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PointPatch = Static<typeof PointPatch>;

export const DoorGroupBody = Type.Object(
  { communityId: Id, name: Str(60, 1), pointIds: Type.Array(Id, { maxItems: 1000, uniqueItems: true }), antiPassback: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type DoorGroupBody = Static<typeof DoorGroupBody>;
export const DoorGroupPatch = Type.Object(
  { name: Type.Optional(Str(60, 1)), pointIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })), antiPassback: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type DoorGroupPatch = Static<typeof DoorGroupPatch>;

export const PersonGroupBody = Type.Object(
  { communityId: Id, name: Str(60, 1), residentIds: Type.Array(Id, { maxItems: 5000, uniqueItems: true }) },
  { additionalProperties: false },
);
export type PersonGroupBody = Static<typeof PersonGroupBody>;

const WindowT = Type.Object(
  { days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }), start: Str(5, 5), end: Str(5, 5) },
  { additionalProperties: false },
);
export const ScheduleBody = Type.Object(
  {
    communityId: Id,
    name: Str(60, 1),
    windows: Type.Array(WindowT, { maxItems: 50 }),
    holidays: Type.Optional(Type.Array(Type.String({ format: 'date' }), { maxItems: 400, uniqueItems: true })),
    holidayWindows: Type.Optional(Type.Array(WindowT, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type ScheduleBody = Static<typeof ScheduleBody>;

export const RuleBody = Type.Object(
  {
    communityId: Id,
    name: Str(60, 1),
    effect: lit(['allow', 'deny'] as const),
    whoKind: lit(['everyone', 'resident', 'household', 'role', 'group'] as const),
    whoValue: Type.Optional(Nullable(Str(64))),
    doorGroupId: Type.Optional(Nullable(Str(64))),
    scheduleId: Type.Optional(Nullable(Str(64))),
    validFrom: Type.Optional(Nullable(Instant)),
    validUntil: Type.Optional(Nullable(Instant)),
  },
  { additionalProperties: false },
);
export type RuleBody = Static<typeof RuleBody>;

export const CredentialQuery = Type.Object({ residentId: Id });
export const CredentialBody = Type.Object(
  {
    residentId: Id,
    communityId: Type.Optional(Id),
    type: lit(['card', 'fingerprint', 'pin'] as const),
    value: Type.Optional(Str(128)),
    cardFormat: Type.Optional(lit(['w26', 'w34'] as const)),
    validFrom: Type.Optional(Nullable(Instant)),
    validUntil: Type.Optional(Nullable(Instant)),
  },
  { additionalProperties: false },
);
export type CredentialBody = Static<typeof CredentialBody>;
export const RevokeBody = Type.Object({ reason: Type.Optional(Str(200)) }, { additionalProperties: false });

export const QrBody = Type.Object({ pointId: Type.Optional(Id) }, { additionalProperties: false });

export const DecisionBody = Type.Object(
  {
    eventId: Str(64, 1),
    doorId: Id,
    credentialType: lit(credentialTypes),
    value: Type.Optional(Str(128)),
    token: Type.Optional(Str(1000)),
    at: Type.Optional(Instant),
    direction: Type.Optional(lit(['in', 'out'] as const)),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const OfflineBody = Type.Object(
  {
    decisions: Type.Array(
      Type.Object(
        {
          eventId: Str(64, 1),
          doorId: Id,
          credentialType: lit(credentialTypes),
          value: Type.Optional(Str(128)),
          token: Type.Optional(Str(1000)),
          credentialId: Type.Optional(Str(64)),
          at: Instant,
          direction: Type.Optional(lit(['in', 'out'] as const)),
          result: lit(['allow', 'deny'] as const),
          reason: Type.Optional(Str(40)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type OfflineBody = Static<typeof OfflineBody>;
export const AllowListQuery = Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) });

export const LogQuery = Type.Object({
  residentId: Type.Optional(Id),
  pointId: Type.Optional(Id),
  visitorPassId: Type.Optional(Id),
  from: Type.Optional(Instant),
  until: Type.Optional(Instant),
  result: Type.Optional(lit(['allow', 'deny'] as const)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type LogQuery = Static<typeof LogQuery>;

export const PassBody = Type.Object(
  {
    visitorName: Str(40, 1),
    phone: Type.Optional(Nullable(Str(20))),
    validFrom: Instant,
    validUntil: Instant,
    pointIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
    maxUses: Type.Integer({ minimum: 1, maximum: 50 }),
    hostResidentId: Type.Optional(Id), // guards issue on behalf of a host
  },
  { additionalProperties: false },
);
export type PassBody = Static<typeof PassBody>;
export const PassQuery = Type.Object({ today: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) });
