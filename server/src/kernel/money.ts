// Money is integer fen (分). Never a float on the way in or out.
export type Fen = number;

export function fen(n: number): Fen {
  if (!Number.isSafeInteger(n)) throw new RangeError(`money must be an integer number of fen, got ${n}`);
  return n;
}

/** Parse "12.34" / "12" / "-0.5" yuan into fen exactly (no float arithmetic). */
export function parseYuan(s: string): Fen {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new RangeError(`not an amount in yuan: "${s}"`);
  const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return fen(m[1] ? -v : v);
}

/** Format fen as yuan with two decimals: 123456 -> "1234.56". */
export function formatYuan(f: Fen): string {
  fen(f);
  const neg = f < 0;
  const a = Math.abs(f);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function sumFen(values: Fen[]): Fen {
  return fen(values.reduce((a, b) => a + b, 0));
}

/** Split an amount into n parts that add up exactly (largest-remainder). */
export function allocate(total: Fen, weights: number[]): Fen[] {
  fen(total);
  const w = weights.reduce((a, b) => a + b, 0);
  if (w <= 0) throw new RangeError('weights must add up to more than 0');
  const raw = weights.map((x) => (total * x) / w);
  const out = raw.map((x) => Math.floor(x));
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]] += 1;
  return out;
}
