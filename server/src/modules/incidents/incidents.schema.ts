import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { eventKinds, transitionActions } from './incidents.states.js';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));
const Nullable = <T extends ReturnType<typeof Str> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParam = Type.Object({ id: Str(64, 1) });
export const FileIdParam = Type.Object({ fileId: Str(64, 1) });

export const CameraListQuery = Type.Object({
  health: Type.Optional(lit(['online', 'offline'] as const)),
  q: Type.Optional(Str(60)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type CameraListQuery = Static<typeof CameraListQuery>;

export const CameraBody = Type.Object(
  {
    location: Type.Optional(Nullable(Str(200))),
    streamUrl: Type.Optional(Nullable(Str(500))),
    mac: Type.Optional(Nullable(Str(20))),
    ip: Type.Optional(Nullable(Str(45))),
    channel: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 512 }))),
    /** IANA zone of the camera's clock, for times it sends without an offset (null: the community's) */
    timeZone: Type.Optional(Nullable(Str(64))),
  },
  { additionalProperties: false },
);
export type CameraBody = Static<typeof CameraBody>;

export const IncidentListQuery = Type.Object({
  status: Type.Optional(Str(100)), // one status or a comma list
  open: Type.Optional(Type.Boolean()),
  cameraId: Type.Optional(Str(64)),
  kind: Type.Optional(lit(eventKinds)),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const TransitionBody = Type.Object(
  { note: Type.Optional(Str(1000)), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;
export const TransitionName = lit(transitionActions);

export const NoteBody = Type.Object({ note: Str(1000, 1) }, { additionalProperties: false });
export type NoteBody = Static<typeof NoteBody>;

export const WorkOrderBody = Type.Object(
  { category: Type.Optional(Str(40, 1)), description: Type.Optional(Str(2000)), priority: Type.Optional(lit(['low', 'normal', 'high', 'urgent'] as const)) },
  { additionalProperties: false },
);
export type WorkOrderBody = Static<typeof WorkOrderBody>;

export const RulesBody = Type.Object(
  {
    communityId: Str(64, 1),
    rules: Type.Array(
      Type.Object({ kind: lit(eventKinds), opens: Type.Boolean(), windowS: Type.Integer({ minimum: 0, maximum: 86_400 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: eventKinds.length },
    ),
  },
  { additionalProperties: false },
);
export type RulesBody = Static<typeof RulesBody>;
export const RulesQuery = Type.Object({ communityId: Str(64, 1) });

/**
 * Linli's own camera event (webhook body; the same fields over MQTT on
 * linli/v1/devices/{id}/events with "type" = the kind or "camera_event").
 */
export const CameraEventBody = Type.Object(
  {
    eventId: Str(100, 1),
    kind: lit(eventKinds),
    at: Type.Optional(Type.Union([Str(40, 1), Type.Integer({ minimum: 0 })])),
    cameraId: Type.Optional(Str(64, 1)),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    zone: Type.Optional(Str(100)),
    description: Type.Optional(Str(500)),
  },
  { additionalProperties: false },
);
export type CameraEventBody = Static<typeof CameraEventBody>;

// ---------- responses (the views in incidents.service.ts and cameras.service.ts are typed by these) ----------
const NStr = Type.Union([Type.String(), Type.Null()]);
const NInt = Type.Union([Type.Integer(), Type.Null()]);
const closed = { additionalProperties: false } as const;
const Count = Type.Integer({ minimum: 0 });

export const CameraView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    communityId: Type.String(),
    placeId: Type.String(),
    placePath: Type.String(),
    placeName: NStr,
    health: lit(['online', 'offline'] as const),
    lastSeenAt: NStr,
    location: NStr,
    streamUrl: Type.Union([Type.String({ description: 'user:pass masked as *** unless canManage' }), Type.Null()]),
    streamMasked: Type.Boolean(),
    mac: NStr,
    ip: NStr,
    channel: NInt,
    timeZone: NStr,
    clockSkewSeconds: Type.Union([Type.Number(), Type.Null()]),
    clockCheckedAt: NStr,
    clockSkewed: Type.Boolean(),
    canManage: Type.Boolean(),
  },
  closed,
);
export const CameraPage = Type.Composite([Paged(CameraView), Type.Object({ totals: Type.Object({ online: Count, offline: Count }, closed) })], closed);

export const RuleView = Type.Object({ kind: lit(eventKinds), opens: Type.Boolean(), windowS: Type.Integer() }, closed);
export const RulesView = Type.Object({ communityId: Type.String(), rules: Type.Array(RuleView), canEdit: Type.Boolean() }, closed);

export const RejectCounts = Type.Object(
  { items: Type.Array(Type.Object({ source: Type.String(), reason: Type.String(), count: Count, lastAt: Type.String(), lastDetail: NStr }, closed)) },
  closed,
);

export const IncidentView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    placePath: Type.String(),
    placeLabel: Type.String(),
    cameraId: Type.String(),
    cameraName: Type.String(),
    cameraLocation: NStr,
    kind: Type.String(),
    kindName: Type.String(),
    status: Type.String(),
    statusName: Type.String(),
    title: Type.String(),
    eventCount: Type.Integer(),
    firstEventAt: Type.String(),
    lastEventAt: Type.String(),
    workOrderId: NStr,
    workOrderPending: Type.Boolean(),
    closedAt: NStr,
    closedBy: NStr,
    createdAt: Type.String(),
    updatedAt: Type.String(),
    version: Type.Integer(),
    allowedActions: Type.Array(Type.String()),
  },
  closed,
);
export const IncidentPage = Type.Composite([Paged(IncidentView), Type.Object({ totals: Type.Record(Type.String(), Count) })], closed);

export const TimelineView = Type.Object(
  { id: Type.String(), at: Type.String(), action: Type.String(), actorId: NStr, actorName: NStr, fromStatus: NStr, toStatus: NStr, note: NStr },
  closed,
);
export const CameraEventView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    source: Type.String(),
    at: Type.String(),
    receivedAt: Type.String(),
    claimedAt: NStr,
    eventKey: Type.String(),
    detail: Type.Object({}, { additionalProperties: true }),
    pictureUrl: NStr,
  },
  closed,
);
export const IncidentDetail = Type.Composite([IncidentView, Type.Object({ timeline: Type.Array(TimelineView), events: Type.Array(CameraEventView) })], closed);

/** A camera event received: 201 stored (a new event), 200 a repeat or (Hikvision) acknowledged and not stored. */
export const EventReceipt = Type.Object(
  {
    eventId: NStr,
    incidentId: NStr,
    duplicate: Type.Boolean(),
    ignored: Type.Optional(lit(['inactive', 'unmapped'] as const)),
  },
  closed,
);
/** The Hikvision multipart body: the EventNotificationAlert XML (file or field) and an optional picture. */
export const HikvisionMultipart = Type.Object({
  alert: Type.String({ format: 'binary', description: 'EventNotificationAlert XML (any part name)' }),
  picture: Type.Optional(Type.String({ format: 'binary', description: 'an image (≤ the picture limit)' })),
});
