// A generated population and department records of it with the noise real rolls carry: typos,
// homophones, traditional characters, day and month swapped, missing or changed phones, addresses
// written another way or out of date. Seeded, so every run sees the same records. Used by the
// resolution test and bench/exchange/link.ts.
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { swapDayMonth, type Candidate, type Person } from './resolve.js';

/** mulberry32: a small seeded generator (tests and benches must be repeatable). */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof seeded>;

// surnames with their rough share of the population (per mille), most common first
const SURNAMES: [string, number][] = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 21],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 10],
  ['谢', 8],
  ['宋', 8],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 7],
  ['彭', 6],
  ['曾', 6],
  ['萧', 6],
  ['田', 6],
  ['董', 5],
  ['潘', 5],
  ['袁', 5],
  ['蔡', 5],
  ['蒋', 5],
  ['余', 5],
];
const SURNAME_TOTAL = SURNAMES.reduce((s, [, n]) => s + n, 0);

// characters common in given names, and more of the same sounds to draw homophones from
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉丹鹏林峰宇浩凯晨欣怡子涵梓萱雨轩一诺佳琪思远博文俊杰嘉怡晓东海燕春梅秋菊冬雪德福永安金凤成龙立新卫东爱民淑珍桂芝';
const MORE =
  '维炜玮纬方芬那纳民闵镜丽莉励力墙蕾雷君阳杨永颜延焰捷洁姐娇韬涛滔铭鸣名秀绣夏侠霞萍苹评瓶钢港刚贵桂瑛鹰营樱画桦铧宇雨语浩昊皓锋峰枫丰辰臣尘新心馨歆怡宜仪思丝斯远源圆俊骏峻嘉家佳琪奇棋晓小孝东冬栋海凯恺楷燕艳雁春纯梅玫眉秋球菊局雪学德得福富付永泳勇安岸金今锦凤峰奉成诚程龙隆珑立丽历卫为未爱艾淑书舒珍真贞芝之知';

const byPinyin = new Map<string, string[]>();
for (const ch of new Set([...GIVEN, ...MORE])) {
  const p = pinyin(ch, { toneType: 'none' });
  const l = byPinyin.get(p) ?? [];
  l.push(ch);
  byPinyin.set(p, l);
}
/** Another character with the same toneless pinyin, when the table has one. */
function homophone(rng: Rng, ch: string): string | null {
  const others = (byPinyin.get(pinyin(ch, { toneType: 'none' })) ?? []).filter((x) => x !== ch);
  return others.length ? rng.pick(others) : null;
}

export const ESTATES = ['花家地西里', '花家地北里', '望京花园', '南湖东园', '利泽西园', '大西洋新城', '方舟苑', '望花路东里', '宝星园', '南湖中园'];
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

export function surname(rng: Rng): string {
  let x = rng.int(SURNAME_TOTAL);
  for (const [s, n] of SURNAMES) {
    if (x < n) return s;
    x -= n;
  }
  return '王';
}

export function givenName(rng: Rng): string {
  const g = [...GIVEN];
  return rng.chance(0.3) ? rng.pick(g) : rng.pick(g) + rng.pick(g);
}

