import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Number | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParam = Type.Object({ id: Str(64) });
export const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};

export const PlaceKind = Type.Union((['region', 'community', 'estate', 'building', 'unit', 'house'] as const).map((k) => Type.Literal(k)));

export const CreatePlaceBody = Type.Object(
  {
    kind: PlaceKind,
    parentId: Type.Optional(Nullable(Str(64))),
    name: Str(60),
    code: Type.Optional(Nullable(Str(20))),
    regionLevel: Type.Optional(Nullable(Str(20))),
    floor: Type.Optional(Nullable(Type.Integer({ minimum: -10, maximum: 200 }))),
    areaM2: Type.Optional(Nullable(Type.Number())),
    houseUse: Type.Optional(Nullable(Str(20))),
    timeZone: Type.Optional(Nullable(Str(50))),
  },
  { additionalProperties: false },
);
export const UpdatePlaceBody = Type.Object(
  {
    name: Type.Optional(Str(60)),
    code: Type.Optional(Nullable(Str(20))),
    floor: Type.Optional(Nullable(Type.Integer({ minimum: -10, maximum: 200 }))),
    areaM2: Type.Optional(Nullable(Type.Number())),
    houseUse: Type.Optional(Nullable(Str(20))),
  },
  { additionalProperties: false },
);
export const PlaceListQuery = Type.Object({ parentId: Type.Optional(Str(64)), kind: Type.Optional(PlaceKind), ...Paging });

const residentFields = {
  name: Str(50),
  gender: Type.Optional(Str(2)),
  birthDate: Type.Optional(Nullable(Str(10))),
  ethnicity: Type.Optional(Nullable(Str(2))),
  phone: Type.Optional(Nullable(Str(30))),
  tags: Type.Optional(Type.Array(Str(30), { maxItems: 20 })),
  note: Type.Optional(Nullable(Str(500))),
};

export const CreateResidentBody = Type.Object(
  {
    ...residentFields,
    idType: Type.Optional(Str(2)),
    idNumber: Str(40),
    communityId: Type.Optional(Str(64)),
    houseId: Type.Optional(Str(64)),
    role: Type.Optional(Str(20)),
    relation: Type.Optional(Nullable(Str(2))),
    moveIn: Type.Optional(Str(10)),
    householdId: Type.Optional(Nullable(Str(64))),
  },
  { additionalProperties: false },
);
export const UpdateResidentBody = Type.Object({ ...residentFields, name: Type.Optional(Str(50)) }, { additionalProperties: false });
export const MoveInBody = Type.Object(
  { houseId: Str(64), role: Str(20), relation: Type.Optional(Nullable(Str(2))), moveIn: Str(10), householdId: Type.Optional(Nullable(Str(64))) },
  { additionalProperties: false },
);
export const MoveOutBody = Type.Object({ residencyId: Str(64), moveOut: Str(10), reason: Type.Optional(Str(200)) }, { additionalProperties: false });
export const RevealBody = Type.Object(
  { field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]), reason: Str(200) },
  { additionalProperties: false },
);

export const ResidentQuery = Type.Object({
  q: Type.Optional(Str(50)),
  phone: Type.Optional(Str(30)),
  idNumber: Type.Optional(Str(40)),
  houseId: Type.Optional(Str(64)),
  placeId: Type.Optional(Str(64)),
  tag: Type.Optional(Str(30)),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('moved_out')])),
  ...Paging,
});
export type ResidentQuery = Static<typeof ResidentQuery>;
export const ExportQuery = Type.Object({
  ...Type.Omit(ResidentQuery, ['page', 'pageSize']).properties,
  reveal: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Str(200)),
});

// ----- responses (the present functions return Static<typeof …> of these) -----
const strict = { additionalProperties: false } as const;
const S = Type.String();
const NS = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer();

export const Place = Type.Object(
  {
    id: S,
    kind: PlaceKind,
    parentId: NS,
    path: S,
    communityId: NS,
    name: S,
    code: NS,
    regionLevel: NS,
    floor: Type.Union([Int, Type.Null()]),
    number: Type.Union([S, Type.Null()], { description: 'house number (houses only)' }),
    areaM2: Type.Union([Type.Number(), Type.Null()]),
    houseUse: NS,
    timeZone: NS,
    createdAt: S,
    updatedAt: S,
  },
  strict,
);
export type Place = Static<typeof Place>;
export const PlaceDetail = Type.Object(
  {
    ...Place.properties,
    childCount: Int,
    ancestors: Type.Array(Type.Object({ id: S, kind: PlaceKind, name: S }, strict), { description: 'from the root down' }),
  },
  strict,
);
export type PlaceDetail = Static<typeof PlaceDetail>;
export const PlaceList = Paged(Place);
export const PlaceNode = Type.Recursive(
  (Node) => Type.Object({ id: S, kind: PlaceKind, name: S, code: NS, childCount: Int, children: Type.Array(Node) }, strict),
  { $id: 'RegistryPlaceNode' },
);
export type PlaceNode = Static<typeof PlaceNode>;
export const PlaceTree = Type.Array(PlaceNode);

