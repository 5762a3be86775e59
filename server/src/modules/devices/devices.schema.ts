import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

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

// ----- answers (devices.service.ts views are typed by these) -----
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Obj = <P extends TProperties>(p: P) => Type.Object(p, { additionalProperties: false });

export const TelemetryKeyView = Obj({
  key: Type.String(),
  unit: Type.String(),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  zh: Type.String(),
  en: Type.String(),
});

export const DeviceTypeView = Obj({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  builtin: Type.Boolean(),
  heartbeatS: Type.Number(),
  telemetry: Type.Array(TelemetryKeyView),
  createdAt: Type.String(),
});
export type DeviceTypeView = Static<typeof DeviceTypeView>;
export const ScopedDeviceTypeView = Type.Composite([DeviceTypeView, Obj({ communityId: Nullable(Type.String()), platformWide: Type.Boolean() })], {
  additionalProperties: false,
});
export type ScopedDeviceTypeView = Static<typeof ScopedDeviceTypeView>;
export const DeviceTypeList = Obj({ items: Type.Array(ScopedDeviceTypeView) });

const Status = Type.Union([Type.Literal('online'), Type.Literal('offline')]);
export const DeviceView = Obj({
  id: Type.String(),
  name: Type.String(),
  typeCode: Type.String(),
  typeName: Type.String(),
  typeNameEn: Type.String(),
  communityId: Type.String(),
  placeId: Type.String(),
  placePath: Type.String(),
  placeName: Nullable(Type.String()),
  publicArea: Nullable(Type.String()),
  status: Status,
  lastSeenAt: Nullable(Type.String()),
  rejectedCount: Type.Number(),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Type.String()),
  throttledUntil: Nullable(Type.String()),
  secretRotatedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type DeviceView = Static<typeof DeviceView>;

export const DeviceList = Type.Composite(
  [Paged(DeviceView), Obj({ totals: Obj({ total: Type.Integer(), online: Type.Integer(), offline: Type.Integer() }) })],
  { additionalProperties: false },
);

export const LatestReading = Obj({
  key: Type.String(),
  value: Type.Number(),
  ts: Type.Number(),
  unit: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  outOfRange: Type.Boolean(),
});
export const DeviceDetail = Type.Composite([DeviceView, Obj({ type: Nullable(DeviceTypeView), latest: Type.Array(LatestReading) })], {
  additionalProperties: false,
});
export const DeviceWithSecret = Type.Composite([DeviceView, Obj({ secret: Type.String() })], { additionalProperties: false });
export const RotatedSecret = Obj({ id: Type.String(), secret: Type.String(), secretRotatedAt: Type.String() });

export const DeviceRejects = Obj({
  rejectedCount: Type.Number(),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Type.String()),
  throttledUntil: Nullable(Type.String()),
  byReason: Type.Array(Obj({ reason: Type.String(), count: Type.Number(), lastAt: Type.String(), lastDetail: Nullable(Type.String()) })),
});

export const TelemetrySeries = Obj({
  deviceId: Type.String(),
  from: Type.Number(),
  to: Type.Number(),
  resolution: Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h')]),
  series: Type.Array(
    Obj({
      key: Type.String(),
      unit: Type.String(),
      zh: Type.String(),
      en: Type.String(),
      points: Type.Array(
        Obj({ ts: Type.Number(), min: Nullable(Type.Number()), max: Nullable(Type.Number()), avg: Nullable(Type.Number()), count: Type.Number() }),
      ),
    }),
  ),
});
