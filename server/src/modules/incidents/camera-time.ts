// Camera clocks. Cameras write their time in dialects of ISO 8601 and their clocks drift or were
// never set; neither may cost an alarm.
//
// Parsing is a small exact parser, not Date.parse or dayjs's string parser: both refuse the
// offsets real firmware writes — Hikvision V5.3.0 build 150513 sends "2016-12-24T18:59:49-8:00"
// (one-digit hour), some builds "…--8:00" (the sign written twice), others "+0800" — and Date.parse
// reads a zone-less time in the *server's* zone. Accepted: date, "T" or space, hh:mm[:ss[.fff]],
// then Z, ±H:MM, ±HH:MM, ±HHMM, ±HH, or nothing. A time without a zone is the camera's local
// clock: it is read with dayjs's timezone plugin (IANA rules, daylight saving included) in the
// camera's configured zone, else its community's, else Asia/Shanghai. Epoch milliseconds (JSON
// webhook, MQTT) are taken as they are.
//
// Judging: the camera's time is used when it is within SKEW_LIMIT_S of the moment Linli received
// the event. Otherwise the event is stored at its receipt (an alarm arriving now is shown now,
// not buried days back or parked in the future), the camera's claimed time is kept beside it, and
// the camera's clock is reported as skewed. Nothing is refused for its time any more.
import { isTimeZone, zonedTime } from '../../kernel/time.js';

/** A camera clock further than this (either way) from Linli's is "skewed": its times are not used. */
export const SKEW_LIMIT_S = 5 * 60;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const FORM = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|-?[+-](?:\d{1,2}:\d{2}|\d{2}(?:\d{2})?))?$/;

/** Is `tz` an IANA time zone this runtime knows? */
export function validTimeZone(tz: string): boolean {
  return isTimeZone(tz);
}

/** ms since the epoch, or null when `v` is no time a camera could mean. */
export function parseCameraTime(v: unknown, timeZone = DEFAULT_TIME_ZONE): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v < 8.64e15 ? Math.round(v) : null;
  if (typeof v !== 'string' || v.length > 40) return null;
  const m = FORM.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms] as const;
  const wall = Date.UTC(...fields);
  const check = new Date(wall);
  // Date.UTC rolls over (Feb 30 → Mar 2, 24:00 → next day): a field out of range is no time
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    check.getUTCHours() !== fields[3] ||
    check.getUTCMinutes() !== fields[4] ||
    check.getUTCSeconds() !== fields[5]
  )
    return null;
  if (!zone) {
    const tz = validTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
    const local = `${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
    const t = zonedTime(local, tz).getTime();
    return Number.isFinite(t) ? t : null;
  }
  if (zone === 'Z' || zone === 'z') return wall;
  // "--8:00": the firmware wrote its own "-" before a signed offset; "-+8:00" is not a thing
  const z = /^(-?)([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
  if (z[1] && z[2] !== '-') return null;
  const offH = Number(z[3]);
  const offM = Number(z[4] ?? '0');
  if (offH > 14 || offM > 59) return null;
  const offset = (offH * 60 + offM) * 60_000 * (z[2] === '-' ? -1 : 1);
  return wall - offset;
}

export interface JudgedTime {
  /** When the event is stored as having happened (ms). */
  at: number;
  /** The camera's own time for it (ms), when it sent one Linli could read. */
  claimedAt: number | null;
  /** claimed − received in whole seconds (null: nothing to compare). */
  skewS: number | null;
  /** It sent a time, but not one Linli could read. */
  unreadable: boolean;
}

/** Which time an event gets (see the file comment). */
export function judgeTime(v: unknown, receivedMs: number, timeZone = DEFAULT_TIME_ZONE): JudgedTime {
  if (v === undefined || v === null || v === '') return { at: receivedMs, claimedAt: null, skewS: null, unreadable: false };
  const claimed = parseCameraTime(v, timeZone);
  if (claimed === null) return { at: receivedMs, claimedAt: null, skewS: null, unreadable: true };
  const skewS = Math.round((claimed - receivedMs) / 1000);
  return { at: Math.abs(skewS) > SKEW_LIMIT_S ? receivedMs : claimed, claimedAt: claimed, skewS, unreadable: false };
}

export const isSkewed = (skewS: number | null | undefined) => skewS != null && Math.abs(skewS) > SKEW_LIMIT_S;
