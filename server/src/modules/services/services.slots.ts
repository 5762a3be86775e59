// Bookable slots from a service's weekly hours. Hours are local to the community (time zone of
// the community, default Asia/Shanghai); slots are stored and exchanged as UTC instants.
import dayjs from 'dayjs';
import { addDays, localDate, weekdayOf, zonedTime } from '../../kernel/time.js';
import type { AvailabilityRow } from './services.repository.js';

/** How far ahead residents may book. */
export const BOOKING_HORIZON_DAYS = 28;

export interface Slot {
  start: string;
  end: string;
  capacity: number;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Slots starting after `now` within `days` local days (today included), earliest first. */
export function slotsOf(rules: AvailabilityRow[], durationMinutes: number, now: Date, days: number, timeZone: string): Slot[] {
  const byStart = new Map<string, Slot>();
  const today = localDate(now, timeZone);
  for (let d = 0; d < days; d++) {
    const date = addDays(today, d);
    const weekday = weekdayOf(date);
    for (const r of rules) {
      if (r.weekday !== weekday) continue;
      const from = minutes(r.start_time);
      const to = minutes(r.end_time);
      for (let m = from; m + durationMinutes <= to; m += durationMinutes) {
        // midnight of the local day plus minutes: correct across DST changes too (tz handles them)
        const start = dayjs(zonedTime(date, timeZone)).add(m, 'minute');
        if (!start.isAfter(now)) continue;
        const s = start.toDate().toISOString();
        const prev = byStart.get(s);
        // overlapping rules: the larger capacity holds
        if (!prev || prev.capacity < r.capacity)
          byStart.set(s, { start: s, end: start.add(durationMinutes, 'minute').toDate().toISOString(), capacity: r.capacity });
      }
    }
  }
  return [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** The slot that starts at this instant, if the hours offer one within the booking horizon. */
export function findSlot(rules: AvailabilityRow[], durationMinutes: number, now: Date, timeZone: string, slotStart: string): Slot | undefined {
  const t = Date.parse(slotStart);
  if (Number.isNaN(t)) return undefined;
  const s = new Date(t).toISOString();
  return slotsOf(rules, durationMinutes, now, BOOKING_HORIZON_DAYS, timeZone).find((x) => x.start === s);
}

/** Overlapping or inverted hours are refused; returns the index of the first bad entry. */
export function badHours(hours: { weekday: number; start: string; end: string }[]): number {
  for (let i = 0; i < hours.length; i++) {
    const h = hours[i];
    if (minutes(h.start) >= minutes(h.end)) return i;
    for (let j = 0; j < i; j++) {
      const o = hours[j];
      if (o.weekday === h.weekday && minutes(o.start) < minutes(h.end) && minutes(h.start) < minutes(o.end)) return i;
    }
  }
  return -1;
}
