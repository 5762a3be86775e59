// Community wall-clock math, on one library: dayjs with its utc and timezone plugins (IANA
// rules, daylight saving included). Instants are Dates (or ms since the epoch) in UTC; a
// community's local date and time come from here, never from a hand-built Intl formatter.
// Local times that do not exist (the hour skipped when clocks go forward) move forward by the
// gap; local times that happen twice (clocks go back) mean the first of the two.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type Instant = Date | number;

/** Is `tz` an IANA time zone this runtime knows? */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    return dayjs(0).tz(tz).isValid();
  } catch {
    return false;
  }
}

export interface LocalParts {
  date: string; // YYYY-MM-DD
  year: number;
  month: number; // 1..12
  day: number;
  hour: number; // 0..23
  minute: number;
  second: number;
  weekday: number; // 1..7, Monday = 1
  minuteOfDay: number;
}

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Instant, tz: string = DEFAULT_TIME_ZONE): LocalParts {
  const d = dayjs(at).tz(tz);
  const hour = d.hour();
  const minute = d.minute();
  return {
    date: d.format('YYYY-MM-DD'),
    year: d.year(),
    month: d.month() + 1,
    day: d.date(),
    hour,
    minute,
    second: d.second(),
    weekday: d.day() === 0 ? 7 : d.day(),
    minuteOfDay: hour * 60 + minute,
  };
}

/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Instant, tz: string = DEFAULT_TIME_ZONE): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DD');
}

/** The instant of a local date and time (`YYYY-MM-DD HH:mm[:ss[.SSS]]`, or a date alone: its midnight) in a time zone. */
export function zonedTime(local: string, tz: string = DEFAULT_TIME_ZONE): Date {
  const d = dayjs.tz(local.length === 10 ? `${local} 00:00` : local, tz);
  return d.toDate();
}

/** The instant the local day containing `at` began. */
export function startOfLocalDay(at: Instant, tz: string = DEFAULT_TIME_ZONE): Date {
  return zonedTime(localDate(at, tz), tz);
}

/** A calendar date `n` days after (or before) `date` (YYYY-MM-DD; no time zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Weekday (1..7, Monday = 1) of a calendar date. */
export function weekdayOf(date: string): number {
  const w = new Date(`${date}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}
