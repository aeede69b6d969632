// Token comparison, where the token is read from, and the Host header rule, as tables.
import { describe, expect, it } from 'vitest';
import { loopbackHostHeader, requestToken, tokenMatches } from '../../../src/http/auth.js';

describe('tokenMatches', () => {
  it.each([
    ['secret', 'secret', true],
    ['secret', 'secreT', false],
    ['secre', 'secret', false],
    ['secret-and-more', 'secret', false],
    ['', 'secret', false],
    [undefined, 'secret', false],
  ])('%j against %j → %s', (given, expected, ok) => {
    expect(tokenMatches(given, expected)).toBe(ok);
  });
});

describe('requestToken', () => {
  it.each([
    ['Bearer abc', '', 'abc'],
    ['bearer abc  ', '', 'abc'],
    [undefined, 'token=xyz', 'xyz'],
    ['Bearer abc', 'token=xyz', 'abc'],
    ['Basic dXNlcjpwdw==', 'token=xyz', 'xyz'],
    ['Basic dXNlcjpwdw==', '', undefined],
    [undefined, 'tok=1', undefined],
  ])('%j with ?%s → %j', (header, query, token) => {
    expect(requestToken(header, new URLSearchParams(query))).toBe(token);
  });
});

describe('loopbackHostHeader', () => {
  it.each([
    [undefined, true],
    ['localhost', true],
    ['localhost:9464', true],
    ['127.0.0.1:9464', true],
    ['[::1]:9464', true],
    ['evil.example', false],
    ['evil.example:9464', false],
    ['10.1.2.3:9464', false],
    ['localhost.evil.example', false],
    ['[::1', false],
    ['', false],
  ])('%j → %s', (host, ok) => {
    expect(loopbackHostHeader(host)).toBe(ok);
  });
});
