// Request schemas of the alarms API. Definitions and schedules are checked structurally here and
// in depth by validateDefinition/validateSchedule (field-precise 422s).
import { Type, type Static } from '@sinclair/typebox';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

export const IdParam = Type.Object({ id: Str(64) });
const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};

export const Severity = Lit('critical', 'major', 'minor', 'warning');

export const AlarmQuery = Type.Object({
  status: Type.Optional(Lit('active', 'acknowledged', 'cleared', 'open')),
  severity: Type.Optional(Severity),
  deviceId: Type.Optional(Str(64)),
  placeId: Type.Optional(Str(64)),
  ...Paging,
});
export type AlarmQuery = Static<typeof AlarmQuery>;

export const AcknowledgeBody = Type.Object({ note: Type.Optional(Str(500)) }, { additionalProperties: false });
export const ClearBody = Type.Object({ reason: Str(500, 1) }, { additionalProperties: false });

export const RuleQuery = Type.Object({
  deviceTypeCode: Type.Optional(Str(64)),
  deviceId: Type.Optional(Str(64)),
  ...Paging,
});
export type RuleQuery = Static<typeof RuleQuery>;

const Code = Type.String({ pattern: '^[a-z0-9_]{1,64}$|^\\*$', maxLength: 64 });
// Definition and schedule: objects; their contents are validated by alarms.rules.ts
const Json = Type.Object({}, { additionalProperties: true });

export const CreateRuleBody = Type.Object(
  {
    deviceTypeCode: Type.Optional(Code),
    deviceId: Type.Optional(Str(64, 1)),
    code: Type.String({ pattern: '^[a-z0-9_]{1,64}$', maxLength: 64 }),
    name: Str(100, 1),
    enabled: Type.Optional(Type.Boolean()),
    definition: Json,
    schedule: Type.Optional(Type.Union([Json, Type.Null()])),
    createWorkOrder: Type.Optional(Type.Boolean()),
    workOrderCategory: Type.Optional(Type.Union([Str(64, 1), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateRuleBody = Static<typeof CreateRuleBody>;

export const UpdateRuleBody = Type.Object(
  {
    name: Type.Optional(Str(100, 1)),
    enabled: Type.Optional(Type.Boolean()),
    definition: Type.Optional(Json),
    schedule: Type.Optional(Type.Union([Json, Type.Null()])),
    createWorkOrder: Type.Optional(Type.Boolean()),
    workOrderCategory: Type.Optional(Type.Union([Str(64, 1), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateRuleBody = Static<typeof UpdateRuleBody>;
