// Camera event kinds, the incident state machine and the default incident rules.
export const eventKinds = ['motion', 'intrusion', 'loitering', 'smoke_fire', 'tailgating'] as const;
export type EventKind = (typeof eventKinds)[number];
export const isEventKind = (s: unknown): s is EventKind => typeof s === 'string' && (eventKinds as readonly string[]).includes(s);

export const statuses = ['new', 'investigating', 'resolved', 'false_alarm'] as const;
export type Status = (typeof statuses)[number];
export const openStatuses: Status[] = ['new', 'investigating'];

export const transitionActions = ['investigate', 'resolve', 'false_alarm'] as const;
export type TransitionAction = (typeof transitionActions)[number];

export const transitions: Record<TransitionAction, { from: Status[]; to: Status }> = {
  investigate: { from: ['new'], to: 'investigating' },
  resolve: { from: ['new', 'investigating'], to: 'resolved' },
  false_alarm: { from: ['new', 'investigating'], to: 'false_alarm' },
};

export interface Rule {
  kind: EventKind;
  /** Whether an event of this kind opens an incident (otherwise it is only stored). */
  opens: boolean;
  /**
   * Dedup window: a further event of the same kind at the same camera within this many seconds
   * of the open incident's last event is attached to it instead of opening another one.
   */
  windowS: number;
}

// Defaults when a community has not set its own rules. Motion is the noisiest kind, so its
// window is the longest of the ordinary kinds; smoke/fire keeps one incident for half an hour.
export const defaultRules: Record<EventKind, Rule> = {
  motion: { kind: 'motion', opens: true, windowS: 600 },
  intrusion: { kind: 'intrusion', opens: true, windowS: 300 },
  loitering: { kind: 'loitering', opens: true, windowS: 600 },
  smoke_fire: { kind: 'smoke_fire', opens: true, windowS: 1800 },
  tailgating: { kind: 'tailgating', opens: true, windowS: 300 },
};

/** Hikvision ISAPI eventType → our kind (lower-cased; unmapped types are acknowledged and ignored). */
export const hikvisionKinds: Record<string, EventKind> = {
  vmd: 'motion',
  linedetection: 'intrusion',
  fielddetection: 'intrusion',
  regionentrance: 'intrusion',
  loitering: 'loitering',
  fire: 'smoke_fire',
  smoke: 'smoke_fire',
  firedetection: 'smoke_fire',
  smokedetection: 'smoke_fire',
};
