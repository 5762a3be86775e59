// IC card numbers and Wiegand frames. A card reaches Linli in one of four forms; all normalise to
// the decimal value of the data bits (facility × 65536 + card), so one card matches however it is
// written or reported. Written by hand: the framing is a few lines and no maintained npm library
// covers it.
//   Wiegand 26: P(even over bits 1-13) + 8-bit facility + 16-bit card + P(odd over bits 14-26)
//   Wiegand 34: P(even over bits 1-17) + 16-bit facility + 16-bit card + P(odd over bits 18-34)
// Forms (the rule for a plain decimal is in docs/api/access.md, "Card numbers"):
//   'bits'    the raw frame, 26 or 34 "0"/"1" with parity;
//   'fc/cn'   facility and card written apart: "100/58399", "100:58399", "100,58399";
//   'printed' the 8-digit number cards and controllers print for a 26-bit card, facility × 100000 +
//             card ("10058399" = FC 100 / CN 58399; uhppoted's controllers report cards this way);
//   'raw'     the decimal of the data bits ("6612767" for that card; the 10-digit number printed on
//             EM/Mifare cards is this form, zero-padded).
// A plain decimal of 6 to 8 digits whose leading 1-3 digits are ≤ 255 and whose last 5 digits are
// ≤ 65535 is read as printed; every other decimal is raw. Below 100000 both readings give the same
// card (FC 0); a raw value that looks printed is entered zero-padded to 10 digits.

export type CardFormat = 'w26' | 'w34';

export type CardForm = 'bits' | 'fc/cn' | 'printed' | 'raw';

export interface ParsedCard {
  format: CardFormat;
  number: string; // decimal of the data bits (24 or 32 bits)
  facility: number;
  card: number;
  form: CardForm; // how the value was written
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
  return { format: bits.length === 26 ? 'w26' : 'w34', number: String(facility * 65536 + card), facility, card, form: 'bits' };
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

const FC_CN = /^(\d{1,5})\s*[/:,]\s*(\d{1,5})$/;

/** A decimal or FC/CN written by a person or sent by a reader, read by the rule above; `max` bounds the data bits. */
function fromDecimal(v: string, format: CardFormat, max: number): ParsedCard | CardError {
  const fc = FC_CN.exec(v);
  if (fc) {
    const facility = Number(fc[1]);
    const card = Number(fc[2]);
    if (card > 0xffff || facility > (format === 'w26' ? 0xff : 0xffff)) return 'access.card_too_large';
    return { format, number: String(facility * 65536 + card), facility, card, form: 'fc/cn' };
  }
  if (!/^\d{1,10}$/.test(v)) return 'access.card_number';
  const n = Number(v);
  const facility = Math.floor(n / 100000);
  const card = n % 100000;
  if (v.length >= 6 && v.length <= 8 && facility <= 0xff && card <= 0xffff)
    return { format, number: String(facility * 65536 + card), facility, card, form: 'printed' };
  if (n > max) return 'access.card_too_large';
  return { format, number: String(n), facility: Math.floor(n / 65536), card: n % 65536, form: 'raw' };
}

/** Normalise a card as entered by staff: Wiegand bits, FC/CN, the printed number or the raw decimal, fitting the format. */
export function normaliseCard(value: string, format: CardFormat): ParsedCard | CardError {
  const v = value.trim();
  if (/^[01]{26}$|^[01]{34}$/.test(v) && v.length === (format === 'w26' ? 26 : 34)) return parseWiegand(v);
  return fromDecimal(v, format, format === 'w26' ? 2 ** 24 - 1 : 2 ** 32 - 1);
}

/** What a decision request carries for a card: bits (format from their length), or a decimal / FC/CN read by the same rule as staff entry. */
export function cardFromReader(value: string): string | null {
  const v = value.trim();
  const p = /^[01]{26}$|^[01]{34}$/.test(v) ? parseWiegand(v) : fromDecimal(v, 'w34', 2 ** 32 - 1);
  return typeof p === 'string' ? null : p.number;
}

export const maskCard = (n: string) => (n.length <= 4 ? '****' : '****' + n.slice(-4));
