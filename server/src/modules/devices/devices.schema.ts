import { Type, type Static } from '@sinclair/typebox';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });

export const IdParam = Type.Object({ id: Str(64) });

export const TelemetryKeyBody = Type.Object(
  {
    key: Code,
    unit: Type.Optional(Str(20)),
    min: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    max: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    zh: Str(40, 1),
    en: Str(60, 1),
  },
  { additionalProperties: false },
);

export const CreateTypeBody = Type.Object(
  {
    code: Code,
    nameZh: Str(40, 1),
    nameEn: Str(60, 1),
    heartbeatS: Type.Optional(Type.Integer({ minimum: 10, maximum: 86400 })),
    telemetry: Type.Array(TelemetryKeyBody, { minItems: 1, maxItems: 100 }),
    /** The community the type belongs to; absent = platform-wide (platform admins only). */
    communityId: Type.Optional(Str(64, 1)),
  },
  { additionalProperties: false },
);
export type CreateTypeInput = Static<typeof CreateTypeBody>;

export const UpdateTypeBody = Type.Object(
  {
    nameZh: Type.Optional(Str(40, 1)),
    nameEn: Type.Optional(Str(60, 1)),
    heartbeatS: Type.Optional(Type.Integer({ minimum: 10, maximum: 86400 })),
  },
  { additionalProperties: false },
);
export type UpdateTypeInput = Static<typeof UpdateTypeBody>;

export const CreateDeviceBody = Type.Object(
  {
    typeCode: Str(40, 1),
    placeId: Str(64, 1),
    name: Str(60, 1),
    publicArea: Type.Optional(Type.Union([Str(60), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateDeviceInput = Static<typeof CreateDeviceBody>;

export const UpdateDeviceBody = Type.Object(
  {
    name: Type.Optional(Str(60, 1)),
    placeId: Type.Optional(Str(64, 1)),
    publicArea: Type.Optional(Type.Union([Str(60), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateDeviceInput = Static<typeof UpdateDeviceBody>;

export const DeviceListQuery = Type.Object({
  placeId: Type.Optional(Str(64)),
  typeCode: Type.Optional(Str(40)),
  status: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline')])),
  communityId: Type.Optional(Str(64)),
  q: Type.Optional(Str(60)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
});
export type DeviceListInput = Static<typeof DeviceListQuery>;

export const TelemetryQuery = Type.Object({
  key: Type.Optional(Str(40)),
  from: Type.Optional(Str(40)),
  to: Type.Optional(Str(40)),
  resolution: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h')])),
});
export type TelemetryInput = Static<typeof TelemetryQuery>;
