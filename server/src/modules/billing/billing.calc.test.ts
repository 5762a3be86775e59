import { describe, expect, it } from 'vitest';
import { dueDateOf, lateFee, roundFen, tieredRaw, validTiers, discountFen } from './billing.calc.js';

// Beijing-style residential electricity tiers: 0–240 kWh at 0.4883, 241–400 at 0.5383, above at 0.7883 yuan
const tiers = [
  { upTo: 24000, unitPrice: 4883 },
  { upTo: 40000, unitPrice: 5383 },
  { upTo: null, unitPrice: 7883 },
];
const yuan = (kwh: number) => roundFen(tieredRaw(kwh * 100, tiers, 0).raw, 'half_up', 'fen');

describe('tiered tariffs (阶梯价)', () => {
  it('prices each part of the use at its own tier, exactly at the boundaries', () => {
    expect(yuan(240)).toBe(11719); // 240 × 0.4883 = 117.192
    expect(yuan(241)).toBe(11719 + 54); // + 1 × 0.5383 = 117.7303 → 117.73
    expect(yuan(400)).toBe(Math.round(240 * 48.83 + 160 * 53.83)); // 203.32
    expect(yuan(401)).toBe(Math.round(240 * 48.83 + 160 * 53.83 + 78.83)); // 204.1083 → 204.11
    expect(yuan(0)).toBe(0);
  });
  it('a flat price when there are no tiers', () => {
    expect(roundFen(tieredRaw(8850, [], 23500).raw, 'half_up', 'fen')).toBe(20798); // 88.50 m² × 2.35 = 207.975
  });
  it('checks tier limits', () => {
    expect(validTiers(tiers)).toBe(true);
    expect(
      validTiers([
        { upTo: 100, unitPrice: 1 },
        { upTo: 50, unitPrice: 2 },
        { upTo: null, unitPrice: 3 },
      ]),
    ).toBe(false);
    expect(validTiers([{ upTo: 100, unitPrice: 1 }])).toBe(false);
    expect(
      validTiers([
        { upTo: null, unitPrice: 1 },
        { upTo: null, unitPrice: 2 },
      ]),
    ).toBe(false);
  });
});

describe('rounding per item', () => {
  // raw amounts are in 1/10000 fen
  it('half up, down and up to the fen', () => {
    expect(roundFen(2_079_750, 'half_up', 'fen')).toBe(208); // 207.975 fen → 208
    expect(roundFen(2_074_999, 'half_up', 'fen')).toBe(207);
    expect(roundFen(2_075_000, 'half_up', 'fen')).toBe(208);
    expect(roundFen(2_079_999, 'down', 'fen')).toBe(207);
    expect(roundFen(2_070_001, 'up', 'fen')).toBe(208);
    expect(roundFen(2_070_000, 'up', 'fen')).toBe(207);
  });
  it('to the jiao (角)', () => {
    expect(roundFen(20_797_500, 'half_up', 'jiao')).toBe(2080); // 2079.75 fen → 208.0 jiao
    expect(roundFen(20_749_999, 'half_up', 'jiao')).toBe(2070);
    expect(roundFen(20_750_000, 'half_up', 'jiao')).toBe(2080);
    expect(roundFen(20_799_999, 'down', 'jiao')).toBe(2070);
    expect(roundFen(20_700_001, 'up', 'jiao')).toBe(2080);
  });
  it('discounts round in the resident’s favour', () => {
    expect(discountFen(20797, 50)).toBe(10398);
  });
});

describe('late fees', () => {
  const base = { unpaidFen: 10000, amountFen: 10000, dueDate: '2026-01-31', graceDays: 10, rateBp: 5, capBp: 1000 };
  it('nothing during the grace days, the daily rate after, never above the cap', () => {
    expect(lateFee({ ...base, today: '2026-01-31' })).toBe(0);
    expect(lateFee({ ...base, today: '2026-02-10' })).toBe(0); // day 10 of grace
    expect(lateFee({ ...base, today: '2026-02-11' })).toBe(5); // first day after grace: 0.05 % of 100 yuan
    expect(lateFee({ ...base, today: '2026-02-20' })).toBe(50);
    // cap 10 % = 1000 fen, reached after 200 days
    expect(lateFee({ ...base, today: '2026-08-28' })).toBe(995);
    expect(lateFee({ ...base, today: '2026-08-29' })).toBe(1000);
    expect(lateFee({ ...base, today: '2026-08-30' })).toBe(1000);
    expect(lateFee({ ...base, today: '2027-12-31' })).toBe(1000);
  });
  it('nothing when paid or when the item has no late fee', () => {
    expect(lateFee({ ...base, unpaidFen: 0, today: '2026-05-01' })).toBe(0);
    expect(lateFee({ ...base, rateBp: 0, today: '2026-05-01' })).toBe(0);
  });
  it('due date: end of the period plus the due days', () => {
    expect(dueDateOf('2026-02', 15)).toBe('2026-03-15');
    expect(dueDateOf('2026-12', 0)).toBe('2026-12-31');
  });
});
