import { Type, type Static } from '@sinclair/typebox';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Number | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParam = Type.Object({ id: Str(64) });
export const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};

export const PlaceKind = Type.Union(['region', 'community', 'estate', 'building', 'unit', 'house'].map((k) => Type.Literal(k)));

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
export const RevealBody = Type.Object({ field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]), reason: Str(200) }, { additionalProperties: false });

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
