// The canonical place names an import matches and creates places by (docs/import.md).
import { describe, expect, it } from 'vitest';
import { canonicalPlaceName, numeralValue } from './normalise.js';

describe('place name normaliser', () => {
  it('reads Chinese numerals 一…九十九 and digit-by-digit forms', () => {
    expect(['一', '九', '十', '十一', '二十', '二十三', '九十九', '两', '一〇一', '二零三', '12'].map(numeralValue)).toEqual([
      1, 9, 10, 11, 20, 23, 99, 2, 101, 203, 12,
    ]);
    expect(['', '百', '十十', '一百', 'A', '1a', '十一二'].map(numeralValue)).toEqual([null, null, null, null, null, null, null]);
  });

  it('buildings: 1, 1号楼, 1栋, 1幢, 1号, 1#, 1#楼, 一号楼, 十二栋 and full-width digits are one canonical N号楼', () => {
    for (const raw of ['1', '1号楼', '1栋', '1幢', '1号', '1#', '1#楼', '一号楼', '一栋', ' 1 号楼 ', '１号楼', '1楼'])
      expect(canonicalPlaceName('building', raw), raw).toBe('1号楼');
    expect(canonicalPlaceName('building', '十二栋')).toBe('12号楼');
    expect(canonicalPlaceName('building', '二十三号楼')).toBe('23号楼');
    expect(canonicalPlaceName('building', '012')).toBe('12号楼');
  });

  it('units: 1, 1单元, 一单元, 十单元 are N单元', () => {
    for (const raw of ['1', '1单元', '一单元', '01单元', '１单元']) expect(canonicalPlaceName('unit', raw), raw).toBe('1单元');
    expect(canonicalPlaceName('unit', '十单元')).toBe('10单元');
  });

  it('houses: 101, 101室, 101号, 101房, 一〇一 are 101 (digits as written)', () => {
    for (const raw of ['101', '101室', '101号', '101房', ' 101 室', '一〇一', '１０１']) expect(canonicalPlaceName('house', raw), raw).toBe('101');
    expect(canonicalPlaceName('house', '0101')).toBe('0101');
  });

  it('other shapes are kept (width-folded, single spaces); estates are never rewritten', () => {
    expect(canonicalPlaceName('building', 'A座')).toBe('A座');
    expect(canonicalPlaceName('building', '北区1号楼')).toBe('北区1号楼');
    expect(canonicalPlaceName('building', 'Block  A')).toBe('Block A');
    expect(canonicalPlaceName('unit', '东单元')).toBe('东单元');
    expect(canonicalPlaceName('house', '底商1')).toBe('底商1');
    expect(canonicalPlaceName('house', '1-101')).toBe('1-101');
    expect(canonicalPlaceName('estate', '1号院')).toBe('1号院');
    expect(canonicalPlaceName('estate', '１')).toBe('1');
    expect(canonicalPlaceName('building', '')).toBe('');
  });
});
