// Pure fee arithmetic, exact in integers. Quantities are hundredths of a unit (m², kWh, m³,
// spaces); unit prices are 1/100 fen (0.0001 yuan). quantity × price is then in 1/10000 fen,
// and rounding to fen or jiao happens once per bill line, as the fee item says.
export type Rounding = 'half_up' | 'down' | 'up';
export type RoundingUnit = 'fen' | 'jiao';

export interface Tier {
  /** Upper bound of the tier in hundredths of a unit (cumulative use), null for the last tier. */
  upTo: number | null;
  unitPrice: number;
}

const SCALE = 10_000; // 1/10000 fen per fen

/** Round an amount in 1/10000 fen to whole fen, to the step the unit asks (1 fen or 10 fen). */
export function roundFen(raw: number, rounding: Rounding, unit: RoundingUnit): number {
  const step = SCALE * (unit === 'jiao' ? 10 : 1);
  const neg = raw < 0;
  const a = Math.abs(raw);
  const q = Math.floor(a / step);
  const r = a - q * step;
  let n = q;
  if (rounding === 'up' && r > 0) n = q + 1;
  else if (rounding === 'half_up' && r * 2 >= step) n = q + 1;
  const fen = n * (unit === 'jiao' ? 10 : 1);
  return neg ? -fen : fen;
}

/** quantity × price over the tiers (阶梯价): each part of the use is priced by the tier it falls in. */
export function tieredRaw(quantity: number, tiers: Tier[], flatPrice: number): { raw: number; parts: { quantity: number; unitPrice: number }[] } {
  if (!tiers.length) return { raw: quantity * flatPrice, parts: [{ quantity, unitPrice: flatPrice }] };
  const parts: { quantity: number; unitPrice: number }[] = [];
  let from = 0;
  let raw = 0;
  for (const t of tiers) {
    if (from >= quantity) break;
    const to = t.upTo === null ? quantity : Math.min(quantity, t.upTo);
    if (to > from) {
      parts.push({ quantity: to - from, unitPrice: t.unitPrice });
      raw += (to - from) * t.unitPrice;
    }
    from = to;
  }
  return { raw, parts };
}

export function validTiers(tiers: Tier[]): boolean {
  if (!tiers.length) return true;
  for (let i = 0; i < tiers.length; i++) {
    const last = i === tiers.length - 1;
    if (last !== (tiers[i].upTo === null)) return false;
    if (i > 0 && !last && tiers[i].upTo! <= tiers[i - 1].upTo!) return false;
    if (i === 0 && !last && tiers[0].upTo! <= 0) return false;
  }
  return true;
}

/** Percent off, rounded down to the fen in the resident's favour. */
export function discountFen(amount: number, percentOff: number): number {
  return Math.floor((amount * percentOff) / 100);
}

/** Whole days from one calendar date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}

/**
 * Late fee owed on a date: a daily rate (1/10000 per day) on what is still unpaid, for each day
 * after the due date plus the grace days, never more than the cap (1/10000 of the bill amount).
 */
export function lateFee(o: { unpaidFen: number; amountFen: number; dueDate: string; today: string; graceDays: number; rateBp: number; capBp: number }): number {
  if (o.unpaidFen <= 0 || o.rateBp <= 0) return 0;
  const days = daysBetween(o.dueDate, o.today) - o.graceDays;
  if (days <= 0) return 0;
  const fee = Math.floor((o.unpaidFen * o.rateBp * days) / 10_000);
  const cap = Math.floor((o.amountFen * o.capBp) / 10_000);
  return Math.min(fee, cap);
}

/** The last calendar day of a period (YYYY-MM) plus n days. */
export function dueDateOf(period: string, dueDays: number): string {
  const [y, m] = period.split('-').map(Number);
  const end = Date.UTC(y, m, 0); // day 0 of next month = last day of this one
  return new Date(end + dueDays * 86_400_000).toISOString().slice(0, 10);
}

export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const isPeriod = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
