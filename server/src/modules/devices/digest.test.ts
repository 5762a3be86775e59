// RFC 7616 Digest for device credentials: the RFC's own worked example (§3.9.1) and the parser.
import { describe, expect, it } from 'vitest';
import { digestHa1, digestResponse, parseDigest } from './digest.js';

// RFC 7616 §3.9.1: user "Mufasa", password "Circle of Life", GET /dir/index.html
const RFC = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};

describe('digest (RFC 7616)', () => {
  it("computes the RFC's MD5 response for its worked example", () => {
    const ha1 = digestHa1('Mufasa', 'Circle of Life', RFC.realm);
    expect(digestResponse(ha1, { method: 'GET', uri: '/dir/index.html', nonce: RFC.nonce, nc: '00000001', cnonce: RFC.cnonce })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it("reads the example's Authorization header, quoted and bare values alike", () => {
    const header = `Digest username="Mufasa", realm="${RFC.realm}", uri="/dir/index.html", algorithm=MD5, nonce="${RFC.nonce}", nc=00000001, cnonce="${RFC.cnonce}", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="${RFC.opaque}"`;
    expect(parseDigest(header)).toEqual({
      username: 'Mufasa',
      realm: RFC.realm,
      uri: '/dir/index.html',
      algorithm: 'MD5',
      nonce: RFC.nonce,
      nc: '00000001',
      cnonce: RFC.cnonce,
      qop: 'auth',
      response: '8ca523f5e9506fed4657c9700eebdbec',
      opaque: RFC.opaque,
    });
    expect(parseDigest('Digest username="a\\"b"')).toEqual({ username: 'a"b' });
    expect(parseDigest('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toBeNull();
    expect(parseDigest('Digest username="unterminated')).toBeNull();
  });
});
