import { describe, expect, it } from 'vitest';
import { addDays, isTimeZone, localDate, localParts, startOfLocalDay, weekdayOf, zonedTime } from './time.js';

describe('kernel/time: community wall clock', () => {
  it('Asia/Shanghai (UTC+8, no daylight saving): the local day starts at 16:00 UTC the evening before', () => {
    expect(localDate(new Date('2025-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2025-03-01');
    expect(localDate(new Date('2025-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2025-03-02');
    expect(localParts(new Date('2025-12-31T16:30:05Z'), 'Asia/Shanghai')).toEqual({
      date: '2026-01-01',
      year: 2026,
      month: 1,
      day: 1,
      hour: 0,
      minute: 30,
      second: 5,
      weekday: 4,
      minuteOfDay: 30,
    });
    expect(startOfLocalDay(new Date('2025-03-02T03:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2025-03-01T16:00:00.000Z');
    expect(zonedTime('2025-07-01 08:00', 'Asia/Shanghai').toISOString()).toBe('2025-07-01T00:00:00.000Z');
    expect(zonedTime('2025-07-01', 'Asia/Shanghai').toISOString()).toBe('2025-06-30T16:00:00.000Z');
  });

  it('Europe/Berlin: summer and winter offsets, the skipped hour and the repeated hour', () => {
    expect(zonedTime('2025-01-15 12:00', 'Europe/Berlin').toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(zonedTime('2025-07-15 12:00', 'Europe/Berlin').toISOString()).toBe('2025-07-15T10:00:00.000Z');
    // 2025-03-30: 02:00 → 03:00. The day is 23 hours long; 02:30 does not exist and means 03:30
    const start = startOfLocalDay(new Date('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    const next = startOfLocalDay(new Date('2025-03-31T12:00:00Z'), 'Europe/Berlin');
    expect(start.toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(next.getTime() - start.getTime()).toBe(23 * 3_600_000);
    expect(zonedTime('2025-03-30 03:00', 'Europe/Berlin').toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(zonedTime('2025-03-30 02:30', 'Europe/Berlin').toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(localParts(new Date('2025-03-30T00:59:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 1, minute: 59 });
    expect(localParts(new Date('2025-03-30T01:00:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 0, minuteOfDay: 180 });
    // 2025-10-26: 03:00 → 02:00. The day is 25 hours long; both 00:30Z and 01:30Z read 02:30
    const autumn = startOfLocalDay(new Date('2025-10-26T12:00:00Z'), 'Europe/Berlin');
    expect(startOfLocalDay(new Date('2025-10-27T12:00:00Z'), 'Europe/Berlin').getTime() - autumn.getTime()).toBe(25 * 3_600_000);
    expect(localParts(new Date('2025-10-26T00:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
    expect(localParts(new Date('2025-10-26T01:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
    expect(localDate(new Date('2025-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2025-10-26');
  });

  it('calendar dates and zones', () => {
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(weekdayOf('2025-03-02')).toBe(7); // a Sunday
    expect(weekdayOf('2025-03-03')).toBe(1);
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
