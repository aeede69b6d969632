// The metrics address parser.
import { describe, expect, it } from 'vitest';
import { parseMetricsAddr } from '../../../src/engine/metrics.js';

describe('parseMetricsAddr', () => {
  it.each([
    ['9464', '127.0.0.1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['[::1]:9000', '::1', 9000],
    ['localhost:1', 'localhost', 1],
  ])('%s', (addr, host, port) => expect(parseMetricsAddr(addr)).toEqual({ host, port }));
  it.each(['', 'abc', '1:2:3', '70000'])('rejects %j', (addr) => expect(() => parseMetricsAddr(addr)).toThrow());
});
