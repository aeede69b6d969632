// The fd limit parse, the connection caps it yields, and the once-per-interval exhaustion warning.
import { describe, expect, it } from 'vitest';
import { parseFdLimit } from '../../../src/util/fd-limit.js';
import { capsFor } from '../../../src/http/connection-cap.js';
import { exhaustedResource, onResourceExhausted, resourceExhausted } from '../../../src/util/resource-alarm.js';

describe('parseFdLimit', () => {
  it.each([
    ['Max open files            1024                 524288               files     \n', { soft: 1024, hard: 524288 }],
    ['Max open files            unlimited            unlimited            files\n', { soft: Infinity, hard: Infinity }],
    ['Max processes 10 10 processes\n', undefined],
  ])('%j', (text, want) => {
    expect(parseFdLimit(`Limit Soft Hard Units\n${text}`)).toEqual(want);
  });
});

describe('capsFor (connections never take more than a quarter of the descriptors)', () => {
  it.each([
    [undefined, { total: 512, perClient: 64 }],
    [Infinity, { total: 512, perClient: 64 }],
    [1_048_576, { total: 512, perClient: 64 }],
    [1024, { total: 256, perClient: 64 }],
    [300, { total: 75, perClient: 38 }],
    [20, { total: 8, perClient: 4 }],
  ])('soft limit %s → %j', (soft, want) => {
    expect(capsFor(soft)).toEqual(want);
  });
});

describe('resourceExhausted', () => {
  it('maps errno codes, and warns once per 10 s per resource with the count since', () => {
    expect(exhaustedResource('EMFILE')).toBe('file descriptors');
    expect(exhaustedResource('ENFILE')).toBe('file descriptors');
    expect(exhaustedResource('EAGAIN')).toBe('processes');
    expect(exhaustedResource('ENOENT')).toBeUndefined();
    const seen: [Record<string, unknown>, string][] = [];
    onResourceExhausted((f, m) => seen.push([f, m]));
    try {
      resourceExhausted('processes', 'spawn a', 1_000_000);
      resourceExhausted('processes', 'spawn b', 1_001_000);
      resourceExhausted('processes', 'spawn c', 1_005_000);
      resourceExhausted('processes', 'spawn d', 1_011_000);
    } finally {
      onResourceExhausted(undefined);
    }
    expect(seen.map(([f]) => [f.where, f.count])).toEqual([
      ['spawn a', 1],
      ['spawn d', 3],
    ]);
    expect(seen[0]![1]).toBe('resource exhausted: out of processes; what failed is retried with backoff');
  });
});
