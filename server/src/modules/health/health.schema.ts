// Request and response schemas of the health routes (TypeBox).
import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { alertActions, conditions, controls, glucoseContexts, packages, readingKinds, readingSources } from './health.tables.js';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const lit = <T extends string>(vals: readonly T[]) => Type.Union(vals.map((v) => Type.Literal(v)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const obj = <T extends Parameters<typeof Type.Object>[0]>(p: T) => Type.Object(p, { additionalProperties: false });

export const IdParam = obj({ id: Str(64, 1) });
export const Kind = lit(readingKinds);
export const Source = lit(readingSources);
export const Context = lit(glucoseContexts);
export const ConditionT = lit(conditions);

// ---------- setup ----------
export const InstitutionBody = obj({ communityId: Str(64, 1), name: Str(100, 1), kind: lit(['center', 'station'] as const) });
export const Institution = obj({ id: Type.String(), communityId: Type.String(), name: Type.String(), kind: Type.String(), createdAt: Type.String() });
export const InstitutionList = obj({ items: Type.Array(Institution) });
export const DoctorBody = obj({ userId: Str(64, 1), name: Str(60, 1), title: Type.Optional(Str(60)) });
export const Doctor = obj({ userId: Type.String(), institutionId: Type.String(), name: Type.String(), title: Nullable(Type.String()) });
export const DoctorList = obj({ items: Type.Array(Doctor) });
export const TeamBody = obj({
  institutionId: Str(64, 1),
  name: Str(100, 1),
  members: Type.Array(obj({ userId: Str(64, 1), lead: Type.Optional(Type.Boolean()) }), { minItems: 1, maxItems: 20 }),
});
export const Team = obj({
  id: Type.String(),
  institutionId: Type.String(),
  name: Type.String(),
  members: Type.Array(obj({ userId: Type.String(), name: Nullable(Type.String()), lead: Type.Boolean() })),
});
export const TeamList = obj({ items: Type.Array(Team) });

// ---------- contracts ----------
export const ContractBody = obj({
  residentId: Str(64, 1),
  teamId: Str(64, 1),
  package: lit(packages),
  startDate: DateStr,
  endDate: DateStr,
  signedBy: lit(['self', 'guardian'] as const),
  guardianName: Type.Optional(Str(60)),
  conditions: Type.Optional(Type.Array(ConditionT, { maxItems: 2, uniqueItems: true })),
  /** the resident's (or guardian's) separate, explicit consent to share health data, given at signing */
  consent: Type.Optional(Type.Boolean()),
});
export const Contract = obj({
  id: Type.String(),
  patientId: Type.String(),
  teamId: Type.String(),
  teamName: Type.String(),
  package: Type.String(),
  signedBy: Type.String(),
  guardianName: Nullable(Type.String()),
  startDate: Type.String(),
  endDate: Type.String(),
  status: Type.String(),
  renewals: Type.Integer(),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
});
export const ContractList = obj({ items: Type.Array(Contract) });
export const RenewBody = obj({ endDate: DateStr });
export const EndBody = obj({ reason: Str(200, 1) });

// ---------- readings ----------
export const ReadingBody = obj({
  kind: Kind,
  unit: Type.Optional(Str(20, 1)),
  value: Type.Optional(Type.Number()),
  systolic: Type.Optional(Type.Number()),
  diastolic: Type.Optional(Type.Number()),
  pulse: Type.Optional(Type.Number()),
  context: Type.Optional(Context),
  takenAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type ReadingBody = Static<typeof ReadingBody>;
export const Reading = obj({
  id: Type.String(),
  kind: Kind,
  ts: Type.String(),
  value: Type.Number(),
  diastolic: Nullable(Type.Number()),
  pulse: Nullable(Type.Number()),
  unit: Type.String(),
  context: Nullable(Context),
  source: Source,
  level: lit(['normal', 'high', 'urgent'] as const),
  shared: Type.Boolean(),
});
export const ReadingsQuery = obj({ kind: Type.Optional(Kind), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) });
const Bands = obj({
  high: Type.Array(Type.Number()),
  officeHigh: Type.Array(Type.Number()),
  urgent: Type.Array(Type.Number()),
  low: Type.Array(Type.Number()),
});
export const ReadingList = obj({ items: Type.Array(Reading), bands: Type.Optional(Bands) });

// ---------- thresholds ----------
const n = (min: number, max: number) => Type.Optional(Type.Number({ minimum: min, maximum: max }));
export const ThresholdsBody = obj({
  bpHighSys: n(90, 220),
  bpHighDia: n(50, 140),
  bpHomeHighSys: n(90, 220),
  bpHomeHighDia: n(50, 140),
  bpUrgentSys: n(120, 260),
  bpUrgentDia: n(70, 160),
  glucoseFastingHigh: n(4, 20),
  glucoseRandomHigh: n(5, 30),
  glucoseUrgentHigh: n(8, 40),
  glucoseUrgentLow: n(1, 6),
  hrHigh: n(60, 200),
  hrLow: n(25, 80),
  spo2High: n(80, 100),
  spo2Urgent: n(70, 98),
  tempUrgent: n(37, 42),
  trendCount: n(2, 20),
  trendDays: n(1, 60),
  missingDays: n(1, 90),
});
export const Thresholds = Type.Record(Type.String(), Type.Number());

// ---------- alerts ----------
export const Alert = obj({
  id: Type.String(),
  patientId: Type.String(),
  patientName: Nullable(Type.String()),
  rule: Type.String(),
  severity: lit(['high', 'urgent'] as const),
  status: lit(['open', 'acknowledged', 'closed'] as const),
  value: Type.Unknown(),
  count: Type.Integer(),
  openedAt: Type.String(),
  lastAt: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  snoozedUntil: Nullable(Type.String()),
  snoozeReason: Nullable(Type.String()),
  escalatedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  action: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export const AlertsQuery = obj({
  status: Type.Optional(lit(['open', 'acknowledged', 'closed', 'active'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export const AlertList = Paged(Alert);
export const CloseBody = obj({ action: lit(alertActions), note: Type.Optional(Str(2000)) });
export const SnoozeBody = obj({ minutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60 }), reason: Str(500, 1) });

// ---------- notes and follow-ups ----------
export const NoteBody = obj({ kind: lit(['advice', 'assessment'] as const), text: Str(4000, 1) });
export const Note = obj({ id: Type.String(), kind: Type.String(), text: Type.String(), authorName: Type.String(), createdAt: Type.String() });
export const NoteList = obj({ items: Type.Array(Note) });
export const FollowupBody = obj({
  disease: ConditionT,
  visitDate: DateStr,
  method: lit(['clinic', 'home', 'phone'] as const),
  control: lit(controls),
  notes: Type.Optional(Str(4000)),
  nextDue: Type.Optional(DateStr),
});
export const Followup = obj({
  id: Type.String(),
  disease: Type.String(),
  visitDate: Type.String(),
  method: Type.String(),
  control: Type.String(),
  notes: Nullable(Type.String()),
  nextDue: Type.String(),
});
export const FollowupList = obj({ items: Type.Array(Followup) });
export const DueItem = obj({
  patientId: Type.String(),
  patientName: Nullable(Type.String()),
  disease: Type.String(),
  due: Type.String(),
  overdue: Type.Boolean(),
});
export const DueList = obj({ items: Type.Array(DueItem) });

// ---------- workbench ----------
export const PanelQuery = obj({
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  q: Type.Optional(Str(60)),
});
export const PanelItem = obj({
  patientId: Type.String(),
  name: Nullable(Type.String()),
  age: Nullable(Type.Integer()),
  conditions: Type.Array(Type.String()),
  consent: Type.Boolean(),
  risk: Type.Integer(),
  urgentAlerts: Type.Integer(),
  openAlerts: Type.Integer(),
  uncontrolled: Type.Boolean(),
  followupDue: Nullable(Type.String()),
  lastReadingAt: Nullable(Type.String()),
});
export const Panel = Paged(PanelItem);
export const PatientDetail = obj({
  patientId: Type.String(),
  name: Nullable(Type.String()),
  age: Nullable(Type.Integer()),
  gender: Nullable(Type.String()),
  conditions: Type.Array(Type.String()),
  consent: Type.Boolean(),
  contract: Nullable(Contract),
  thresholds: Thresholds,
  devices: Type.Array(Type.String()),
});
export const ConditionsBody = obj({ conditions: Type.Array(ConditionT, { maxItems: 2, uniqueItems: true }) });
export const BindBody = obj({ residentId: Str(64, 1) });
export const Ok = obj({ ok: Type.Boolean() });

// ---------- portal ----------
export const MyHealth = obj({
  patientId: Nullable(Type.String()),
  contract: Nullable(Contract),
  consent: Type.Boolean(),
  consentAt: Nullable(Type.String()),
  family: Type.Array(obj({ residentId: Type.String(), name: Type.String() })),
  household: Type.Array(obj({ residentId: Type.String(), name: Type.String() })),
  thresholds: Thresholds,
});
export const ConsentBody = obj({ grant: Type.Boolean() });
export const FamilyBody = obj({ residentIds: Type.Array(Str(64, 1), { maxItems: 10, uniqueItems: true }) });
export const FamilyPatients = obj({ items: Type.Array(obj({ patientId: Type.String(), name: Type.String() })) });
export const MyAlerts = obj({ items: Type.Array(Alert) });

// ---------- aggregates ----------
export const StatsQuery = obj({ communityId: Str(64, 1) });
const Cell = Nullable(Type.Integer());
export const Stats = obj({
  communityId: Type.String(),
  /** counts below this are shown as null (suppressed) */
  minCell: Type.Integer(),
  contracted: Cell,
  hypertension: Cell,
  diabetes: Cell,
  activeLast7Days: Cell,
  openAlertsHigh: Cell,
  openAlertsUrgent: Cell,
});
