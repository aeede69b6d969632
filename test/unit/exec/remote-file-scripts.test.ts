// The remote file scripts' framing, parsed purely, and the scripts themselves run by a local sh.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LIST_SCRIPT,
  parseList,
  parseReadFrames,
  READ_SCRIPT,
  umaskFor,
  WRITE_SCRIPT,
  writeInput,
} from '../../../src/exec/remote-file-scripts.js';
import { removeTree } from '../../helpers/remove-tree.js';

describe('framing', () => {
  it.each([
    ['0 1700000000.123 aGk=\n', { '/a': { text: 'hi', mtimeMs: 1700000000123 } }],
    ['1 5 \n', { '/b': { text: '', mtimeMs: 5000 } }],
    ['0 1 aGk=\n1 2 eW8=\n', { '/a': { text: 'hi', mtimeMs: 1000 }, '/b': { text: 'yo', mtimeMs: 2000 } }],
    ['2 1 aGk=\n', {}],
    ['garbage\n0 x aGk=\n\n', {}],
    ['0 1 5pel5pys\n', { '/a': { text: '日本', mtimeMs: 1000 } }],
  ])('parseReadFrames(%j)', (stdout, expected) => {
    expect(Object.fromEntries(parseReadFrames(stdout, ['/a', '/b']))).toEqual(expected);
  });

  it('frames writes by byte length, not string length', () => {
    expect(
      writeInput([
        { path: '/a', content: 'é\n' },
        { path: '/b', content: '', mode: 0o644 },
      ]),
    ).toBe('3 600\né\n0 644\n');
  });

  it.each([
    [0o700, '077'],
    [0o755, '022'],
    [0o777, '000'],
  ])('umaskFor(%o) = %s', (mode, mask) => {
    expect(umaskFor(mode)).toBe(mask);
  });

  it('splits NUL-terminated names', () => {
    expect(parseList('a\0b\nc\0')).toEqual(['a', 'b\nc']);
    expect(parseList('')).toEqual([]);
  });
});

describe('the scripts, run by a local sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-file-scripts-'));
  afterAll(() => removeTree(dir));
  const sh = (script: string, args: string[], input?: string) =>
    execa('sh', ['-c', script, 'x', ...args], {
      reject: false,
      stripFinalNewline: false,
      ...(input !== undefined ? { input } : {}),
    });

  it('writes several files whole, with their modes, leaving no temp file', async () => {
    const files = [
      { path: join(dir, 'a.txt'), content: 'line1\nline2 ünï 🚀\n' },
      { path: join(dir, "it's $(x).conf"), content: '', mode: 0o644 },
      { path: join(dir, 'b'), content: '5 600\nlooks like a header\n' },
    ];
    const r = await sh(WRITE_SCRIPT, ['1', ...files.map((f) => f.path)], writeInput(files));
    expect(r.exitCode).toBe(0);
    for (const f of files) expect(readFileSync(f.path, 'utf8')).toBe(f.content);
    expect(statSync(files[0]!.path).mode & 0o777).toBe(0o600);
    expect(statSync(files[1]!.path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).filter((n) => n.includes('agentctl'))).toEqual([]);
  });

  it('writes without fsync when not durable, still whole', async () => {
    const p = join(dir, 'launch');
    const r = await sh(WRITE_SCRIPT, ['0', p], writeInput([{ path: p, content: 'export A=1\n' }]));
    expect([r.exitCode, readFileSync(p, 'utf8')]).toEqual([0, 'export A=1\n']);
  });

  it('refuses input shorter than announced and leaves the old file', async () => {
    const p = join(dir, 'keep');
    writeFileSync(p, 'old');
    const r = await sh(WRITE_SCRIPT, ['1', p], '10 600\nshort');
    expect(r.exitCode).not.toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('old');
  });

  it('reads regular files only, in one call', async () => {
    mkdirSync(join(dir, 'sub'));
    await execa('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'r'), 'a\nb\0c');
    const paths = [join(dir, 'r'), join(dir, 'missing'), join(dir, 'sub'), join(dir, 'fifo')];
    const r = await sh(READ_SCRIPT, paths);
    const got = parseReadFrames(String(r.stdout), paths);
    expect([...got.keys()]).toEqual([join(dir, 'r')]);
    expect(got.get(join(dir, 'r'))?.text).toBe('a\nb\0c');
    expect(Math.abs(got.get(join(dir, 'r'))!.mtimeMs - statSync(join(dir, 'r')).mtimeMs)).toBeLessThan(1);
  });

  it('lists names, dotfiles and odd names included; a missing folder is empty', async () => {
    const d = join(dir, 'listing');
    mkdirSync(d);
    for (const n of ['.hidden', 'a b', 'new\nline', '*']) writeFileSync(join(d, n), '');
    expect(parseList(String((await sh(LIST_SCRIPT, [d])).stdout)).sort()).toEqual(['*', '.hidden', 'a b', 'new\nline']);
    const missing = await sh(LIST_SCRIPT, [join(dir, 'nope')]);
    expect([missing.exitCode, parseList(String(missing.stdout))]).toEqual([0, []]);
  });
});
