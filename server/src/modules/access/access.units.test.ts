// Pure parts of the decision: card frames, schedules (across midnight, holidays), rule tables
// (deny wins), QR token signing and verification.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardFromReader, normaliseCard, parseWiegand, toWiegand } from './access.cards.js';
import { evaluate, localTime, scheduleOpen, type Holder, type Rule, type Schedule } from './access.schedule.js';
import { decodeToken, generateKeyPair, publicKeyObject, signToken, verifyEd25519, verifyToken } from './access.qr.js';

describe('cards', () => {
  it('parses Wiegand 26 and 34 frames and checks both parity bits', () => {
    // facility 12, card 34567 → 12*65536+34567
    const w26 = toWiegand('w26', 12 * 65536 + 34567);
    expect(w26).toHaveLength(26);
    expect(parseWiegand(w26)).toEqual({ format: 'w26', number: String(12 * 65536 + 34567), facility: 12, card: 34567, form: 'bits' });
    const w34 = toWiegand('w34', 4_000_000_000);
    expect(w34).toHaveLength(34);
    expect(parseWiegand(w34)).toMatchObject({ format: 'w34', number: '4000000000' });
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '1' ? '0' : '1') + s.slice(i + 1);
    expect(parseWiegand(flip(w26, 0))).toBe('access.card_parity');
    expect(parseWiegand(flip(w26, 25))).toBe('access.card_parity');
    expect(parseWiegand(flip(w26, 5))).toBe('access.card_parity'); // a data bit: even half breaks
    expect(parseWiegand('0101')).toBe('access.card_bad_bits');
    expect(parseWiegand('2'.repeat(26))).toBe('access.card_bad_bits');
  });

  it('normalises card numbers to the format and reads readers either way', () => {
    expect(normaliseCard('16777215', 'w26')).toMatchObject({ number: '16777215' });
    expect(normaliseCard('16777216', 'w26')).toBe('access.card_too_large');
    expect(normaliseCard('16777216', 'w34')).toMatchObject({ number: '16777216' });
    expect(normaliseCard('12ab', 'w26')).toBe('access.card_number');
    expect(cardFromReader(toWiegand('w26', 777))).toBe('777');
    expect(cardFromReader('000777')).toBe('777');
    expect(cardFromReader('x')).toBeNull();
  });

  // Published worked examples:
  //  - uhppoted (uhppoted/uhppoted-breakout Rev.0/NOTES.md; uhppote-core status tests report CardNumber 10058399):
  //    card 10058399 = frame 0 0110 0100 1110 0100 0001 1111 1 (0C9C83F) = FC 100 / CN 58399;
  //  - wiegand-encoder (jessety/wiegand-encoder README): encode(324, 90) = 00101101000000001010001000;
  //  - wiegand-26bit-calculator (jonathansm/wiegand-26bit-calculator README): FC 227 / CN 57600 = 01110001111100001000000000.
  it('reads the printed number (FC × 100000 + CN), FC/CN and raw forms of the same card alike, as published examples do', () => {
    const uhppoted = '0' + '0110 0100 1110 0100 0001 1111'.replace(/ /g, '') + '1';
    const cases: [string, string, number, number][] = [
      [uhppoted, '10058399', 100, 58399],
      ['00101101000000001010001000', '9000324', 90, 324],
      ['01110001111100001000000000', '22757600', 227, 57600],
    ];
    for (const [bits, printed, fc, cn] of cases) {
      const raw = String(fc * 65536 + cn);
      expect(parseWiegand(bits)).toMatchObject({ number: raw, facility: fc, card: cn, form: 'bits' });
      expect(toWiegand('w26', fc * 65536 + cn)).toBe(bits);
      expect(normaliseCard(printed, 'w26')).toEqual({ format: 'w26', number: raw, facility: fc, card: cn, form: 'printed' });
      for (const sep of ['/', ':', ',', ' / '])
        expect(normaliseCard(`${fc}${sep}${String(cn).padStart(5, '0')}`, 'w26')).toMatchObject({ number: raw, form: 'fc/cn' });
      expect(normaliseCard(raw.padStart(10, '0'), 'w26')).toMatchObject({ number: raw, facility: fc, card: cn, form: 'raw' }); // the 10-digit label
      expect(cardFromReader(printed)).toBe(raw);
      expect(cardFromReader(bits)).toBe(raw);
      expect(cardFromReader(`${fc},${cn}`)).toBe(raw);
    }
    // 10058399 was read as the raw value before: FC 153 / CN 31391, another card
    expect(normaliseCard('10058399', 'w26')).not.toMatchObject({ facility: 153 });
    // decimals that cannot be printed form stay raw; ≤ 65535 reads the same either way
    expect(normaliseCard('16777215', 'w26')).toMatchObject({ number: '16777215', form: 'raw' }); // CN part 77215 > 65535
    expect(normaliseCard('99999', 'w26')).toMatchObject({ number: '99999', form: 'raw' });
    expect(normaliseCard('4242', 'w26')).toMatchObject({ number: '4242', facility: 0, card: 4242 });
    expect(normaliseCard('25665535', 'w26')).toBe('access.card_too_large'); // FC 256 is no printed 26-bit card, and too large raw
    expect(normaliseCard('25665535', 'w34')).toMatchObject({ number: '25665535', form: 'raw' });
    expect(normaliseCard('256/1', 'w26')).toBe('access.card_too_large');
    expect(normaliseCard('256/1', 'w34')).toMatchObject({ number: String(256 * 65536 + 1), form: 'fc/cn' });
    expect(normaliseCard('1/65536', 'w26')).toBe('access.card_too_large');
    expect(normaliseCard('1/2/3', 'w26')).toBe('access.card_number');
  });
});

