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

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(d: Date, timeZone = 'Asia/Shanghai'): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    // building a DateTimeFormat is costly (locale data); keep one per zone
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(d);
}
