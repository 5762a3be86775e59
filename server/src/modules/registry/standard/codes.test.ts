import { describe, expect, it } from 'vitest';
import {
  ageOn,
  ageTags,
  codeList,
  codeListNames,
  codeLists,
  ethnicities,
  genders,
  houseUses,
  idTypes,
  isCode,
  placeKinds,
  regionLevels,
  relations,
  residentRoles,
  residentTags,
} from './codes.js';

describe('code lists', () => {
  it('have unique codes and both names', () => {
    for (const name of codeListNames) {
      const list = codeLists[name];
      expect(new Set(list.map((c) => c.code)).size, name).toBe(list.length);
      for (const c of list) {
        expect(c.zh, `${name}.${c.code}`).toBeTruthy();
        expect(c.en, `${name}.${c.code}`).toBeTruthy();
      }
    }
  });
  it('ethnicities follow GB 3304-1991: 56 groups 01–56 plus 97 and 98', () => {
    expect(ethnicities).toHaveLength(58);
    const codes = ethnicities.map((e) => e.code);
    expect(codes.slice(0, 56)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(codes.slice(56)).toEqual(['97', '98']);
    const zh = (code: string) => ethnicities.find((e) => e.code === code)!.zh;
    expect(zh('01')).toBe('汉族');
    expect(zh('05')).toBe('维吾尔族');
    expect(zh('10')).toBe('朝鲜族');
    expect(zh('11')).toBe('满族');
    expect(zh('23')).toBe('高山族');
    expect(zh('29')).toBe('柯尔克孜族');
    expect(zh('37')).toBe('仡佬族');
    expect(zh('44')).toBe('俄罗斯族');
    expect(zh('49')).toBe('京族');
    expect(zh('56')).toBe('基诺族');
    expect(ethnicities.slice(0, 56).every((e) => e.zh.endsWith('族'))).toBe(true);
  });
  it('genders follow GB/T 2261.1-2003', () => {
    expect(genders.map((g) => g.code)).toEqual(['0', '1', '2', '9']);
    expect(genders[1].zh).toBe('男');
    expect(genders[2].zh).toBe('女');
  });
  it('relations include the GB/T 4761-2008 codes the platform uses', () => {
    const map = Object.fromEntries(relations.map((r) => [r.code, r.zh]));
    expect(map).toMatchObject({
      '01': '本人',
      '02': '户主',
      '10': '配偶',
      '11': '夫',
      '12': '妻',
      '20': '子',
      '21': '独生子',
      '22': '长子',
      '23': '次子',
      '30': '女',
      '31': '独生女',
      '32': '长女',
      '33': '次女',
      '40': '孙子、孙女或外孙子、外孙女',
      '41': '孙子',
      '42': '孙女',
      '50': '父母',
      '51': '父亲',
      '52': '母亲',
      '60': '祖父母或外祖父母',
      '70': '兄弟姐妹',
      '97': '其他亲属',
      '99': '非亲属',
    });
  });
  it('other lists', () => {
    expect(idTypes.map((c) => c.code)).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(residentRoles.map((c) => c.code)).toEqual(['owner', 'tenant', 'family']);
    expect(residentTags.filter((t) => t.derived).map((t) => t.code)).toEqual(['elderly', 'child']);
    expect(residentTags).toHaveLength(12);
    expect(houseUses.map((c) => c.code)).toEqual(['residential', 'commercial', 'office', 'mixed', 'public', 'other']);
    expect(regionLevels.map((c) => c.code)).toEqual(['province', 'city', 'district', 'street']);
    expect(placeKinds.map((c) => c.code)).toEqual(['region', 'community', 'estate', 'building', 'unit', 'house']);
  });
});

describe('codeList / isCode', () => {
  it('looks lists up by name', () => {
    expect(codeList('genders')).toBe(genders);
    expect(codeList('nope')).toBeUndefined();
    expect(codeList('toString')).toBeUndefined();
  });
  it('checks membership', () => {
    expect(isCode('ethnicities', '56')).toBe(true);
    expect(isCode('ethnicities', '57')).toBe(false);
    expect(isCode(genders, '1')).toBe(true);
    expect(isCode(genders, 1)).toBe(false);
    expect(isCode('residentRoles', 'owner')).toBe(true);
  });
});

describe('ageTags', () => {
  const today = '2026-11-25';
  it('computes full years', () => {
    expect(ageOn('1966-11-25', today)).toBe(60);
    expect(ageOn('1966-11-26', today)).toBe(59);
  });
  it('tags elderly at 60 and children under 14', () => {
    expect(ageTags('1966-11-25', today)).toEqual(['elderly']);
    expect(ageTags('1966-11-26', today)).toEqual([]);
    expect(ageTags('2012-11-26', today)).toEqual(['child']);
    expect(ageTags('2012-11-25', today)).toEqual([]);
    expect(ageTags('1990-01-01', today)).toEqual([]);
  });
});
