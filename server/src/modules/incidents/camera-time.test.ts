// Camera time dialects, on bodies real Hikvision cameras sent (hikvision.samples.ts).
import { describe, expect, it } from 'vitest';
import { judgeTime, parseCameraTime, SKEW_LIMIT_S } from './camera-time.js';
import { parseAlert } from './hikvision.js';
import { HIK_DOUBLE_SIGN_VMD, HIK_V4_VMD, HIK_V5_VIDEOLOSS, PYHIK_ALERT } from './hikvision.samples.js';

const utc = (s: string) => Date.parse(s);

describe('camera time', () => {
  it("reads the vendor samples' times as the instants they name", () => {
    // firmware V5.3.0 build 150513: 18:59:49 at UTC−8 is 02:59:49 UTC the next day
    expect(parseCameraTime(parseAlert(HIK_V5_VIDEOLOSS).dateTime)).toBe(utc('2016-12-25T02:59:49Z'));
    expect(parseCameraTime(parseAlert(HIK_V4_VMD).dateTime)).toBe(utc('2009-11-14T15:27:00Z'));
    expect(parseCameraTime(parseAlert(HIK_DOUBLE_SIGN_VMD).dateTime)).toBe(utc('2015-06-25T03:37:22Z'));
    expect(parseCameraTime(parseAlert(PYHIK_ALERT).dateTime)).toBe(utc('2026-06-08T12:00:00Z'));
  });

  it('reads every offset form cameras write, and nothing else', () => {
    const at = utc('2026-11-25T02:00:00Z');
    for (const s of [
      '2026-11-25T10:00:00+8:00',
      '2026-11-25T10:00:00+08:00',
      '2026-11-25T10:00:00+0800',
      '2026-11-25T10:00:00+08',
      '2026-11-25T02:00:00Z',
      '2026-11-25 10:00:00+08:00',
      '2026-11-24T21:00:00-5:00',
      '2026-11-25T07:30:00+05:30',
    ]) {
      expect(parseCameraTime(s), s).toBe(at);
    }
    expect(parseCameraTime('2026-11-25T10:00:00.250+08:00')).toBe(at + 250);
    for (const s of [
      '2026-02-30T10:00:00Z',
      '2026-11-25T24:00:00Z',
      '2026-11-25T10:00:00+15:00',
      '2026-11-25T10:00:00-+8:00',
      '2026-11-25T10:00:00+800',
      'soon',
      '',
      '1732500000',
      '2026-11-25',
    ]) {
      expect(parseCameraTime(s), s).toBeNull();
    }
  });

  it("reads a time without a zone in the camera's zone (default Asia/Shanghai), daylight saving included", () => {
    expect(parseCameraTime('2026-11-25T10:00:00')).toBe(utc('2026-11-25T02:00:00Z'));
    expect(parseCameraTime('2026-11-25T10:00:00', 'Asia/Urumqi')).toBe(utc('2026-11-25T04:00:00Z'));
    expect(parseCameraTime('2026-07-01T10:00:00', 'Europe/Berlin')).toBe(utc('2026-07-01T08:00:00Z'));
    expect(parseCameraTime('2026-12-01T10:00:00', 'Europe/Berlin')).toBe(utc('2026-12-01T09:00:00Z'));
  });

  it("keeps a camera's time within the limit, and the receipt time (with the claim) beyond it", () => {
    const now = utc('2026-11-25T02:00:00Z');
    expect(judgeTime('2026-11-25T09:58:00+8:00', now)).toEqual({ at: now - 120_000, claimedAt: now - 120_000, skewS: -120, unreadable: false });
    const old = judgeTime(parseAlert(HIK_V4_VMD).dateTime, now);
    expect(old).toMatchObject({ at: now, claimedAt: utc('2009-11-14T15:27:00Z'), unreadable: false });
    expect(old.skewS).toBeLessThan(-SKEW_LIMIT_S);
    expect(judgeTime(now + 10 * 60_000, now)).toEqual({ at: now, claimedAt: now + 600_000, skewS: 600, unreadable: false });
    expect(judgeTime('soon', now)).toEqual({ at: now, claimedAt: null, skewS: null, unreadable: true });
    expect(judgeTime(undefined, now)).toEqual({ at: now, claimedAt: null, skewS: null, unreadable: false });
  });
});