export function birthDate(rng: Rng): string {
  const d = new Date(Date.UTC(1930, 0, 1) + rng.int(92 * 365) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function phone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(1e9)).padStart(9, '0')}`;
}

export interface Address {
  estate: string;
  building: number;
  unit: number;
  room: string;
}

export function address(rng: Rng): Address {
  return { estate: rng.pick(ESTATES), building: 1 + rng.int(30), unit: 1 + rng.int(6), room: `${1 + rng.int(18)}0${1 + rng.int(4)}` };
}

/** How the registry labels a house. */
export const addressLabel = (a: Address) => `${a.estate} ${a.building}号楼 ${a.unit}单元 ${a.room}`;

/** The same address as a department clerk might type it. */
function addressVariant(rng: Rng, a: Address): string {
  return rng.pick([
    `${a.estate}${a.building}栋${a.unit}单元${a.room}室`,
    `${a.estate}${a.building}-${a.unit}-${a.room}`,
    `朝阳区${a.estate}${a.building}号楼${a.unit}单元${a.room}号`,
    `${a.estate} ${a.building}幢 ${a.unit}门 ${a.room}`,
  ]);
}

/**
 * `n` residents in households of 1–4 sharing surname and address (family members are the
 * hardest non-matches). Phones present for 85 %.
 */
export function population(rng: Rng, n: number, idPrefix = 'res_'): Candidate[] {
  const out: Candidate[] = [];
  while (out.length < n) {
    const sn = surname(rng);
    const a = addressLabel(address(rng));
    const size = 1 + rng.int(4);
    for (let i = 0; i < size && out.length < n; i++) {
      out.push({
        id: `${idPrefix}${out.length}`,
        name: sn + givenName(rng),
        birthDate: birthDate(rng),
        gender: rng.pick(['1', '2']),
        phone: rng.chance(0.85) ? phone(rng) : null,
        address: a,
      });
    }
  }
  return out;
}

export interface NoisyRecord extends Person {
  /** The resident this record is about, or null for a person the registry does not hold. */
  truth: string | null;
  noise: string[];
}

const GIVEN_CHARS = [...GIVEN];

/** A department's record of a resident: the same person written with noise. */
export function noisy(rng: Rng, c: Candidate): NoisyRecord {
  const noise: string[] = [];
  let name = c.name;
  let bd = c.birthDate;
  let ph = c.phone;
  let addr: string | null = c.address;
  const chars = [...name];
  if (rng.chance(0.15)) {
    const i = 1 + rng.int(chars.length - 1);
    chars[i] = rng.pick(GIVEN_CHARS.filter((x) => x !== chars[i]));
    noise.push('typo');
  } else if (rng.chance(0.12)) {
    const i = 1 + rng.int(chars.length - 1);
    const h = homophone(rng, chars[i]);
    if (h) {
      chars[i] = h;
      noise.push('homophone');
    }
  }
  name = chars.join('');
  if (bd && rng.chance(0.12)) {
    const s = swapDayMonth(bd);
    if (s) {
      bd = s;
      noise.push('swapped_day_month');
    }
  } else if (bd && rng.chance(0.02)) {
    const day = Math.min(28, Math.max(1, Number(bd.slice(8)) + (rng.chance(0.5) ? 1 : -1)));
    bd = `${bd.slice(0, 8)}${String(day).padStart(2, '0')}`;
    noise.push('day_typo');
  }
  if (ph && rng.chance(0.4)) {
    ph = null;
    noise.push('missing_phone');
  } else if (rng.chance(0.03)) {
    ph = phone(rng);
    noise.push('changed_phone');
  }
  if (rng.chance(0.08)) {
    addr = addressLabel(address(rng));
    noise.push('moved');
  } else if (rng.chance(0.5)) {
    const m = /^(\S+) (\d+)号楼 (\d+)单元 (\d+)$/.exec(c.address ?? '');
    if (m) addr = addressVariant(rng, { estate: m[1], building: Number(m[2]), unit: Number(m[3]), room: m[4] });
    noise.push('address_format');
  }
  if (rng.chance(0.1)) {
    name = toTraditional(name);
    addr = addr && toTraditional(addr);
    noise.push('traditional');
  }
  return { name, birthDate: bd, gender: rng.chance(0.02) ? null : c.gender, phone: ph, address: addr, truth: c.id, noise };
}

/** `n` incoming records: `matchShare` of them noisy copies of residents, the rest people the registry lacks. */
export function incoming(rng: Rng, residents: Candidate[], n: number, matchShare = 0.7): NoisyRecord[] {
  const out: NoisyRecord[] = [];
  const strangers = population(rng, Math.ceil(n * (1 - matchShare)) + 8, 'new_');
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (rng.chance(matchShare)) out.push(noisy(rng, residents[rng.int(residents.length)]));
    else out.push({ ...noisy(rng, strangers[s++ % strangers.length]), truth: null });
  }
  return out;
}
