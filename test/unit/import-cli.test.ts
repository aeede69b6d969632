// agentctl import as a command: several files in, specs on stdout, each unreadable or foreign
// file named on stderr with exit code 1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { importCommand, type ImportIo } from '../../src/cli/commands/import.js';
import { ExitError } from '../../src/cli/exit.js';
import { CLI, ROOT } from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');

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
    const code = await exitCode(importCommand([join(FIXTURES, 'cld-researcher.yaml'), join(FIXTURES, 'scitex-fleet.yaml')], io));
    expect(code).toBe(0);
    expect(io.err).toBe('');
    expect(io.out.match(/^---$/gm)).toHaveLength(2);
    expect(io.out.match(/^apiVersion: agentctl\/v1$/gm)).toHaveLength(3);
  });

  it('exits 1 naming each file it cannot read or convert, and still prints the others', async () => {
    const io = capture();
    const missing = join(FIXTURES, 'no-such-file.yaml');
    const code = await exitCode(importCommand([missing, join(FIXTURES, 'cld-slurm-worker.yaml'), join(FIXTURES, 'not-old.yaml')], io));
    expect(code).toBe(1);
    expect(io.err).toContain(`agentctl: import: ${missing}: cannot read: ENOENT`);
    expect(io.err).toContain(`agentctl: import: ${join(FIXTURES, 'not-old.yaml')}: apiVersion "agentctl/v1"`);
    expect(io.out).toContain('name: gpu-trainer');
  });

  it.skipIf(!existsSync(CLI))('runs from the built command line', async () => {
    const ok = await execa('node', [CLI, 'import', join(FIXTURES, 'cld-researcher.yaml')], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('name: researcher');
    const bad = await execa('node', [CLI, 'import', join(FIXTURES, 'broken.yaml')], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('broken.yaml: line 3:1');
    expect(bad.stdout).toBe('');
  });
});
