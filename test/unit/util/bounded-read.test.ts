// Bounded reads against the real filesystem: FIFOs, devices, directories and big files never hang or bloat.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReadError, formatSize, readBounded, readBoundedSync } from '../../../src/util/bounded-read.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-bounded-'));
  dirs.push(d);
  return d;
}
const MB = 1024 * 1024;

async function failure(path: string, max = MB): Promise<{ async: FileReadError; sync: FileReadError }> {
  const a = await readBounded(path, max).then(
    () => undefined,
    (e: unknown) => e,
  );
  let s: unknown;
  try {
    readBoundedSync(path, max);
  } catch (e) {
    s = e;
  }
  expect(a).toBeInstanceOf(FileReadError);
  expect(s).toBeInstanceOf(FileReadError);
  return { async: a as FileReadError, sync: s as FileReadError };
}

describe('readBounded / readBoundedSync', () => {
  it('reads a regular file whole, sync and async alike', async () => {
    const d = tmp();
    writeFileSync(join(d, 'f'), 'hello\n');
    expect((await readBounded(join(d, 'f'), MB)).toString()).toBe('hello\n');
    expect(readBoundedSync(join(d, 'f'), MB).toString()).toBe('hello\n');
  });

  it('a FIFO is refused at once, with or without a writer (never blocks)', async () => {
    const d = tmp();
    execFileSync('mkfifo', [join(d, 'fifo')]);
    const { async, sync } = await failure(join(d, 'fifo'));
    expect([async.reason, sync.reason]).toEqual(['not-regular', 'not-regular']);
    expect(async.message).toBe('not a regular file (a FIFO)');
  });

  it('/dev/zero, through a symlink too, is refused before a byte is read', async () => {
    const d = tmp();
    symlinkSync('/dev/zero', join(d, 'zero.yaml'));
    for (const p of ['/dev/zero', join(d, 'zero.yaml')]) {
      const { async, sync } = await failure(p);
      expect([async.message, sync.message]).toEqual([
        'not a regular file (a character device)',
        'not a regular file (a character device)',
      ]);
    }
  });

  it('a directory is not a file', async () => {
    const d = tmp();
    mkdirSync(join(d, 'sub'));
    expect((await failure(join(d, 'sub'))).async.message).toBe('not a regular file (a directory)');
  });

  it('a file over the cap is refused by its size, with the cap in the message', async () => {
    const d = tmp();
    writeFileSync(join(d, 'big'), Buffer.alloc(MB + 1, 0x61));
    const { async, sync } = await failure(join(d, 'big'));
    expect([async.reason, sync.reason]).toEqual(['too-large', 'too-large']);
    expect(async.message).toBe('file is larger than 1 MB');
    writeFileSync(join(d, 'exact'), Buffer.alloc(MB, 0x61));
    expect((await readBounded(join(d, 'exact'), MB)).length).toBe(MB);
  });

  it('a file whose size stat cannot tell (/proc) is still cut at the cap', async () => {
    // /proc/self/environ reports size 0 but has content: the read itself must stop at the cap.
    const { async } = await failure('/proc/self/maps', 16);
    expect(async.reason).toBe('too-large');
  });

  it('a missing file is "missing" with its code', async () => {
    const { async } = await failure(join(tmp(), 'nope'));
    expect(async.reason).toBe('missing');
    expect(async.message).toBe('cannot read: ENOENT');
    expect(async.path).toContain('nope');
  });

  it('formatSize names caps the way errors show them', () => {
    expect([formatSize(MB), formatSize(64 * 1024), formatSize(1000), formatSize(3 * MB)]).toEqual([
      '1 MB',
      '64 KB',
      '1000 bytes',
      '3 MB',
    ]);
  });
});