// 2026-11-27 is a Friday; Shanghai is UTC+8
const sh = (local: string) => localTime(new Date(local + '+08:00'), 'Asia/Shanghai');

describe('schedules', () => {
  const night: Schedule = { id: 's', windows: [{ days: [5], start: '22:00', end: '06:00' }], holidays: [], holidayWindows: [] };
  it('a window crossing midnight belongs to the day it starts', () => {
    expect(sh('2026-11-27T22:00:00').weekday).toBe(5);
    expect(scheduleOpen(night, sh('2026-11-27T21:59:00'))).toBe(false);
    expect(scheduleOpen(night, sh('2026-11-27T22:00:00'))).toBe(true);
    expect(scheduleOpen(night, sh('2026-11-28T03:00:00'))).toBe(true); // Saturday early morning
    expect(scheduleOpen(night, sh('2026-11-28T06:00:00'))).toBe(false);
    expect(scheduleOpen(night, sh('2026-11-28T22:30:00'))).toBe(false); // Saturday night: not a Friday window
    expect(scheduleOpen(night, sh('2026-11-27T03:00:00'))).toBe(false); // Friday early: Thursday had no window
  });

  it('holidays replace the weekly windows (closed, or their own windows)', () => {
    const office: Schedule = { id: 'o', windows: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }], holidays: ['2026-10-01'], holidayWindows: [] };
    expect(scheduleOpen(office, sh('2026-09-30T09:00:00'))).toBe(true);
    expect(scheduleOpen(office, sh('2026-10-01T09:00:00'))).toBe(false); // National Day, a Thursday
    const withHours = { ...office, holidayWindows: [{ days: [4], start: '10:00', end: '12:00' }] };
    expect(scheduleOpen(withHours, sh('2026-10-01T09:00:00'))).toBe(false);
    expect(scheduleOpen(withHours, sh('2026-10-01T11:00:00'))).toBe(true);
    // a window that started on the holiday eve runs on past midnight into the holiday
    const eve: Schedule = { id: 'e', windows: [{ days: [3], start: '20:00', end: '02:00' }], holidays: ['2026-10-01'], holidayWindows: [] };
    expect(scheduleOpen(eve, sh('2026-10-01T01:00:00'))).toBe(true);
  });
});

describe('rule tables', () => {
  const h: Holder = { residentId: 'res_a', householdIds: ['hh_1'], roles: ['tenant'], groupIds: ['grp_cleaners'] };
  const at = '2026-11-27T02:00:00.000Z';
  const ctx = (o: Partial<Parameters<typeof evaluate>[2]> = {}) => ({
    at,
    local: sh('2026-11-27T10:00:00'),
    doorGroupIds: ['dg_gates'],
    schedules: new Map(),
    defaultAllowed: false,
    ...o,
  });
  const rule = (o: Partial<Rule>): Rule => ({
    id: 'r',
    effect: 'allow',
    whoKind: 'everyone',
    whoValue: null,
    doorGroupId: null,
    scheduleId: null,
    validFrom: null,
    validUntil: null,
    ...o,
  });
  const cases: [string, Rule[], Partial<ReturnType<typeof ctx>>, boolean, string][] = [
    ['nothing set up, lives there: the default opens', [], { defaultAllowed: true }, true, 'resident'],
    ['nothing set up, lives elsewhere', [], {}, false, 'no_rule'],
    ['allow by role', [rule({ whoKind: 'role', whoValue: 'tenant' })], {}, true, 'rule_allow'],
    ['allow by group', [rule({ whoKind: 'group', whoValue: 'grp_cleaners' })], {}, true, 'rule_allow'],
    ['allow by household', [rule({ whoKind: 'household', whoValue: 'hh_1' })], {}, true, 'rule_allow'],
    ['allow for someone else only', [rule({ whoKind: 'resident', whoValue: 'res_b' })], {}, false, 'no_rule'],
    ['deny wins over allow', [rule({ id: 'a' }), rule({ id: 'd', effect: 'deny', whoKind: 'resident', whoValue: 'res_a' })], {}, false, 'rule_deny'],
    ['deny wins over the default', [rule({ effect: 'deny', whoKind: 'role', whoValue: 'tenant' })], { defaultAllowed: true }, false, 'rule_deny'],
    ['deny for another door group does not apply', [rule({ effect: 'deny', doorGroupId: 'dg_garage' })], { defaultAllowed: true }, true, 'resident'],
    ['allow not yet valid', [rule({ validFrom: '2026-12-01T00:00:00.000Z' })], {}, false, 'no_rule'],
    ['allow expired', [rule({ validUntil: '2026-11-27T02:00:00.000Z' })], {}, false, 'no_rule'],
    ['deny only at night (now is day)', [rule({ effect: 'deny', scheduleId: 'night' })], { defaultAllowed: true }, true, 'resident'],
  ];
  for (const [name, rules, c, allow, reason] of cases) {
    it(name, () => {
      const schedules = new Map<string, Schedule>([
        ['night', { id: 'night', windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '23:00', end: '06:00' }], holidays: [], holidayWindows: [] }],
      ]);
      const r = evaluate(rules, h, { ...ctx(c), schedules });
      expect([r.allow, r.reason]).toEqual([allow, reason]);
    });
  }
  it('the night deny applies at night', () => {
    const schedules = new Map<string, Schedule>([
      ['night', { id: 'night', windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '23:00', end: '06:00' }], holidays: [], holidayWindows: [] }],
    ]);
    const r = evaluate([rule({ effect: 'deny', scheduleId: 'night' })], h, { ...ctx({ defaultAllowed: true, local: sh('2026-11-28T01:30:00') }), schedules });
    expect(r).toMatchObject({ allow: false, reason: 'rule_deny' });
  });
});

