// The tables the incidents module owns (migrations 0008_incidents and 0022_camera_clock_digest),
// typed from the migrated schema with the columns it knows more about narrowed.
import type { Kysely, Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { EventKind, Status, TransitionAction } from './incidents.states.js';

/** How a camera event arrived. */
export type EventSource = 'mqtt' | 'webhook' | 'hikvision';
/** What an incident's timeline entry records. */
export type TimelineAction = 'open' | TransitionAction | 'note' | 'work_order';

export type IncidentsTables = ModuleTables<
  'cameras' | 'camera_events' | 'camera_event_rejects' | 'incident_rules' | 'incidents' | 'incident_events',
  {
    camera_events: { kind: EventKind; source: EventSource };
    incident_rules: { kind: EventKind };
    incidents: { kind: EventKind; status: Status };
    incident_events: { action: TimelineAction; from_status: Status | null; to_status: Status | null };
  }
>;
export type IncidentsDb = Kysely<IncidentsTables>;

/** A camera's extras as read: its settings and what its last timed event showed of its clock. */
export type CameraRead = Selectable<IncidentsTables['cameras']>;
/** A camera's settings (what people set; the clock columns are the events' to write). */
export type CameraRow = Omit<CameraRead, 'clock_skew_s' | 'clock_checked_at'>;
export type CameraEventRow = Selectable<IncidentsTables['camera_events']>;
export type RuleRow = Selectable<IncidentsTables['incident_rules']>;
export type IncidentRow = Selectable<IncidentsTables['incidents']>;
export type TimelineRow = Selectable<IncidentsTables['incident_events']>;
