// Survey results: counts per option, rating distribution and mean, matrix cross-counts, mean rank
// per option, and the latest texts. One pass over the answers.
import type { Question } from './surveys.questions.js';

export function aggregate(qs: Question[], responses: Record<string, unknown>[]) {
  return qs.map((q) => {
    const answers = responses.map((r) => r[q.id]).filter((v) => v != null);
    const base = { id: q.id, type: q.type, title: q.title, answered: answers.length };
    const opts = q.options ?? [];
    switch (q.type) {
      case 'single':
      case 'multiple': {
        const counts = Object.fromEntries(opts.map((o) => [o, 0]));
        for (const a of answers) for (const o of Array.isArray(a) ? a : [a]) if (o in counts) counts[o as string]++;
        return { ...base, options: opts.map((o) => ({ option: o, count: counts[o] })) };
      }
      case 'rating': {
        const scale = q.scale ?? 5;
        const dist = Array.from({ length: scale }, (_, i) => ({ value: i + 1, count: 0 }));
        let sum = 0;
        for (const a of answers as number[]) {
          dist[a - 1].count++;
          sum += a;
        }
        return { ...base, distribution: dist, mean: answers.length ? Math.round((sum / answers.length) * 100) / 100 : null };
      }
      case 'matrix_single':
      case 'matrix_multiple': {
        const grid = (q.rows ?? []).map((row) => ({ row, options: opts.map((o) => ({ option: o, count: 0 })) }));
        for (const a of answers as Record<string, string | string[]>[]) {
          for (const g of grid)
            for (const o of [a[g.row]].flat()) {
              const cell = g.options.find((c) => c.option === o);
              if (cell) cell.count++;
            }
        }
        return { ...base, rows: grid };
      }
      case 'ranking': {
        const sums = Object.fromEntries(opts.map((o) => [o, 0]));
        for (const a of answers as string[][]) a.forEach((o, i) => (sums[o] += i + 1));
        return {
          ...base,
          options: opts
            .map((o) => ({ option: o, meanRank: answers.length ? Math.round((sums[o] / answers.length) * 100) / 100 : null }))
            .sort((x, y) => (x.meanRank ?? 0) - (y.meanRank ?? 0)),
        };
      }
      default:
        return { ...base, texts: (answers as string[]).slice(-50) };
    }
  });
}