export const ResidentHouse = Type.Object({ residencyId: S, houseId: S, houseLabel: S, role: S, relation: NS, moveIn: S }, strict);
export const Resident = Type.Object(
  {
    id: S,
    communityId: S,
    name: S,
    idType: S,
    idNumberMasked: S,
    gender: S,
    birthDate: NS,
    age: Type.Union([Int, Type.Null()]),
    ethnicity: NS,
    phoneMasked: NS,
    tags: Type.Array(S, { description: 'stored tags and the derived elderly/child' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('moved_out')]),
    note: NS,
    houses: Type.Array(ResidentHouse, { description: 'where the resident lives now' }),
    createdAt: S,
    updatedAt: S,
  },
  strict,
);
export type Resident = Static<typeof Resident>;
export const Residency = Type.Object(
  { id: S, residentId: S, houseId: S, houseLabel: S, householdId: NS, role: S, relation: NS, moveIn: S, moveOut: NS, moveOutReason: NS },
  strict,
);
export type Residency = Static<typeof Residency>;
export const ResidentDetail = Type.Object({ ...Resident.properties, residencies: Type.Array(Residency) }, strict);
export const ResidentList = Paged(Resident);
export const ReviewAccepted = Type.Object(
  { status: Type.Literal('pending_review'), reviewId: S, title: Type.String({ description: 'what happened, in the request language' }) },
  { ...strict, description: 'the ID number is held by a record out of reach: a supervisor reviews the registration' },
);
export const HouseView = Type.Object(
  {
    house: PlaceDetail,
    label: S,
    households: Type.Array(Type.Object({ id: S, householderId: NS, members: Type.Array(Resident, { description: 'only those the caller may read' }) }, strict)),
  },
  strict,
);
export const Revealed = Type.Object({ field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]), value: NS }, strict);
export const AccessLogEntry = Type.Object({ at: S, actorName: NS, action: S, detail: Type.Unknown() }, strict);
export const AccessLog = Type.Object({ items: Type.Array(AccessLogEntry, { description: 'newest first, at most 200' }) }, strict);
export const MyResident = Type.Object(
  {
    resident: ResidentDetail,
    households: Type.Array(
      Type.Object(
        {
          houseId: S,
          houseLabel: S,
          role: S,
          members: Type.Array(Type.Object({ name: S, relation: NS, role: S, isMe: Type.Boolean() }, strict)),
        },
        strict,
      ),
    ),
  },
  strict,
);

// A JSON Schema document: its "$schema", "$id" and "$defs" keys cannot be declared as properties
// here (OpenAPI tools would read them as keywords of this schema), so they are named in the description.
export const StandardDoc = Type.Object(
  { title: S, description: S, 'x-version': S },
  { additionalProperties: true, description: 'JSON Schema (2020-12) of the unified data standard, with $schema, $id and $defs (entities, codeLists)' },
);
export const CodeLists = Type.Record(S, Type.Array(Type.Object({ code: S, zh: S, en: S, derived: Type.Optional(Type.Boolean()) }, strict)), {
  description: 'code lists by name',
});

export const Review = Type.Object(
  {
    id: S,
    status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
    communityId: S,
    houseId: NS,
    requestedAt: S,
    decidedAt: NS,
    // the rest only for those who may decide (the requesting staff see the status)
    name: Type.Optional(S),
    idNumberMasked: Type.Optional(S),
    houseLabel: Type.Optional(NS),
    role: Type.Optional(NS),
    existingResidentId: Type.Optional(S),
    existingPlacePath: Type.Optional(S),
    requestedBy: Type.Optional(S),
    decidedBy: Type.Optional(NS),
    decisionNote: Type.Optional(NS),
  },
  strict,
);
export type Review = Static<typeof Review>;
export const ReviewList = Type.Object({ items: Type.Array(Review, { description: 'newest first, at most 500' }) }, strict);
