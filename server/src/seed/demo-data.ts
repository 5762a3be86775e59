/**
 * Deterministic demo data generator for the registry (no database access).
 *
 * `generateDemo(seed)` returns plain objects — a Beijing place tree (朝阳区 → 望京街道 →
 * 花家地社区 / 南湖东园社区 → estates → buildings → units → houses), households and
 * ~1,500 residents with valid GB 11643-1999 ID numbers and mainland mobile numbers.
 * Every place has a stable `key` and `parentKey`; the seeder links them and resolves
 * residents by key. The same seed always yields the same data.
 */
import { makeIdNumber } from '../modules/registry/standard/id-number.js';
import { COMMUNITY_PLAN, DIVISIONS, ETHNICITIES, GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, Rng, SURNAMES } from './demo-names.js';

export { mulberry32 } from './demo-names.js';

export const DEMO_SEED = 20261125;
export const DEMO_TODAY = '2026-11-25';

export interface DemoRegion {
  key: string;
  parentKey: string | null;
  name: string;
  code: string;
  level: 'province' | 'city' | 'district' | 'street';
}
export interface DemoCommunity {
  key: string;
  parentKey: string;
  name: string;
  code: string;
  timeZone: string;
}
export interface DemoEstate {
  key: string;
  parentKey: string;
  name: string;
}
export interface DemoBuilding {
  key: string;
  parentKey: string;
  name: string;
}
export interface DemoUnit {
  key: string;
  parentKey: string;
  name: string;
}
export interface DemoHouse {
  key: string;
  parentKey: string;
  name: string;
  number: string;
  floor: number;
  areaM2: number;
  houseUse: 'residential' | 'commercial';
}
export interface DemoMember {
  residentKey: string;
  role: 'owner' | 'tenant' | 'family';
  relation: string;
  moveIn: string;
  moveOut?: string;
  moveOutReason?: string;
}
export interface DemoHousehold {
  key: string;
  houseKey: string;
  members: DemoMember[];
}
export interface DemoResident {
  key: string;
  name: string;
  idType: '01';
  idNumber: string;
  gender: '1' | '2';
  birthDate: string;
  ethnicity: string;
  phone: string | null;
  /** Non-derived tags only; 'elderly' / 'child' are derived from birthDate. */
  tags: string[];
  /** 'moved_out' when every residency of the resident has ended. */
  status: 'active' | 'moved_out';
}
export interface DemoData {
  seed: number;
  today: string;
  regions: DemoRegion[];
  communities: DemoCommunity[];
  estates: DemoEstate[];
  buildings: DemoBuilding[];
  units: DemoUnit[];
  houses: DemoHouse[];
  households: DemoHousehold[];
  residents: DemoResident[];
}

// ---------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;

function parseDate(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}
function fmtDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function addDays(iso: string, days: number): string {
  return fmtDate(parseDate(iso) + days * DAY_MS);
}
function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------
// Generator

const TARGET_RESIDENTS = 1500;

