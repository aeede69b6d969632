// agentctl import as a command: several files in, specs on stdout, each unreadable or foreign
// file named on stderr with exit code 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { importCommand, type ImportIo } from '../../../src/cli/commands/import.js';
import { ExitError } from '../../../src/cli/exit.js';
import { CLI } from '../../helpers/cli.js';
import { corpus, FIXTURES } from '../../helpers/import.js';
import { removeTree } from '../../helpers/remove-tree.js';

function capture(): ImportIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

async function exitCode(p: Promise<void>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    if (err instanceof ExitError) return err.code;
    throw err;
  }
}

describe('agentctl import', () => {
  it('prints the specs of several files separated by ---', async () => {
    const io = capture();
    const code = await exitCode(
      importCommand([join(FIXTURES, 'v1-claude-screen.yaml'), join(FIXTURES, 'scitex-fleet.yaml')], io),
    );
    expect(code).toBe(0);
    expect(io.err).toBe('');
    expect(io.out.match(/^---$/gm)).toHaveLength(2);
    expect(io.out.match(/^apiVersion: agentctl\/v1$/gm)).toHaveLength(3);
  });

  it('exits 1 naming each file it cannot read or convert, and still prints the others', async () => {
    const io = capture();
    const missing = join(FIXTURES, 'no-such-file.yaml');
    const code = await exitCode(
      importCommand([missing, join(FIXTURES, 'v1-slurm.yaml'), join(FIXTURES, 'not-old.yaml')], io),
    );
    expect(code).toBe(1);
    expect(io.err).toContain(`agentctl: import: ${missing}: cannot read: ENOENT`);
    expect(io.err).toContain(`agentctl: import: ${join(FIXTURES, 'not-old.yaml')}: apiVersion "agentctl/v1"`);
    expect(io.out).toContain('name: gpu-trainer');
  });

  it('runs from the built command line', async () => {
    const ok = await execa('node', [CLI, 'import', join(FIXTURES, 'v1-claude-screen.yaml')], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('name: researcher');
    const bad = await execa('node', [CLI, 'import', join(FIXTURES, 'broken.yaml')], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('broken.yaml: line 3:1');
    expect(bad.stdout).toBe('');
  });

  it('the whole corpus, imported with the command line, passes agentctl validate as one specs folder', async () => {
    const files = corpus().map((rel) => join(FIXTURES, rel));
    const out = await execa('node', [CLI, 'import', ...files], { reject: false });
    expect(out.exitCode, out.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'agentctl-import-'));
    try {
      writeFileSync(join(dir, 'imported.yaml'), out.stdout);
      const v = await execa('node', [CLI, 'validate', '--specs', dir], {
        reject: false,
        env: { AGENTCTL_STATE: join(dir, 'state') },
      });
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(new RegExp(`^${files.length + 1} agent\\(s\\) in 1 file\\(s\\): valid`, 'm'));
    } finally {
      removeTree(dir);
    }
  });
});
