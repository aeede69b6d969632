// The remote workspace script, run by the real sh on this machine: files land inside the workdir, never outside.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWorkspace, workspaceBatch, type WorkspaceItem } from '../../../src/hosts/workspace-script.js';
import { removeTree } from '../../helpers/remove-tree.js';

const root = mkdtempSync(join(tmpdir(), 'agentctl-ws-'));
afterAll(() => removeTree(root));

async function run(items: WorkspaceItem[]): Promise<(string | undefined)[]> {
  const b = workspaceBatch(items);
  const r = await execa('/bin/sh', b.argv, { input: b.input, reject: false });
  return parseWorkspace(r.stdout, items.length);
}

describe('workspaceBatch', () => {
  it('puts paths in the argv and contents only on stdin', () => {
    const b = workspaceBatch([{ workdir: '/w', files: { 'a/b.txt': 'SECRET\n', c: '' } }]);
    expect(b.argv.slice(3)).toEqual(['1', '/w', '2', 'a/b.txt', 'c']);
    expect(b.argv.join(' ')).not.toContain('SECRET');
    expect(b.input).toBe('7\nSECRET\n0\n');
  });

  it.each([
    ['ok 0\nerr 1 files: x is outside the workdir\n', 2, [undefined, 'files: x is outside the workdir']],
    ['ok 0\n', 2, [undefined, 'no answer from the host']],
    ['ok 5\nrubbish\n', 1, ['no answer from the host']],
  ])('parses %j', (out, n, want) => {
    expect(parseWorkspace(out, n)).toEqual(want);
  });
});

describe('WORKSPACE_SCRIPT', () => {
  it('writes hostile names literally, and refuses each escape without losing the framing', async () => {
    const w1 = join(root, "w $(touch pwned) `x` 'q'");
    const w2 = join(root, 'w2');
    const w3 = join(root, 'w3');
    mkdirSync(w2);
    symlinkSync('/tmp', join(w2, 'out'));
    mkdirSync(w3);
    symlinkSync(join(root, 'elsewhere.txt'), join(w3, 'f.txt'));
    const got = await run([
      { workdir: w1, files: { "it's $(touch pwned).txt": 'one', 'd "q"/e;f.txt': 'two\n', 'a b/c/d': '' } },
      { workdir: w2, files: { 'ok.txt': 'fine', 'out/evil.txt': 'x', 'later.txt': 'skipped' } },
      { workdir: w3, files: { 'f.txt': 'x' } },
      { workdir: join(root, 'w4'), files: { 'x.txt': 'four' } },
    ]);
    expect(got).toEqual([
      undefined,
      'files: out/evil.txt leads outside the workdir (through a symlink)',
      'files: f.txt leads outside the workdir (through a symlink)',
      undefined,
    ]);
    expect(readFileSync(join(w1, "it's $(touch pwned).txt"), 'utf8')).toBe('one');
    expect(readFileSync(join(w1, 'd "q"/e;f.txt'), 'utf8')).toBe('two\n');
    expect(readFileSync(join(w1, 'a b/c/d'), 'utf8')).toBe('');
    expect(readFileSync(join(root, 'w4', 'x.txt'), 'utf8')).toBe('four');
    expect(existsSync('/tmp/evil.txt')).toBe(false);
    expect(existsSync(join(root, 'elsewhere.txt'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
  });
});
