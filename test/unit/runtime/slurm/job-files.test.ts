// The Slurm runtime's files on a real temporary folder: exit files, retired marks, output pointer, tail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobFiles } from '../../../../src/runtime/slurm/job-files.js';
import { lastLines, TAIL_BYTES } from '../../../../src/runtime/slurm/tail.js';
import { localFiles } from '../../../../src/exec/local.js';
import { mapLimit } from '../../../../src/util/map-limit.js';
import { onPath } from '../../../../src/runtime/slurm/factory.js';
import { removeTree } from '../../../helpers/remove-tree.js';

let dir: string;
let files: JobFiles;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-files-'));
  files = new JobFiles(localFiles, join(dir, 'state', 'run', 'slurm'), join(dir, 'state', 'logs', 'slurm'));
  await files.prepare();
});
afterEach(() => removeTree(dir));

describe('JobFiles', () => {
  it('lays out run/slurm (private) and logs/slurm under the state dir', () => {
    expect(files.runDir).toBe(join(dir, 'state', 'run', 'slurm'));
    expect(files.exitFile('a', '12')).toBe(join(dir, 'state', 'run', 'slurm', 'a.12.exit'));
    expect(files.defaultOutput('a')).toBe(join(dir, 'state', 'logs', 'slurm', 'a.out'));
    expect(statSync(files.runDir).mode & 0o777).toBe(0o700);
  });

  it('reads an exit file; a missing or garbled one is null', async () => {
    writeFileSync(files.exitFile('a', '12'), '3\n');
    writeFileSync(files.exitFile('a', '13'), 'junk');
    expect(await files.readExit('a', '12')).toMatchObject({ code: 3, signal: null });
    expect(await files.readExit('a', '13')).toBeNull();
    expect(await files.readExit('a', '14')).toBeNull();
  });

  it('clears only the named agents’ exit files', async () => {
    writeFileSync(files.exitFile('a', '1'), '0\n');
    writeFileSync(files.exitFile('ab', '2'), '0\n');
    await files.clearExits(new Set(['a']));
    expect(existsSync(files.exitFile('a', '1'))).toBe(false);
    expect(existsSync(files.exitFile('ab', '2'))).toBe(true);
  });

  it('retired marks: listed ones are kept, old unlisted ones removed, young unlisted ones kept', async () => {
    await files.retire('a', ['5', '6', '7']);
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(join(files.runDir, 'a.6.retired'), old, old);
    const ids = await files.retired(new Set(['5']));
    expect([...ids].sort()).toEqual(['5', '6', '7']);
    expect(existsSync(join(files.runDir, 'a.6.retired'))).toBe(false);
    expect(existsSync(join(files.runDir, 'a.7.retired'))).toBe(true);
    expect([...(await files.retired(new Set(['5'])))].sort()).toEqual(['5', '7']);
  });

  it('remembers an output path outside the default place, and forgets it when back to default', async () => {
    expect(await files.outputOf('a')).toBe(files.defaultOutput('a'));
    await files.rememberOutput('a', '/scratch/logs/a.out');
    expect(await files.outputOf('a')).toBe('/scratch/logs/a.out');
    await files.rememberOutput('a', files.defaultOutput('a'));
    expect(await files.outputOf('a')).toBe(files.defaultOutput('a'));
  });
});

describe('lastLines', () => {
  it.each([
    ['a\nb\nc\n', 2, 'b\nc\n'],
    ['a\nb\nc', 2, 'b\nc\n'],
    ['a\nb\nc\n\n\n', 1, 'c\n'],
    ['a\n', 5, 'a\n'],
    ['', 5, ''],
  ])('%j, last %i → %j', (text, n, want) => expect(lastLines(text, n)).toBe(want));

  it('with the local tail: only the end of a large file is read', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const p = join(dir, 'out.txt');
    writeFileSync(p, lines.join('\n') + '\n');
    const end = await localFiles.tail(p, TAIL_BYTES);
    expect(end!.length).toBeLessThanOrEqual(TAIL_BYTES);
    expect(lastLines(end!, 3000)).toBe(lines.slice(-3000).join('\n') + '\n');
    expect(await localFiles.tail(join(dir, 'nope'), 10)).toBeNull();
  });
});

describe('helpers', () => {
  it('mapLimit keeps order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('onPath finds executables without running anything', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(bin, 'squeue'), 'not executable', { mode: 0o644 });
    expect(onPath('sbatch', `/nonexistent:${bin}`)).toBe(true);
    expect(onPath('squeue', bin)).toBe(false);
    expect(onPath('sbatch', '')).toBe(false);
  });
});
