// Request schemas of the alarms API. Definitions and schedules are checked structurally here and
// in depth by validateDefinition/validateSchedule (field-precise 422s).
import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

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

// ---------- responses (ruleView / alarmView in alarms.service.ts are typed by these) ----------
const NStr = Type.Union([Type.String(), Type.Null()]);
const closed = { additionalProperties: false } as const;
/** A rule's definition or schedule, or an alarm's details: JSON objects whose shape alarms.rules.ts documents. */
const JsonObject = Type.Object({}, { additionalProperties: true });

export const RuleView = Type.Object(
  {
    id: Type.String(),
    deviceTypeCode: NStr,
    deviceId: NStr,
    code: Type.String(),
    name: Type.String(),
    enabled: Type.Boolean(),
    definition: JsonObject,
    schedule: Type.Union([JsonObject, Type.Null()]),
    createWorkOrder: Type.Boolean(),
    workOrderCategory: NStr,
    placePath: Type.String(),
    builtIn: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  closed,
);
export const RulePage = Paged(RuleView);

export const AlarmView = Type.Object(
  {
    id: Type.String(),
    ruleId: Type.String(),
    ruleCode: NStr,
    ruleName: NStr,
    deviceId: Type.String(),
    deviceName: Type.String(),
    deviceTypeCode: NStr,
    communityId: Type.String(),
    placePath: Type.String(),
    severity: Severity,
    status: Lit('active', 'acknowledged', 'cleared'),
    startedAt: Type.String(),
    lastValue: Type.Union([Type.Number(), Type.Null()]),
    details: JsonObject,
    acknowledgedAt: NStr,
    acknowledgedBy: NStr,
    acknowledgedByName: NStr,
    ackNote: NStr,
    clearedAt: NStr,
    clearedBy: NStr,
    clearedByName: NStr,
    clearReason: NStr,
    createWorkOrder: Type.Boolean(),
    workOrderCategory: NStr,
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  closed,
);

const Count = Type.Integer({ minimum: 0 });
/** One page of alarms, and the open ones in scope counted by status and severity. */
export const AlarmPage = Type.Composite(
  [
    Paged(AlarmView),
    Type.Object({
      totals: Type.Object(
        { open: Count, active: Count, acknowledged: Count, bySeverity: Type.Object({ critical: Count, major: Count, minor: Count, warning: Count }, closed) },
        closed,
      ),
    }),
  ],
  closed,
);
