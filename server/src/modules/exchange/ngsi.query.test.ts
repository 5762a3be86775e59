// The q-language parser and the regular-expression guard (no database): precedence, grouping,
// quoted values holding separators, lists, ranges, sub-attributes, and patterns refused as unsafe.
import { describe, expect, it } from 'vitest';
import { NgsiError, evaluate, parseEntityQuery, parseQ, safeRegExp, type NgsiEntity } from './ngsi.query.js';

const e: NgsiEntity = {
  id: 'urn:ngsi-ld:Building:b1',
  type: 'Building',
  attrs: {
    name: { type: 'Property', value: 'A;B|C' },
    floors: { type: 'Property', value: 6, observedAt: '2026-01-02T00:00:00Z' },
    tags: { type: 'Property', value: ['x', 'y'] },
    address: { type: 'Property', value: { streetAddress: '1 Main St' } },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:Building:e1' },
    open: { type: 'Property', value: true },
  },
};
const m = (q: string) => evaluate(parseQ(q), e);
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof NgsiError && err.status === 400;
  }
  return false;
};

describe('NGSI-LD q-language', () => {
  it('compares numbers, strings, booleans, URIs and date-times', () => {
    expect(m('floors==6')).toBe(true);
    expect(m('floors!=6')).toBe(false);
    expect(m('floors>5;floors<7;floors>=6;floors<=6')).toBe(true);
    expect(m('name=="A;B|C"')).toBe(true); // separators inside quotes are text
    expect(m('open==true')).toBe(true);
    expect(m('locatedAt==urn:ngsi-ld:Building:e1')).toBe(true);
    expect(m('floors.observedAt>2026-01-01T00:00:00Z')).toBe(true);
    expect(m('address[streetAddress]=="1 Main St"')).toBe(true);
    expect(m('floors=="6"')).toBe(false); // a string is not the number
  });

  it('matches any element of an array value, lists and ranges', () => {
    expect(m('tags=="y"')).toBe(true);
    expect(m('tags!="y"')).toBe(false);
    expect(m('floors==1,6,9')).toBe(true);
    expect(m('floors==1..5')).toBe(false);
    expect(m('floors==5..7')).toBe(true);
  });

  it('binds ; tighter than | and groups with parentheses', () => {
    expect(m('floors==1;floors==6|open==true')).toBe(true); // (F;T)|T
    expect(m('floors==1;(floors==6|open==true)')).toBe(false); // F;(T|T)
    expect(m('((floors==6))')).toBe(true);
    expect(m('missing')).toBe(false);
    expect(m('missing!=1')).toBe(false); // != needs the attribute
    expect(m('name~="^A;"')).toBe(true);
    expect(m('name!~="^Z"')).toBe(true);
    expect(m('name~="(?i)^a;b"')).toBe(true); // case-insensitive
    expect(m('name~="^a;b"')).toBe(false);
  });

  it('refuses malformed expressions as BadRequestData', () => {
    for (const q of ['', 'floors==', '(floors==1', 'floors==1)', 'floors>1,2', 'floors>1..2', 'floors==bare word', 'name=="open', '1abc==1', 'a=b']) {
      expect(
        refused(() => parseQ(q)),
        q,
      ).toBe(true);
    }
    expect(refused(() => parseQ('('.repeat(30) + 'a' + ')'.repeat(30)))).toBe(true);
  });
});

describe('idPattern and q pattern guard', () => {
  it('accepts ordinary patterns and refuses catastrophic ones', () => {
    for (const ok of ['^urn:ngsi-ld:Building:', '.*', 'bld_[0-9A-Z]+$', '(?:est|bld)_\\w+', '(ab)?c', '[(+]*x'])
      expect(safeRegExp(ok, 'p')).toBeInstanceOf(RegExp);
    for (const bad of ['(a+)+$', '(a*)*b', '(a|aa)+', '((ab)*)+', '(?:a+){2,}', '(a)\\1', '(?=a)', '(?<!a)b', '[', 'x'.repeat(201)]) {
      expect(
        refused(() => safeRegExp(bad, 'p')),
        bad,
      ).toBe(true);
    }
  });
});

describe('query parameters', () => {
  it('needs a selector for a list, and bounds limit', () => {
    expect(refused(() => parseEntityQuery({}, true))).toBe(true);
    expect(parseEntityQuery({}, false).limit).toBe(20);
    expect(parseEntityQuery({ type: 'Building', options: 'count', limit: '0' }, true).count).toBe(true);
    let status = 0;
    try {
      parseEntityQuery({ type: 'Building', limit: '5000' }, true);
    } catch (err) {
      status = (err as NgsiError).status;
    }
    expect(status).toBe(403);
  });
});
