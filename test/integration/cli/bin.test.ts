// The CLI runs as users run it: the bin file executed through its shebang (npx, npm's bin link).
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI } from '../../helpers/cli.js';

describe('bin', () => {
  it('is executable and starts through its shebang', async () => {
    const r = await execa(CLI, ['--help'], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toMatch(/^Usage: agentctl/);
  });

  it('exits 2 on a usage error', async () => {
    const r = await execa(CLI, ['reconcile', '--concurrency', 'many', '--once'], { reject: false });
    expect(r.exitCode).toBe(2);
  });
});
