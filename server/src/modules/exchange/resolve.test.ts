// Entity resolution on generated records with realistic noise: precision and recall of the
// automatic links, and the comparisons one by one.
import { describe, expect, it } from 'vitest';
import { addressTokens, compare, compareDate, compareName, Linker, normaliseName, thresholds } from './resolve.js';
import { incoming, population, seeded } from './resolve.noise.js';

describe('entity resolution (Fellegi–Sunter)', () => {
  it('compares names across simplified/traditional, homophones and typos', () => {
    expect(normaliseName('劉 曉東')).toBe('刘晓东');
    expect(compareName('刘晓东', '劉曉東')).toBe('exact');
    expect(compareName('王丽', '王莉')).toBe('pinyin');
    expect(compareName('张志强', '张智强')).toBe('pinyin');
    expect(compareName('张志强', '张志刚')).toBe('similar');
    expect(compareName('张志强', '李文博')).toBe('different');
  });

  it('compares birth dates with day and month swapped', () => {
    expect(compareDate('1956-03-07', '1956-07-03')).toBe('swapped');
    expect(compareDate('1956-03-07', '1956-03-08')).toBe('partial');
    expect(compareDate('1956-03-07', null)).toBe('missing');
  });

  it('reads addresses written in different ways as the same tokens', () => {
    expect([...addressTokens('花家地西里 3号楼 2单元 301')].sort()).toEqual([...addressTokens('朝阳区花家地西里3栋2单元301室')].sort());
    expect([...addressTokens('花家地西里 3-2-301')].sort()).toEqual([...addressTokens('花家地西里 3号楼 2单元 301')].sort());
    const levels = compare(
      { name: '王伟', birthDate: '1960-01-02', gender: '1', phone: null, address: '花家地西里 3号楼 2单元 301' },
      { name: '王偉', birthDate: '1960-02-01', gender: '1', phone: 'x', address: '花家地西里3幢2门301' },
    );
    expect(levels).toEqual({ name: 'exact', birthDate: 'swapped', gender: 'agree', phone: 'missing', address: 'agree' });
  });

  it('links 10,000 noisy records against 20,000 residents with precision ≥ 0.98 and recall ≥ 0.95', () => {
    const rng = seeded(20261207);
    const residents = population(rng, 20_000);
    const records = incoming(rng, residents, 10_000, 0.7);
    const linker = new Linker(residents);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let review = 0;
    let reviewTrue = 0;
    const noiseSeen = new Map<string, number>();
    for (const r of records) {
      for (const n of r.noise) noiseSeen.set(n, (noiseSeen.get(n) ?? 0) + 1);
      const m = linker.match(r);
      if (m.decision === 'review') {
        review++;
        if (r.truth && m.best?.candidateId === r.truth) reviewTrue++;
      }
      if (m.decision === 'link') {
        if (m.best!.candidateId === r.truth) tp++;
        else fp++;
      }
      if (r.truth && !(m.decision === 'link' && m.best!.candidateId === r.truth)) fn++;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const figures = {
      records: records.length,
      residents: residents.length,
      trueMatches: records.filter((r) => r.truth).length,
      linked: tp + fp,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      sentToReview: review,
      reviewWithTrueCandidateFirst: reviewTrue,
      precision: Math.round(precision * 10000) / 10000,
      recall: Math.round(recall * 10000) / 10000,
      thresholds,
      noise: Object.fromEntries(noiseSeen),
    };
    console.log('entity resolution figures', JSON.stringify(figures));
    // every kind of noise the issue names is in the set
    for (const n of ['typo', 'homophone', 'swapped_day_month', 'missing_phone', 'traditional']) expect(noiseSeen.get(n) ?? 0).toBeGreaterThan(200);
    expect(precision).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
