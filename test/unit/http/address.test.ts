// --http-addr parsing and the loopback rule, as tables.
import { describe, expect, it } from 'vitest';
import { bindRefusal, hostPort, isLoopbackHost, parseHttpAddr, tokenRefusal } from '../../../src/http/address.js';

describe('parseHttpAddr', () => {
  it.each([
    ['9464', '127.0.0.1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['127.0.0.1:0', '127.0.0.1', 0],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['localhost:9464', 'localhost', 9464],
    ['[::1]:9464', '::1', 9464],
    ['[::]:9464', '::', 9464],
    [' fleet.lan:8080 ', 'fleet.lan', 8080],
  ])('%s → %s:%i', (addr, host, port) => {
    expect(parseHttpAddr(addr)).toEqual({ host, port });
  });

  it.each(['', 'abc', '::1:9464', '127.0.0.1:', '1.2.3.4:70000', '[zz]:80', 'host:port', '[::1]'])(
    'refuses %j',
    (addr) => {
      expect(() => parseHttpAddr(addr)).toThrow(/--http-addr/);
    },
  );

  it('names the flag it parses', () => {
    expect(() => parseHttpAddr('x', '--metrics-addr')).toThrow(/^--metrics-addr must be/);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['app.localhost', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['192.168.1.2', false],
    ['fleet.lan', false],
    ['localhost.evil.example', false],
    ['128.0.0.1', false],
    ['::2', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('bindRefusal', () => {
  it.each([
    [{ host: '127.0.0.1', port: 1 }, undefined, false],
    [{ host: '::1', port: 1 }, undefined, false],
    [{ host: '0.0.0.0', port: 1 }, undefined, true],
    [{ host: '0.0.0.0', port: 1 }, '', true],
    [{ host: '0.0.0.0', port: 1 }, 'tok', false],
    [{ host: 'fleet.lan', port: 1 }, undefined, true],
  ])('%j with token %j refused: %s', (addr, token, refused) => {
    const r = bindRefusal(addr, token);
    expect(r !== null).toBe(refused);
    if (r) expect(r).toMatch(/--http-token/);
  });

  it('writes IPv6 in brackets', () => {
    expect(hostPort('::1', 80)).toBe('[::1]:80');
    expect(hostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
  });
});

describe('tokenRefusal (a guessable token would unlock the API)', () => {
  it.each([
    [undefined, null],
    ['', null],
    [' ', /whitespace/],
    ['+', /at least 16/],
    ['\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t', /whitespace/],
    ['correct horse battery staple', /whitespace/],
    ['abcdefghijklmno', /at least 16 characters \(got 15\)/],
    ['abcdefghijklmnop', null],
    ['correct-horse-battery', null],
  ])('%j → %s', (token, refused) => {
    const r = tokenRefusal(token);
    if (refused === null) expect(r).toBeNull();
    else expect(r).toMatch(refused);
  });
});
