// Canonical place names for matching and creating places in an import, so that "1", "1号楼",
// "1栋", "1幢", "一号楼" and "1#" are one building. The canonical forms (docs/import.md):
//   building  N号楼   (1, 1号, 1号楼, 1栋, 1幢, 1#, 1#楼, 一号楼, 一栋 …)
//   unit      N单元   (1, 1单元, 一单元, 1单元号 …)
//   house     N       (101, 101室, 101号, 101房 …; digits only)
// N may be written in Chinese numerals 一…九十九 (〇/零 inside digits too: 一〇一 = 101).
// A name that does not have one of these shapes ("A座", "底商1", "北区1号楼") is kept as it is
// (width-folded, single spaces): it is matched by that exact text.
import { placeName } from './mapping.js';

const DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A whole number from Arabic digits or Chinese numerals (一…九十九, or digit by digit: 一〇一); null otherwise. */
export function numeralValue(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (!s || ![...s].every((c) => c in DIGIT || c === '十')) return null;
  if (s.includes('十')) {
    const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
    if (!m) return null;
    return (m[1] ? DIGIT[m[1]] : 1) * 10 + (m[2] ? DIGIT[m[2]] : 0);
  }
  // digit by digit (一〇一, 二〇三): only when more than one character, or a single digit
  return Number([...s].map((c) => DIGIT[c]).join(''));
}

const BUILDING = /^(.+?)\s*(?:号楼|号栋|号幢|号|栋|幢|#楼|#|楼)$/;
const UNIT = /^(.+?)\s*(?:单元号|单元|单)$/;
const HOUSE = /^(.+?)\s*(?:室|号|房)$/;

/** The number of a name with an optional level suffix ("1号楼", "一单元"), or null. */
function numberOf(name: string, suffix: RegExp): number | null {
  const m = suffix.exec(name);
  const v = numeralValue(m ? m[1] : name);
  return v !== null && Number.isSafeInteger(v) ? v : null;
}

export type PlaceLevel = 'estate' | 'building' | 'unit' | 'house';

/** The canonical name of a place at a level (see the header); other shapes are returned width-folded. */
export function canonicalPlaceName(level: PlaceLevel | string, raw: string): string {
  const name = placeName(raw);
  if (!name) return name;
  if (level === 'building') {
    const n = numberOf(name, BUILDING);
    return n === null ? name : `${n}号楼`;
  }
  if (level === 'unit') {
    const n = numberOf(name, UNIT);
    return n === null ? name : `${n}单元`;
  }
  if (level === 'house') {
    const m = HOUSE.exec(name);
    const v = numeralValue(m ? m[1] : name);
    // keep leading zeros of digit house numbers ("0101" stays "0101"): they are part of the name
    if (v === null) return name;
    const digits = m ? m[1] : name;
    return /^\d+$/.test(digits) ? digits : String(v);
  }
  return name;
}
