import { describe, expect, it } from 'vitest';
import { isMainlandMobile, normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it('strips spaces and dashes', () => {
    expect(normalisePhone(' 138 1234-5678 ')).toBe('13812345678');
  });
  it('drops +86 / 0086 / 86 prefixes before 11 digits', () => {
    expect(normalisePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('0086-13812345678')).toBe('13812345678');
    expect(normalisePhone('8613812345678')).toBe('13812345678');
  });
  it('keeps a prefix-like start when not followed by 11 digits', () => {
    expect(normalisePhone('86123456')).toBe('86123456');
    expect(normalisePhone('010-86123456')).toBe('01086123456');
  });
  it('converts full-width digits', () => {
    expect(normalisePhone('１３８１２３４５６７８')).toBe('13812345678');
    expect(normalisePhone('＋８６　１３８１２３４５６７８')).toBe('13812345678');
  });
});

describe('isMainlandMobile', () => {
  it('accepts 1[3-9] followed by 9 digits', () => {
    for (const p of ['13012345678', '14712345678', '15912345678', '16612345678', '17712345678', '18812345678', '19912345678']) {
      expect(isMainlandMobile(p)).toBe(true);
    }
  });
  it('rejects others', () => {
    for (const p of ['12012345678', '11012345678', '1381234567', '138123456789', '+8613812345678', '1381234567a', '']) {
      expect(isMainlandMobile(p)).toBe(false);
    }
  });
});
