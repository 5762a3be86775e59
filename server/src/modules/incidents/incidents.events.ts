// The events the incidents module publishes (kernel/events); payload types declared here once.
import { defineEvent } from '../../kernel/events/index.js';

/** A camera event opened a new incident. */
export interface IncidentOpened {
  incidentId: string;
  communityId: string;
  placePath: string;
  cameraId: string;
  kind: string;
}

/** An incident moved from one status to another by `action`. */
export interface IncidentChanged {
  incidentId: string;
  communityId: string;
  placePath: string;
  from: string;
  to: string;
  action: string;
}

export const INCIDENT_OPENED = defineEvent<IncidentOpened>('incidents.incident.opened');
export const INCIDENT_CHANGED = defineEvent<IncidentChanged>('incidents.incident.status_changed');
