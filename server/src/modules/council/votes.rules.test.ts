// Vote math against hand-computed cases, at and around every threshold. Areas are centi-m².
import { describe, expect, it } from 'vitest';
import { decide, toCenti, type Choice, type Count, type RuleSpec } from './votes.rules.js';

const c = (heads: number, area = 0): Count => ({ heads, area });
const tally = (yes: Count, no: Count = c(0), abstain: Count = c(0)): Record<Choice, Count> => ({ yes, no, abstain });
const art278 = (major: boolean): RuleSpec => ({ rule: 'art278', major, quorum: null, threshold: null });
const simple = (quorum: RuleSpec['quorum'] = null): RuleSpec => ({ rule: 'simple', major: false, quorum, threshold: null });

describe('Civil Code Art. 278 — participation (≥ 2/3 of area and ≥ 2/3 of owners)', () => {
  // 9 owners holding 900.00 m² (90 000 centi-m²)
  const roll = c(9, 90_000);
  it('exactly 2/3 of owners and exactly 2/3 of area take part → counted', () => {
    // 6 of 9 owners, 600.00 of 900.00 m²; all yes
    const v = decide(art278(false), { roll, tally: tally(c(6, 60_000)) });
    expect(v.outcome).toBe('passed');
    expect(v.checks.slice(0, 2).every((x) => x.met)).toBe(true);
  });
  it('one centi-m² short of 2/3 of the area → quorum not met, decided by the area', () => {
    const v = decide(art278(false), { roll, tally: tally(c(6, 59_999)) });
    expect(v.outcome).toBe('quorum_not_met');
    expect(v.decidedBy).toBe('art278.participation.area');
  });
  it('enough area but one owner short of 2/3 → quorum not met, decided by the heads', () => {
    // 5 of 9 owners holding 700.00 m²
    const v = decide(art278(true), { roll, tally: tally(c(5, 70_000)) });
    expect(v.outcome).toBe('quorum_not_met');
    expect(v.decidedBy).toBe('art278.participation.heads');
  });
});

describe('Art. 278 — major matter (items 6–8): ≥ 3/4 of participating area and owners', () => {
  const roll = c(10, 100_000);
  // 8 owners took part with 800.00 m²
  it('exactly 3/4 of area and exactly 3/4 of owners → passed', () => {
    // yes: 6 owners, 600.00 m²; no: 2 owners, 200.00 m²
    const v = decide(art278(true), { roll, tally: tally(c(6, 60_000), c(2, 20_000)) });
    expect(v.outcome).toBe('passed');
    expect(v.decidedBy).toBe('art278.major');
  });
  it('3/4 of owners but 0.01 m² short of 3/4 of area → failed on area', () => {
    const v = decide(art278(true), { roll, tally: tally(c(6, 59_999), c(2, 20_001)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('art278.major.area');
  });
  it('area well above 3/4 but owners 5/8 → failed on heads', () => {
    // yes: 5 owners with 700.00 m²; no: 3 owners with 100.00 m²
    const v = decide(art278(true), { roll, tally: tally(c(5, 70_000), c(3, 10_000)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('art278.major.heads');
  });
  it('abstentions count as participating (they raise the bar)', () => {
    // yes 6 / 600 m², abstain 2 / 200 m²: 6/8 and 600/800 → exactly 3/4 → passed
    expect(decide(art278(true), { roll, tally: tally(c(6, 60_000), c(0), c(2, 20_000)) }).outcome).toBe('passed');
    // one more abstaining owner with 1 m² tips both below 3/4
    expect(decide(art278(true), { roll, tally: tally(c(6, 60_000), c(0), c(3, 20_100)) }).outcome).toBe('failed');
  });
});

describe('Art. 278 — other matters: more than 1/2 of participating area and owners', () => {
  const roll = c(8, 80_000);
  it('exactly half of the owners is not more than half → failed', () => {
    // 8 take part; yes 4 owners with 500.00 m²
    const v = decide(art278(false), { roll, tally: tally(c(4, 50_000), c(4, 30_000)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('art278.ordinary.heads');
  });
  it('exactly half of the area is not more than half → failed', () => {
    const v = decide(art278(false), { roll, tally: tally(c(5, 40_000), c(3, 40_000)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('art278.ordinary.area');
  });
  it('one centi-m² over half and a majority of owners → passed', () => {
    const v = decide(art278(false), { roll, tally: tally(c(5, 40_001), c(3, 39_999)) });
    expect(v.outcome).toBe('passed');
    expect(v.decidedBy).toBe('art278.ordinary');
  });
  it('uses integer areas: 3 × 33.33 m² vs 99.99 m² is exact', () => {
    // float: 33.33*3 = 99.99 but 0.1+0.2-style errors vanish once areas are centi-m²
    expect(toCenti(33.33) * 3).toBe(toCenti(99.99));
    expect(toCenti(88.5)).toBe(8850);
    expect(toCenti(0.1 + 0.2)).toBe(30);
  });
});

describe('simple majority, quorum, custom threshold', () => {
  it('a tie fails', () => {
    const v = decide(simple(), { roll: c(10), tally: tally(c(3), c(3)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('simple');
  });
  it('more yes than half of the ballots passes; abstentions count as cast', () => {
    expect(decide(simple(), { roll: c(10), tally: tally(c(3), c(2)) }).outcome).toBe('passed');
    // 2 yes, 1 no, 1 abstain: 2 is not more than half of 4
    expect(decide(simple(), { roll: c(10), tally: tally(c(2), c(1), c(1)) }).outcome).toBe('failed');
  });
  it('quorum of 1/2: 4 of 10 not met, 5 of 10 met', () => {
    const q = { num: 1, den: 2 };
    const v = decide(simple(q), { roll: c(10), tally: tally(c(4)) });
    expect(v.outcome).toBe('quorum_not_met');
    expect(v.decidedBy).toBe('quorum');
    expect(decide(simple(q), { roll: c(10), tally: tally(c(4), c(1)) }).outcome).toBe('passed');
  });
  it('custom threshold 2/3: exactly 2/3 passes, just under fails', () => {
    const spec: RuleSpec = { rule: 'threshold', major: false, quorum: null, threshold: { num: 2, den: 3 } };
    expect(decide(spec, { roll: c(10), tally: tally(c(2), c(1)) }).outcome).toBe('passed');
    const v = decide(spec, { roll: c(10), tally: tally(c(3), c(2)) });
    expect(v.outcome).toBe('failed');
    expect(v.decidedBy).toBe('threshold');
  });
  it('no ballots at all never passes', () => {
    expect(decide(simple(), { roll: c(3), tally: tally(c(0)) }).outcome).toBe('failed');
    const spec: RuleSpec = { rule: 'threshold', major: false, quorum: null, threshold: { num: 0, den: 1 } };
    expect(decide(spec, { roll: c(3), tally: tally(c(0)) }).outcome).toBe('failed');
  });
});
