// IC card numbers and Wiegand frames. Readers report a card either as the number printed on it
// (decimal) or as the raw Wiegand bits; both normalise to the decimal value of the data bits, so
// one card matches however its reader reports it. Written by hand: the framing is a few lines and
// no maintained npm library covers it.
//   Wiegand 26: P(even over bits 1-13) + 8-bit facility + 16-bit card + P(odd over bits 14-26)
//   Wiegand 34: P(even over bits 1-17) + 16-bit facility + 16-bit card + P(odd over bits 18-34)

export type CardFormat = 'w26' | 'w34';

export interface ParsedCard {
  format: CardFormat;
  number: string; // decimal of the data bits (24 or 32 bits)
  facility: number;
  card: number;
}

export type CardError = 'access.card_bad_bits' | 'access.card_parity' | 'access.card_number' | 'access.card_too_large';

const ones = (s: string) => [...s].filter((c) => c === '1').length;

/** Parse raw Wiegand bits ("0"/"1", 26 or 34 of them). */
export function parseWiegand(bits: string): ParsedCard | CardError {
  if (!/^[01]+$/.test(bits) || (bits.length !== 26 && bits.length !== 34)) return 'access.card_bad_bits';
  const half = bits.length / 2;
  // leading parity makes the first half even; trailing parity makes the second half odd
  if (ones(bits.slice(0, half)) % 2 !== 0 || ones(bits.slice(half)) % 2 !== 1) return 'access.card_parity';
  const data = bits.slice(1, -1);
  const facilityBits = bits.length === 26 ? 8 : 16;
  const facility = parseInt(data.slice(0, facilityBits), 2);
  const card = parseInt(data.slice(facilityBits), 2);
  return { format: bits.length === 26 ? 'w26' : 'w34', number: String(facility * 65536 + card), facility, card };
}

/** Build a Wiegand frame for a card number (tests, the demo simulator). */
export function toWiegand(format: CardFormat, n: number): string {
  const dataBits = format === 'w26' ? 24 : 32;
  const data = n.toString(2).padStart(dataBits, '0');
  const half = dataBits / 2;
  const lead = ones(data.slice(0, half)) % 2 === 0 ? '0' : '1';
  const trail = ones(data.slice(half)) % 2 === 1 ? '0' : '1';
  return lead + data + trail;
}

/** Normalise a card as entered by staff or sent by a reader: Wiegand bits, or a decimal number that must fit the format. */
export function normaliseCard(value: string, format: CardFormat): ParsedCard | CardError {
  const v = value.trim();
  if (/^[01]{26}$|^[01]{34}$/.test(v) && v.length === (format === 'w26' ? 26 : 34)) return parseWiegand(v);
  if (!/^\d{1,10}$/.test(v)) return 'access.card_number';
  const n = Number(v);
  const max = format === 'w26' ? 2 ** 24 - 1 : 2 ** 32 - 1;
  if (n > max) return 'access.card_too_large';
  return { format, number: String(n), facility: Math.floor(n / 65536), card: n % 65536 };
}

/** What a decision request carries for a card: bits (format from their length) or a decimal number. */
export function cardFromReader(value: string): string | null {
  const v = value.trim();
  if (/^[01]{26}$|^[01]{34}$/.test(v)) {
    const p = parseWiegand(v);
    return typeof p === 'string' ? null : p.number;
  }
  return /^\d{1,10}$/.test(v) ? String(Number(v)) : null;
}

export const maskCard = (n: string) => (n.length <= 4 ? '****' : '****' + n.slice(-4));
