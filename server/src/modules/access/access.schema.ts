import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

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
  {
    name: Type.Optional(Str(60, 1)),
    direction: Type.Optional(lit(directions)),
    openSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PointPatch = Static<typeof PointPatch>;

export const DoorGroupBody = Type.Object(
  { communityId: Id, name: Str(60, 1), pointIds: Type.Array(Id, { maxItems: 1000, uniqueItems: true }), antiPassback: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type DoorGroupBody = Static<typeof DoorGroupBody>;
export const DoorGroupPatch = Type.Object(
  {
    name: Type.Optional(Str(60, 1)),
    pointIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })),
    antiPassback: Type.Optional(Type.Boolean()),
  },
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

// ----- responses (the present functions are typed by these: code and schema cannot drift) -----
const S = Type.String();
const NullStr = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer();
const strict = { additionalProperties: false } as const;

export const PointOut = Type.Object(
  {
    id: S,
    communityId: S,
    placeId: S,
    kind: S,
    name: S,
    direction: lit(directions),
    controllerId: S,
    openSeconds: Int,
    enabled: Type.Boolean(),
    groupIds: Type.Array(S),
    createdAt: S,
  },
  strict,
);
export const DoorGroupOut = Type.Object({ id: S, communityId: S, name: S, antiPassback: Type.Boolean(), pointIds: Type.Array(S) }, strict);
export const PersonGroupOut = Type.Object({ id: S, communityId: S, name: S, residentIds: Type.Array(S) }, strict);
const WindowOut = Type.Object({ days: Type.Array(Int), start: S, end: S }, strict);
export const ScheduleOut = Type.Object(
  { id: S, communityId: S, name: S, windows: Type.Array(WindowOut), holidays: Type.Array(S), holidayWindows: Type.Array(WindowOut) },
  strict,
);
export const RuleOut = Type.Object(
  {
    id: S,
    communityId: S,
    name: S,
    effect: lit(['allow', 'deny'] as const),
    whoKind: lit(['everyone', 'resident', 'household', 'role', 'group'] as const),
    whoValue: NullStr,
    doorGroupId: NullStr,
    scheduleId: NullStr,
    validFrom: NullStr,
    validUntil: NullStr,
    createdAt: S,
  },
  strict,
);
export const Deleted = Type.Object({ deleted: Type.Boolean() }, strict);

export const CredentialOut = Type.Object(
  {
    id: S,
    residentId: S,
    communityId: S,
    type: lit(credentialTypes),
    label: S,
    cardFormat: NullStr,
    status: lit(['active', 'revoked'] as const),
    validFrom: NullStr,
    validUntil: NullStr,
    revokedAt: NullStr,
    revokeReason: NullStr,
    createdAt: S,
    // on issuing a card: how the number was understood (facility code, card number, Wiegand form)
    card: Type.Optional(Type.Object({ facilityCode: Int, cardNumber: Int, form: S }, strict)),
  },
  strict,
);
export const PublicKeyOut = Type.Object({ keyId: S, publicKey: S, alg: Type.Literal('Ed25519') }, strict);
export const MyAccessOut = Type.Object(
  {
    residentId: S,
    name: S,
    credentials: Type.Array(CredentialOut),
    doors: Type.Array(Type.Object({ id: S, name: S, kind: S }, strict)),
    publicKey: PublicKeyOut,
  },
  strict,
);
export const QrOut = Type.Object({ token: S, credentialId: S, expiresAt: S, refreshAfterS: Int }, strict);

export const LogEntryOut = Type.Object(
  {
    id: S,
    eventId: S,
    at: S,
    doorId: S,
    doorName: S,
    credentialType: S,
    credentialId: NullStr,
    residentId: NullStr,
    visitorPassId: NullStr,
    holderName: NullStr,
    direction: S,
    result: lit(['allow', 'deny'] as const),
    reason: S,
    reasonText: S,
    openSeconds: Int,
    offline: Type.Boolean(),
  },
  strict,
);

export const PassOut = Type.Object(
  {
    id: S,
    communityId: S,
    hostResidentId: S,
    hostName: S,
    issuedBy: lit(['resident', 'guard'] as const),
    visitorName: S,
    phone: NullStr,
    validFrom: S,
    validUntil: S,
    doorIds: Type.Array(S),
    maxUses: Int,
    uses: Int,
    status: lit(['active', 'revoked'] as const),
    link: S,
    createdAt: S,
  },
  strict,
);
export const VisitOut = Type.Object(
  {
    visitorName: S,
    hostName: S,
    community: S,
    validFrom: S,
    validUntil: S,
    usesLeft: Int,
    state: lit(['revoked', 'not_yet_valid', 'expired', 'used_up', 'valid'] as const),
    doors: Type.Array(Type.Object({ id: S, name: S }, strict)),
    token: NullStr,
    expiresAt: NullStr,
    refreshAfterS: Int,
  },
  strict,
);

export const DecisionOut = Type.Object(
  { eventId: S, doorId: S, result: lit(['allow', 'deny'] as const), reason: S, openSeconds: Int, at: S, holderName: NullStr },
  strict,
);
const ListEntryOut = Type.Object({ key: S, type: S, match: S, doors: Type.Array(S), validFrom: NullStr, validUntil: NullStr }, strict);
export const AllowListOut = Type.Object(
  {
    version: Int,
    full: Type.Boolean(),
    since: Type.Union([Int, Type.Null()]),
    entries: Type.Array(ListEntryOut),
    removed: Type.Array(S),
    doors: Type.Array(Type.Object({ id: S, name: S, direction: lit(directions), openSeconds: Int, enabled: Type.Boolean() }, strict)),
    qrKey: Type.Union([PublicKeyOut, Type.Null()]),
  },
  strict,
);
export const OfflineOut = Type.Object(
  { stored: Int, duplicates: Int, alerts: Type.Array(S), rejected: Type.Array(Type.Object({ eventId: S, code: S }, strict)) },
  strict,
);

export const PointList = Paged(PointOut);
export const DoorGroupList = Paged(DoorGroupOut);
export const PersonGroupList = Paged(PersonGroupOut);
export const ScheduleList = Paged(ScheduleOut);
export const RuleList = Paged(RuleOut);
export const CredentialList = Paged(CredentialOut);
export const LogPage = Paged(LogEntryOut);
export const PassList = Paged(PassOut);

/** An unpaged list (every row in scope) in the house's paging envelope: one page holding them all. */
export const onePage = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: items.length });
