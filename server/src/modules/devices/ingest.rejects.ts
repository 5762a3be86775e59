// Rejections counted per device between two flushes of the ingest pipeline (ingest.ts), written
// with the next flush (telemetry.repository.ts addRejects), and the notes a sender gets back.
import type { RejectDelta } from './telemetry.repository.js';
import type { Reject } from './ingest.validate.js';

/** Why part of a message was refused: one entry per reason and place in the message. */
export interface RejectNote {
  reason: string;
  field: string;
  detail: string;
  count: number;
}
/** At most this many notes per message (a batch of 1000 bad readings answers with 20). */
export const MAX_REJECT_NOTES = 20;

export const noteOf = (e: Reject): RejectNote => ({ reason: e.reason, field: e.field, detail: e.detail, count: e.n });

export class RejectTally {
  private byDevice = new Map<string, RejectDelta>();

  get size(): number {
    return this.byDevice.size;
  }

  /** The device's counts since the last flush (made on first use). */
  of(id: string, now: number): RejectDelta {
    let x = this.byDevice.get(id);
    if (!x) {
      x = { deviceId: id, count: 0, lastError: '', at: new Date(now).toISOString(), byReason: new Map(), throttledUntil: null };
      this.byDevice.set(id, x);
    }
    return x;
  }

  /** Count a rejection against a device. */
  count(id: string, e: Reject, now: number): void {
    const x = this.of(id, now);
    x.count += e.n;
    x.lastError = e.detail ? `${e.reason}: ${e.detail}` : e.reason;
    x.at = new Date(now).toISOString();
    const r = x.byReason.get(e.reason) ?? { count: 0, detail: '' };
    r.count += e.n;
    r.detail = e.detail;
    x.byReason.set(e.reason, r);
  }

  /** Hand over what was counted (to a flush) and start afresh. */
  take(): Map<string, RejectDelta> {
    const m = this.byDevice;
    this.byDevice = new Map();
    return m;
  }

  /** A flush failed: keep its counts for the retry, unless the device was counted anew meanwhile. */
  restore(m: Map<string, RejectDelta>): void {
    for (const [id, x] of m) if (!this.byDevice.has(id)) this.byDevice.set(id, x);
  }
}
