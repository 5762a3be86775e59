/**
 * Mainland China resident identity card numbers (GB 11643-1999).
 *
 * 18 characters: 6-digit administrative division code (GB/T 2260), 8-digit birth
 * date (YYYYMMDD), 3-digit sequence (17th digit odd = male, even = female) and a
 * check character computed with ISO 7064 MOD 11-2.
 */
import { localDate } from '../../../kernel/time.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level codes (first two digits of a division code). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export const MIN_BIRTH_DATE = '1890-01-01';

/** Trim, convert full-width digits/letters to ASCII, upper-case, remove inner whitespace. */
export function normaliseIdNumber(raw: string): string {
  return String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

/** Check character for the first 17 digits (ISO 7064 MOD 11-2). */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('checkDigit: expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Calendar date (YYYY-MM-DD) of an instant in a time zone (default Asia/Shanghai). */
export function todayIso(d: Date = new Date(), timeZone = 'Asia/Shanghai'): string {
  return localDate(d, timeZone);
}

/** True when YYYY-MM-DD is a real calendar date. */
export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export type IdValidation =
  | { ok: true; value: string; birthDate: string; gender: '1' | '2'; divisionCode: string }
  | { ok: false; reason: 'length' | 'chars' | 'checksum' | 'birth_date' | 'division' };

/** Validate a mainland resident ID number (idType '01'). */
export function validateMainlandId(raw: string, today: string = todayIso()): IdValidation {
  const v = normaliseIdNumber(raw);
  if (v.length !== 18) return { ok: false, reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, reason: 'chars' };
  if (!PROVINCE_CODES.has(v.slice(0, 2))) return { ok: false, reason: 'division' };
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isRealDate(birthDate) || birthDate < MIN_BIRTH_DATE || birthDate > today) {
    return { ok: false, reason: 'birth_date' };
  }
  if (checkDigit(v.slice(0, 17)) !== v[17]) return { ok: false, reason: 'checksum' };
  const gender = Number(v[16]) % 2 === 1 ? '1' : '2';
  return { ok: true, value: v, birthDate, gender, divisionCode: v.slice(0, 6) };
}

/**
 * Build a valid ID number. `birthDate` may be YYYY-MM-DD or YYYYMMDD; `seq3` is
 * the 3-digit sequence (its last digit carries the gender: odd male, even female).
 */
export function makeIdNumber(division: string, birthDate: string, seq3: string): string {
  const date = birthDate.replace(/-/g, '');
  if (!/^\d{6}$/.test(division)) throw new Error('makeIdNumber: division must be 6 digits');
  if (!/^\d{8}$/.test(date)) throw new Error('makeIdNumber: bad birth date');
  if (!/^\d{3}$/.test(seq3)) throw new Error('makeIdNumber: seq3 must be 3 digits');
  const first17 = division + date + seq3;
  return first17 + checkDigit(first17);
}
