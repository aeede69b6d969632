// Finding the first byte that is not UTF-8, and where it is (line:col), on raw bytes.
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, positionAt } from '../../../src/util/utf8.js';

const b = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('firstInvalidUtf8', () => {
  it.each([
    { case: 'ascii', buf: b('abc\n'), at: -1 },
    { case: 'unicode (2, 3, 4 byte forms)', buf: b('é ✓ 𝄞'), at: -1 },
    { case: 'empty', buf: b(''), at: -1 },
    { case: 'a lone continuation byte', buf: b('ab', [0x80], 'c'), at: 2 },
    { case: 'Latin-1 é', buf: b('caf', [0xe9]), at: 3 },
    { case: 'truncated 3-byte sequence at the end', buf: b('x', [0xe2, 0x9c]), at: 1 },
    { case: 'overlong "/" (C0 AF)', buf: b([0xc0, 0xaf]), at: 0 },
    { case: 'overlong 3-byte NUL', buf: b([0xe0, 0x80, 0x80]), at: 0 },
    { case: 'UTF-16 surrogate encoded (ED A0 80)', buf: b('ok', [0xed, 0xa0, 0x80]), at: 2 },
    { case: 'beyond U+10FFFF (F4 90 80 80)', buf: b([0xf4, 0x90, 0x80, 0x80]), at: 0 },
    { case: 'F5 never starts a sequence', buf: b([0xf5, 0x80, 0x80, 0x80]), at: 0 },
    { case: 'FF', buf: b('a\nb', [0xff]), at: 3 },
  ])('$case', ({ buf, at }) => {
    expect(firstInvalidUtf8(buf)).toBe(at);
  });
});

describe('positionAt', () => {
  it('counts lines from 1 and columns in characters from 1', () => {
    const buf = b('ab\ncé', [0xff]);
    expect(positionAt(buf, firstInvalidUtf8(buf))).toEqual({ line: 2, col: 3 });
    expect(positionAt(b([0xff]), 0)).toEqual({ line: 1, col: 1 });
  });
});