describe('QR tokens', () => {
  const kp = generateKeyPair();
  const other = generateKeyPair();
  const priv = crypto.createPrivateKey(kp.privatePem);
  const now = 1_800_000_000;
  const o = { keyId: 'akey_1', communityId: 'com_1', publicKey: kp.publicKey, pointId: 'acp_gate', nowS: now };
  const tok = (p: Partial<{ s: string[]; i: number; e: number; k: string; m: string }> = {}, key = priv) =>
    signToken({ k: 'akey_1', m: 'com_1', c: 'acr_1', s: ['*'], i: now, e: now + 60, ...p }, key);

  it('is compact and verifies', () => {
    const t = tok();
    expect(t.length).toBeLessThan(250);
    expect(verifyToken(t, o)).toMatchObject({ c: 'acr_1', s: ['*'] });
  });
  it('refuses expired tokens and lifetimes over 60 s', () => {
    expect(verifyToken(tok({ i: now - 61, e: now - 1 }), o)).toBe('qr_expired');
    expect(verifyToken(tok({ e: now + 61 }), o)).toBe('qr_expired');
  });
  it('refuses forged tokens', () => {
    const t = tok();
    const [body, sig] = t.split('.');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString());
    p.c = 'acr_someone_else';
    expect(verifyToken(Buffer.from(JSON.stringify(p)).toString('base64url') + '.' + sig, o)).toBe('qr_bad_signature');
    expect(verifyToken(body + '.' + Buffer.alloc(64).toString('base64url'), o)).toBe('qr_bad_signature');
    expect(verifyToken('garbage', o)).toBe('qr_malformed');
    expect(decodeToken('a.b.c')).toBeNull();
  });
  it('libsodium verifies what node:crypto signs, and refuses every single-bit change that node:crypto refuses', () => {
    const t = tok();
    const d = decodeToken(t)!;
    expect(crypto.verify(null, d.body, publicKeyObject(kp.publicKey), d.sig)).toBe(true);
    expect(verifyEd25519(d.body, d.sig, kp.publicKey)).toBe(true);
    // flip each bit of the signature and a bit of every byte of the signed body
    for (let i = 0; i < d.sig.length * 8; i++) {
      const sig = Buffer.from(d.sig);
      sig[i >> 3] ^= 1 << (i & 7);
      expect(verifyEd25519(d.body, sig, kp.publicKey)).toBe(false);
      expect(crypto.verify(null, d.body, publicKeyObject(kp.publicKey), sig)).toBe(false);
    }
    for (let i = 0; i < d.body.length; i++) {
      const body = Buffer.from(d.body);
      body[i] ^= 1 << (i % 8);
      expect(verifyEd25519(body, d.sig, kp.publicKey)).toBe(false);
    }
    // another key, a key of the wrong length, a truncated signature
    expect(verifyEd25519(d.body, d.sig, other.publicKey)).toBe(false);
    expect(verifyEd25519(d.body, d.sig, Buffer.alloc(31).toString('base64url'))).toBe(false);
    expect(verifyEd25519(d.body, d.sig.subarray(0, 63), kp.publicKey)).toBe(false);
  });
  it('refuses another door and another community key', () => {
    expect(verifyToken(tok({ s: ['acp_other'] }), o)).toBe('qr_wrong_door');
    expect(verifyToken(tok({ s: ['acp_gate'] }), o)).toMatchObject({ s: ['acp_gate'] });
    expect(verifyToken(tok({}, crypto.createPrivateKey(other.privatePem)), o)).toBe('qr_bad_signature');
    expect(verifyToken(tok({ k: 'akey_2' }), o)).toBe('qr_wrong_key');
    expect(verifyToken(tok({ m: 'com_2' }), o)).toBe('qr_wrong_key');
  });
});
