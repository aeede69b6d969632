// Folder creation one level at a time: never on a kernel file system, private folders narrowed to 0700.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDir, ensurePrivateDir, KernelFsError } from '../../../src/util/ensure-dir.js';
import { onKernelFs } from '../../../src/util/kernel-fs.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-ensure-'));
  dirs.push(d);
  return d;
}

describe('onKernelFs', () => {
  it.each([
    ['/proc', true],
    ['/proc/1/x', true],
    ['/sys/kernel', true],
    ['/dev/x', true],
    ['//proc/x', true],
    ['/tmp/../proc/x', true],
    ['/dev/shm', false],
    ['/dev/shm/a', false],
    ['/devices', false],
    ['/home/u/proc', false],
  ])('%s -> %s', (p, want) => {
    expect(onKernelFs(p)).toBe(want);
  });
});

describe('ensureDir', () => {
  it('creates every missing level, and accepts an existing folder', async () => {
    const d = tmp();
    await ensureDir(join(d, 'a', 'b', 'c'));
    await ensureDir(join(d, 'a', 'b', 'c'));
    expect(statSync(join(d, 'a', 'b', 'c')).isDirectory()).toBe(true);
  });

  it('under /proc it fails at once instead of spinning; /dev gets nothing created', async () => {
    await expect(ensureDir('/proc/1/agentctl-x/y')).rejects.toBeInstanceOf(KernelFsError);
    await expect(ensureDir('/dev/agentctl-test-x')).rejects.toBeInstanceOf(KernelFsError);
    expect(existsSync('/dev/agentctl-test-x')).toBe(false);
  }, 10_000);

  it('a symlink into /proc is followed before anything is created', async () => {
    const d = tmp();
    symlinkSync('/proc/self', join(d, 'p'));
    await expect(ensureDir(join(d, 'p', 'x'))).rejects.toBeInstanceOf(KernelFsError);
  }, 10_000);
});

describe('ensurePrivateDir', () => {
  it('creates with mode 0700 and narrows an existing wider folder', async () => {
    const d = tmp();
    await ensurePrivateDir(join(d, 'new'));
    expect(statSync(join(d, 'new')).mode & 0o777).toBe(0o700);
    mkdirSync(join(d, 'old'));
    chmodSync(join(d, 'old'), 0o755);
    await ensurePrivateDir(join(d, 'old'));
    expect(statSync(join(d, 'old')).mode & 0o777).toBe(0o700);
  });
});
