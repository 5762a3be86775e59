// The work-order state machine: which action moves an order from which status to which.
// Anything not listed here is an illegal transition (409 workorders.illegal_transition).
export const statuses = ['new', 'assigned', 'in_progress', 'paused', 'resolved', 'closed', 'cancelled'] as const;
export type Status = (typeof statuses)[number];

export const transitionActions = ['assign', 'grab', 'start', 'pause', 'resume', 'resolve', 'close', 'reopen', 'cancel'] as const;
export type TransitionAction = (typeof transitionActions)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const transitions: Record<TransitionAction, { from: Status[]; to: Status }> = {
  assign: { from: ['new', 'assigned'], to: 'assigned' }, // from 'assigned' = re-assign
  grab: { from: ['new'], to: 'assigned' }, // 抢单
  start: { from: ['assigned'], to: 'in_progress' },
  pause: { from: ['in_progress'], to: 'paused' },
  resume: { from: ['paused'], to: 'in_progress' },
  resolve: { from: ['in_progress'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' }, // the resident confirms, or staff close
  reopen: { from: ['resolved'], to: 'in_progress' },
  cancel: { from: ['new', 'assigned', 'in_progress', 'paused', 'resolved'], to: 'cancelled' },
};

/** Statuses in which an order still needs work (SLA applies). */
export const openStatuses: Status[] = ['new', 'assigned', 'in_progress', 'paused'];

export function canTransition(action: TransitionAction, from: Status): boolean {
  return transitions[action].from.includes(from);
}

/** Alarm severity → order priority. */
export function priorityOfSeverity(severity: string): Priority {
  switch (severity) {
    case 'critical':
      return 'urgent';
    case 'major':
      return 'high';
    case 'minor':
      return 'normal';
    default:
      return 'low';
  }
}

export function maxPriority(a: Priority, b: Priority): Priority {
  return priorities.indexOf(a) >= priorities.indexOf(b) ? a : b;
}
