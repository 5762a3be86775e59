// Injectable clock. Everything that asks "what time is it" asks a Clock, so tests can move time.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FixedClock implements Clock {
  constructor(private t: Date) {}
  now(): Date {
    return new Date(this.t.getTime());
  }
  set(t: Date | string): void {
    this.t = new Date(t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

/** UTC ISO-8601 timestamp, the stored form of every instant. */
export function iso(d: Date): string {
  return d.toISOString();
}

/** Calendar date (YYYY-MM-DD) of an instant in a time zone (kernel/time.ts). */
export { localDate } from './time.js';