export function generateDemo(seed: number = DEMO_SEED, opts: { today?: string } = {}): DemoData {
  const today = opts.today ?? DEMO_TODAY;
  const rng = new Rng(seed);

  // ---- places -------------------------------------------------------------
  const regions: DemoRegion[] = [
    { key: 'region:110105', parentKey: null, name: '北京市朝阳区', code: '110105', level: 'district' },
    { key: 'region:110105026', parentKey: 'region:110105', name: '望京街道', code: '110105026', level: 'street' },
  ];
  const communities: DemoCommunity[] = [];
  const estates: DemoEstate[] = [];
  const buildings: DemoBuilding[] = [];
  const units: DemoUnit[] = [];
  const houses: DemoHouse[] = [];
  const houseCommunity = new Map<string, string>();

  for (const plan of COMMUNITY_PLAN) {
    const cKey = `community:${plan.id}`;
    communities.push({ key: cKey, parentKey: 'region:110105026', name: plan.name, code: plan.code, timeZone: 'Asia/Shanghai' });
    const estateCount = rng.int(2, 3);
    for (let e = 0; e < estateCount; e++) {
      const eKey = `estate:${plan.id}-${e + 1}`;
      estates.push({ key: eKey, parentKey: cKey, name: plan.estates[e] });
      const buildingCount = rng.int(3, 5);
      for (let b = 1; b <= buildingCount; b++) {
        const bKey = `${eKey.replace('estate:', 'building:')}-${b}`;
        buildings.push({ key: bKey, parentKey: eKey, name: `${b}号楼` });
        // Older walk-ups (6 floors) are common; some mid/high-rise towers.
        const floors = rng.weighted([
          [6, 5],
          [rng.int(7, 11), 2],
          [rng.int(12, 18), 2],
        ] as const);
        const unitCount =
          floors >= 12
            ? rng.int(1, 2)
            : rng.weighted([
                [1, 1],
                [2, 3],
                [3, 2],
              ] as const);
        const perFloor = floors >= 12 ? rng.int(3, 4) : rng.int(2, 3);
        const commercialGround = rng.chance(0.2);
        // One layout per building: the same position has the same area on every floor.
        const layout = Array.from({ length: perFloor }, () => Math.round(rng.int(450, 1600)) / 10);
        for (let u = 1; u <= unitCount; u++) {
          const uKey = `${bKey.replace('building:', 'unit:')}-${u}`;
          units.push({ key: uKey, parentKey: bKey, name: `${u}单元` });
          for (let f = 1; f <= floors; f++) {
            for (let h = 1; h <= perFloor; h++) {
              const number = `${f}${String(h).padStart(2, '0')}`;
              const hKey = `${uKey.replace('unit:', 'house:')}-${number}`;
              const commercial = f === 1 && commercialGround;
              houses.push({
                key: hKey,
                parentKey: uKey,
                name: number,
                number,
                floor: f,
                areaM2: commercial ? Math.round(rng.int(450, 1600)) / 10 : layout[h - 1],
                houseUse: commercial ? 'commercial' : 'residential',
              });
              houseCommunity.set(hKey, cKey);
            }
          }
        }
      }
    }
  }

  // ---- people ---------------------------------------------------------------
  const residents: DemoResident[] = [];
  const households: DemoHousehold[] = [];
  const usedIds = new Set<string>();
  const usedPhones = new Set<string>();

  const surname = () => rng.weighted(SURNAMES);
  const givenName = (gender: '1' | '2') => {
    const pool = gender === '1' ? GIVEN_MALE : GIVEN_FEMALE;
    const a = rng.pick(pool);
    if (rng.chance(0.3)) return a;
    let b = rng.pick(pool);
    while (b === a) b = rng.pick(pool);
    return a + b;
  };
  /** Birth date for someone aged exactly `age` today (birthday within the past year). */
  const birthFor = (age: number) => {
    const latest = addDays(today, -7); // keep births at least a week in the past
    const offset = rng.int(0, 364);
    const anchor = `${Number(latest.slice(0, 4)) - age}${latest.slice(4)}`;
    // Feb 29 cannot be an anchor in a non-leap year; fall back to Feb 28.
    const safeAnchor = anchor.endsWith('-02-29') ? anchor.replace('-02-29', '-02-28') : anchor;
    return addDays(safeAnchor, -offset);
  };
  const ageOf = (birthDate: string) => {
    let a = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
    if (today.slice(5) < birthDate.slice(5)) a--;
    return a;
  };
  const idNumber = (gender: '1' | '2', birthDate: string, division?: string) => {
    for (;;) {
      const div = division ?? rng.weighted(DIVISIONS);
      const genderDigit = gender === '1' ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]);
      const seq = String(rng.int(0, 99) * 10 + genderDigit).padStart(3, '0');
      const id = makeIdNumber(div, birthDate, seq);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const phone = (age: number): string | null => {
    if (age < 14) return null;
    if (age >= 85 && rng.chance(0.4)) return null;
    for (;;) {
      const p = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };

  interface PersonSpec {
    gender: '1' | '2';
    age: number;
    family?: string;
    ethnicity?: string;
    division?: string;
  }
  const person = (spec: PersonSpec): DemoResident => {
    const birthDate = birthFor(spec.age);
    const age = ageOf(birthDate);
    const sname = spec.family ?? surname();
    const tags: string[] = [];
    if (age >= 18 && rng.chance(age >= 50 ? 0.12 : 0.06)) tags.push('party_member');
    if (spec.gender === '1' && age >= 35 && rng.chance(0.05)) tags.push('veteran');
    if (rng.chance(age >= 60 ? 0.05 : 0.015)) tags.push('disabled');
    if (age >= 18 && age < 70 && rng.chance(0.02)) tags.push('volunteer');
    const r: DemoResident = {
      key: `resident:${String(residents.length + 1).padStart(4, '0')}`,
      name: sname + givenName(spec.gender),
      idType: '01',
      idNumber: idNumber(spec.gender, birthDate, spec.division),
      gender: spec.gender,
      birthDate,
      ethnicity: spec.ethnicity ?? rng.weighted(ETHNICITIES),
      phone: phone(age),
      tags,
      status: 'active',
    };
    residents.push(r);
    return r;
  };
  const familyNameOf = (r: DemoResident) => {
    const compound = SURNAMES.find(([s]) => s.length === 2 && r.name.startsWith(s));
    return compound ? compound[0] : r.name.slice(0, 1);
  };

  type Kind = 'elderAlone' | 'elderCouple' | 'single' | 'couple' | 'nuclear' | 'threeGen' | 'adultChild' | 'singleParent';
  const kinds: readonly (readonly [Kind, number])[] = [
    ['elderAlone', 7],
    ['elderCouple', 12],
    ['single', 13],
    ['couple', 15],
    ['nuclear', 24],
    ['threeGen', 12],
    ['adultChild', 12],
    ['singleParent', 5],
  ];

  const residential = rng.shuffle(houses.filter((h) => h.houseUse === 'residential').map((h) => h.key));
  // Make sure both communities get households: interleave by community.
  const byCommunity = new Map<string, string[]>();
  for (const k of residential) {
    const c = houseCommunity.get(k)!;
    if (!byCommunity.has(c)) byCommunity.set(c, []);
    byCommunity.get(c)!.push(k);
  }
  const queues = [...byCommunity.values()];
  const order: string[] = [];
  for (let i = 0; order.length < residential.length; i++) {
    for (const q of queues) if (i < q.length) order.push(q[i]);
  }

  let hh = 0;
  for (const houseKey of order) {
    if (residents.length >= TARGET_RESIDENTS) break;
    hh++;
    const kind = rng.weighted(kinds);
    const tenant = kind === 'single' || kind === 'couple' ? rng.chance(0.45) : kind === 'nuclear' ? rng.chance(0.15) : false;
    const lowIncome = rng.chance(kind === 'elderAlone' || kind === 'singleParent' ? 0.12 : 0.015);
    const hhEthnicity = rng.weighted(ETHNICITIES);
    const members: DemoMember[] = [];

    // Move-in of the household: tenants recently, owners up to ~28 years ago.
    const hhMoveIn = tenant ? addDays(today, -rng.int(30, 5 * 365)) : addDays(today, -rng.int(120, 28 * 365));

    const add = (r: DemoResident, relation: string, role: DemoMember['role'], moveIn?: string) => {
      members.push({ residentKey: r.key, role, relation, moveIn: maxDate(moveIn ?? hhMoveIn, r.birthDate) });
    };
    const headRole: DemoMember['role'] = tenant ? 'tenant' : 'owner';
    const otherRole: DemoMember['role'] = tenant ? 'tenant' : 'family';

    const couple = (minAge: number, maxAge: number) => {
      const headMale = rng.chance(0.72);
      const headAge = rng.int(minAge, maxAge);
      const spouseAge = Math.max(20, Math.min(95, headAge + (headMale ? -rng.int(-2, 5) : rng.int(-2, 5))));
      const head = person({ gender: headMale ? '1' : '2', age: headAge, ethnicity: hhEthnicity });
      const spouse = person({ gender: headMale ? '2' : '1', age: spouseAge, ethnicity: rng.chance(0.9) ? hhEthnicity : undefined });
      add(head, '02', headRole);
      add(spouse, '10', headRole);
      const husband = headMale ? head : spouse;
      return { head, spouse, family: familyNameOf(husband), youngerAge: Math.min(headAge, spouseAge) };
    };
    const child = (family: string, age: number) => {
      const g: '1' | '2' = rng.chance(0.51) ? '1' : '2';
      const c = person({ gender: g, age, family, ethnicity: hhEthnicity, division: age < 30 && rng.chance(0.85) ? '110105' : undefined });
      add(c, g === '1' ? '20' : '30', otherRole);
      return c;
    };
    const parent = (gender: '1' | '2', age: number, family?: string) => {
      const p = person({ gender, age, family, ethnicity: hhEthnicity });
      // Parents often joined a few years after the household moved in.
      add(p, '50', otherRole, minDate(addDays(hhMoveIn, rng.int(0, 3 * 365)), addDays(today, -14)));
      return p;
    };

    switch (kind) {
      case 'elderAlone': {
        const r = person({ gender: rng.chance(0.65) ? '2' : '1', age: rng.int(66, 94), ethnicity: hhEthnicity });
        r.tags.push('living_alone');
        add(r, '02', 'owner');
        break;
      }
      case 'elderCouple':
        couple(60, 84);
        break;
      case 'single': {
        const r = person({ gender: rng.chance(0.5) ? '1' : '2', age: rng.int(22, 45), ethnicity: hhEthnicity });
        add(r, '02', headRole);
        break;
      }
      case 'couple':
        couple(25, 40);
        break;
      case 'nuclear': {
        const c = couple(30, 56);
        const n = rng.weighted([
          [1, 7],
          [2, 3],
          [3, 1],
        ] as const);
        const eldest = Math.min(c.youngerAge - 22, rng.int(2, 28));
        for (let i = 0; i < n; i++) child(c.family, Math.max(0, eldest - i * rng.int(2, 5)));
        break;
      }
      case 'threeGen': {
        const c = couple(33, 52);
        const headMale = c.head.gender === '1';
        const n = rng.weighted([
          [1, 3],
          [2, 1],
        ] as const);
        const eldest = Math.min(c.youngerAge - 22, rng.int(1, 22));
        for (let i = 0; i < n; i++) child(c.family, Math.max(0, eldest - i * rng.int(2, 4)));
        const parentAge = Math.min(95, ageOf(c.head.birthDate) + rng.int(24, 32));
        const headFamily = familyNameOf(c.head);
        if (members.length < 5 && rng.chance(0.6)) parent('2', Math.min(95, parentAge - rng.int(0, 3)));
        if (members.length < 5 && rng.chance(0.5)) parent('1', Math.min(95, parentAge), headFamily);
        if (members.length === 2 + n) parent(rng.chance(0.6) ? '2' : '1', Math.min(95, parentAge), headMale ? headFamily : undefined);
        break;
      }
      case 'adultChild': {
        const c = couple(50, 72);
        child(c.family, rng.int(18, Math.max(18, Math.min(32, c.youngerAge - 22))));
        // Occasionally an adult child has since moved out of the community.
        if (rng.chance(0.3)) {
          const g: '1' | '2' = rng.chance(0.5) ? '1' : '2';
          const age = rng.int(24, Math.max(24, Math.min(38, c.youngerAge - 20)));
          const r = person({ gender: g, age, family: c.family, ethnicity: hhEthnicity, division: '110105' });
          const moveIn = maxDate(hhMoveIn, r.birthDate);
          const moveOut = minDate(addDays(today, -rng.int(30, 3 * 365)), addDays(today, -30));
          if (moveOut > moveIn) {
            members.push({
              residentKey: r.key,
              role: 'family',
              relation: g === '1' ? '20' : '30',
              moveIn,
              moveOut,
              moveOutReason: rng.pick(['婚后迁出', '工作调动', '购房迁出']),
            });
            r.status = 'moved_out';
          } else {
            add(r, g === '1' ? '20' : '30', 'family');
          }
        }
        break;
      }
      case 'singleParent': {
        const g: '1' | '2' = rng.chance(0.75) ? '2' : '1';
        const head = person({ gender: g, age: rng.int(30, 48), ethnicity: hhEthnicity });
        add(head, '02', 'owner');
        child(familyNameOf(head), rng.int(5, 20));
        if (rng.chance(0.4)) {
          const grandparentAge = rng.int(58, 78);
          parent(rng.chance(0.6) ? '2' : '1', grandparentAge);
        }
        break;
      }
    }

    // Occasionally a grandchild lives with grandparents (elder couple).
    if (kind === 'elderCouple' && rng.chance(0.2) && members.length < 5) {
      const head = residents.find((r) => r.key === members[0].residentKey)!;
      const g: '1' | '2' = rng.chance(0.5) ? '1' : '2';
      const gc = person({ gender: g, age: rng.int(2, 12), family: familyNameOf(head), ethnicity: hhEthnicity, division: '110105' });
      add(gc, '40', 'family');
    }

    if (lowIncome) {
      for (const m of members) {
        const r = residents.find((x) => x.key === m.residentKey)!;
        if (!r.tags.includes('low_income')) r.tags.push('low_income');
      }
    }

    households.push({ key: `household:${String(hh).padStart(4, '0')}`, houseKey, members });
  }

  return { seed, today, regions, communities, estates, buildings, units, houses, households, residents };
}
