// Finds the first byte of a buffer that is not valid UTF-8, and its line:col (pure).
import { isUtf8 } from 'node:buffer';

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when none starts there (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
function sequenceLength(buf: Uint8Array, i: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > buf.length) return 0;
  const b1 = buf[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < n; k++) {
    const c = buf[i + k]!;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return n;
}

/** Offset of the first invalid byte, or -1 when the whole buffer is UTF-8. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  if (isUtf8(buf)) return -1;
  for (let i = 0; i < buf.length;) {
    const n = sequenceLength(buf, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset. */
export function positionAt(buf: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = Buffer.from(buf.buffer, buf.byteOffset + lineStart, offset - lineStart).toString('utf8');
  return { line, col: [...before].length + 1 };
}
