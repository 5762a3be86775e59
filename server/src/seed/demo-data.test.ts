import { describe, expect, it } from 'vitest';
import { validateMainlandId } from '../modules/registry/standard/id-number.js';
import { isMainlandMobile } from '../modules/registry/standard/phone.js';
import { ageOn, isCode } from '../modules/registry/standard/codes.js';
import { DEMO_TODAY, generateDemo, mulberry32 } from './demo-data.js';

const demo = generateDemo();

describe('mulberry32', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('generateDemo', () => {
  it('is deterministic', () => {
    expect(generateDemo()).toEqual(demo);
    expect(generateDemo(7)).toEqual(generateDemo(7));
    expect(generateDemo(7).residents[0]).not.toEqual(demo.residents[0]);
  });

  it('builds the Beijing place tree with linked keys', () => {
    expect(demo.regions.map((r) => [r.name, r.code, r.level])).toEqual([
      ['北京市朝阳区', '110105', 'district'],
      ['望京街道', '110105026', 'street'],
    ]);
    expect(demo.communities.map((c) => c.name)).toEqual(['花家地社区', '南湖东园社区']);
    const keys = new Set<string>();
    for (const list of [demo.regions, demo.communities, demo.estates, demo.buildings, demo.units, demo.houses]) {
      for (const p of list) {
        expect(keys.has(p.key)).toBe(false);
        if (p.parentKey !== null) expect(keys.has(p.parentKey), p.key).toBe(true);
        keys.add(p.key);
      }
    }
    for (const c of demo.communities) {
      const n = demo.estates.filter((e) => e.parentKey === c.key).length;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(3);
    }
    for (const h of demo.houses) {
      expect(h.number).toBe(h.name);
      expect(h.number.startsWith(String(h.floor))).toBe(true);
      expect(h.areaM2).toBeGreaterThanOrEqual(45);
      expect(h.areaM2).toBeLessThanOrEqual(160);
      expect(Math.round(h.areaM2 * 10)).toBeCloseTo(h.areaM2 * 10, 6);
      if (h.houseUse === 'commercial') expect(h.floor).toBe(1);
    }
    expect(demo.houses.some((h) => h.houseUse === 'commercial')).toBe(true);
  });

  it('has 1,400–1,600 residents with valid, unique ID numbers and phones', () => {
    expect(demo.residents.length).toBeGreaterThanOrEqual(1400);
    expect(demo.residents.length).toBeLessThanOrEqual(1600);
    const ids = new Set<string>();
    const phones = new Set<string>();
    for (const r of demo.residents) {
      const v = validateMainlandId(r.idNumber, DEMO_TODAY);
      expect(v, r.idNumber).toMatchObject({ ok: true, birthDate: r.birthDate, gender: r.gender, value: r.idNumber });
      expect(r.idType).toBe('01');
      expect(isCode('ethnicities', r.ethnicity)).toBe(true);
      for (const t of r.tags) expect(isCode('residentTags', t)).toBe(true);
      expect(r.tags).not.toContain('elderly');
      expect(r.tags).not.toContain('child');
      expect(r.name.length).toBeGreaterThanOrEqual(2);
      expect(r.name.length).toBeLessThanOrEqual(4);
      ids.add(r.idNumber);
      if (ageOn(r.birthDate, DEMO_TODAY) < 14) expect(r.phone).toBeNull();
      if (r.phone !== null) {
        expect(isMainlandMobile(r.phone), r.phone).toBe(true);
        phones.add(r.phone);
      }
    }
    expect(ids.size).toBe(demo.residents.length);
    expect(phones.size).toBe(demo.residents.filter((r) => r.phone !== null).length);
    expect(demo.residents.filter((r) => r.ethnicity !== '01').length).toBeGreaterThan(0);
    expect(demo.residents.filter((r) => !r.idNumber.startsWith('11')).length).toBeGreaterThan(0);
  });

  it('has households that reference residents and houses consistently', () => {
    const residentKeys = new Set(demo.residents.map((r) => r.key));
    const houses = new Map(demo.houses.map((h) => [h.key, h]));
    const seen = new Set<string>();
    const occupied = new Set<string>();
    for (const hh of demo.households) {
      const house = houses.get(hh.houseKey)!;
      expect(house.houseUse).toBe('residential');
      expect(occupied.has(hh.houseKey)).toBe(false);
      occupied.add(hh.houseKey);
      const current = hh.members.filter((m) => !m.moveOut);
      expect(current.length).toBeGreaterThanOrEqual(1);
      expect(current.length).toBeLessThanOrEqual(5);
      expect(hh.members[0].relation).toBe('02');
      expect(hh.members.filter((m) => m.relation === '02')).toHaveLength(1);
      const tenant = hh.members[0].role === 'tenant';
      for (const m of hh.members) {
        expect(residentKeys.has(m.residentKey)).toBe(true);
        expect(seen.has(m.residentKey)).toBe(false);
        seen.add(m.residentKey);
        expect(isCode('relations', m.relation)).toBe(true);
        expect(isCode('residentRoles', m.role)).toBe(true);
        if (tenant) expect(m.role).toBe('tenant');
        else if (m.relation === '02' || m.relation === '10') expect(m.role).toBe('owner');
        else expect(m.role).toBe('family');
        expect(m.moveIn <= DEMO_TODAY).toBe(true);
        if (m.moveOut) expect(m.moveOut > m.moveIn && m.moveOut <= DEMO_TODAY).toBe(true);
      }
    }
    expect(seen.size).toBe(demo.residents.length);
    expect(occupied.size).toBeLessThan(demo.houses.filter((h) => h.houseUse === 'residential').length);
    expect(demo.households.some((h) => h.members[0].role === 'tenant')).toBe(true);
    expect(demo.households.some((h) => h.members.some((m) => m.moveOut))).toBe(true);
  });

  it('populates both communities and has elderly, children and elderly living alone', () => {
    const parent = new Map<string, string>();
    for (const list of [demo.estates, demo.buildings, demo.units, demo.houses]) for (const p of list) parent.set(p.key, p.parentKey);
    const communityOf = (houseKey: string) => {
      let k = houseKey;
      while (!k.startsWith('community:')) k = parent.get(k)!;
      return k;
    };
    const perCommunity = new Map<string, number>();
    for (const hh of demo.households) {
      const c = communityOf(hh.houseKey);
      perCommunity.set(c, (perCommunity.get(c) ?? 0) + hh.members.length);
    }
    for (const c of demo.communities) expect(perCommunity.get(c.key) ?? 0).toBeGreaterThan(300);

    const ages = demo.residents.map((r) => ageOn(r.birthDate, DEMO_TODAY));
    const elderly = ages.filter((a) => a >= 60).length / ages.length;
    const children = ages.filter((a) => a < 14).length / ages.length;
    expect(elderly).toBeGreaterThan(0.14);
    expect(elderly).toBeLessThan(0.3);
    expect(children).toBeGreaterThan(0.07);
    expect(children).toBeLessThan(0.2);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    const alone = demo.residents.filter((r) => r.tags.includes('living_alone'));
    expect(alone.length).toBeGreaterThan(0);
    for (const r of alone) expect(ageOn(r.birthDate, DEMO_TODAY)).toBeGreaterThanOrEqual(60);
  });
});
