import { describe, expect, it } from 'vitest';
import { checkDigit, makeIdNumber, normaliseIdNumber, validateMainlandId } from './id-number.js';

const TODAY = '2026-11-25';

describe('normaliseIdNumber', () => {
  it('trims, converts full-width characters, removes inner spaces and upper-cases x', () => {
    expect(normaliseIdNumber('  １１０１０５ １９４９１２３１ ００２ｘ ')).toBe('11010519491231002X');
    expect(normaliseIdNumber('11010519491231002x')).toBe('11010519491231002X');
    expect(normaliseIdNumber('110105\u300019491231002Ｘ')).toBe('11010519491231002X');
  });
});

describe('checkDigit', () => {
  it('computes ISO 7064 MOD 11-2 check characters', () => {
    expect(checkDigit('11010519491231002')).toBe('X'); // GB 11643-1999 example
    expect(checkDigit('44052418800101001')).toBe('4'); // GB 11643-1999 example
  });
  it('rejects malformed input', () => {
    expect(() => checkDigit('123')).toThrow();
  });
});

describe('validateMainlandId', () => {
  it('accepts a valid number and extracts birth date, gender and division', () => {
    expect(validateMainlandId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: '2',
      divisionCode: '110105',
    });
    const male = makeIdNumber('330106', '1990-05-17', '013');
    expect(validateMainlandId(male, TODAY)).toMatchObject({ ok: true, gender: '1', birthDate: '1990-05-17', divisionCode: '330106' });
  });
  it('accepts full-width and lower-case input', () => {
    expect(validateMainlandId(' １１０１０５１９４９１２３１００２ｘ', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });
  it('reports length', () => {
    expect(validateMainlandId('1101051949123100', TODAY)).toEqual({ ok: false, reason: 'length' });
    expect(validateMainlandId('', TODAY)).toEqual({ ok: false, reason: 'length' });
  });
  it('reports chars', () => {
    expect(validateMainlandId('1101051949123100XX', TODAY)).toEqual({ ok: false, reason: 'chars' });
    expect(validateMainlandId('11010519491231002A', TODAY)).toEqual({ ok: false, reason: 'chars' });
  });
  it('reports checksum', () => {
    expect(validateMainlandId('110105194912310021', TODAY)).toEqual({ ok: false, reason: 'checksum' });
  });
  it('reports impossible, future and too-early birth dates', () => {
    const bad = (date: string) => {
      const f = '110105' + date + '001';
      return f + checkDigit(f);
    };
    expect(validateMainlandId(bad('20230229'), TODAY)).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateMainlandId(bad('19901301'), TODAY)).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateMainlandId(bad('20261126'), TODAY)).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateMainlandId(bad('18891231'), TODAY)).toEqual({ ok: false, reason: 'birth_date' });
    expect(validateMainlandId(bad('20240229'), TODAY)).toMatchObject({ ok: true });
    expect(validateMainlandId(bad('20261125'), TODAY)).toMatchObject({ ok: true });
    expect(validateMainlandId(bad('18900101'), TODAY)).toMatchObject({ ok: true });
  });
  it('reports unknown province codes', () => {
    for (const p of ['00', '10', '16', '24', '38', '47', '55', '66', '72', '83', '91']) {
      const f = p + '0105199001010011'.slice(0, 15);
      expect(validateMainlandId(f + checkDigit(f), TODAY)).toEqual({ ok: false, reason: 'division' });
    }
    for (const p of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82']) {
      const f = p + '0101199001010011'.slice(0, 15);
      expect(validateMainlandId(f + checkDigit(f), TODAY)).toMatchObject({ ok: true });
    }
  });
  it('uses the current date by default', () => {
    expect(validateMainlandId('11010519491231002X').ok).toBe(true);
  });
});

describe('makeIdNumber', () => {
  it('builds numbers that validate, gender from the sequence digit', () => {
    const id = makeIdNumber('110105', '2001-02-03', '124');
    expect(id).toHaveLength(18);
    expect(id.slice(0, 17)).toBe('11010520010203124');
    expect(validateMainlandId(id, TODAY)).toMatchObject({ ok: true, gender: '2', birthDate: '2001-02-03' });
    expect(makeIdNumber('110105', '20010203', '124')).toBe(id);
  });
  it('rejects malformed parts', () => {
    expect(() => makeIdNumber('11010', '2001-02-03', '124')).toThrow();
    expect(() => makeIdNumber('110105', '2001-2-3', '124')).toThrow();
    expect(() => makeIdNumber('110105', '2001-02-03', '12')).toThrow();
  });
});
