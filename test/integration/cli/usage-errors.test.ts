// Usage errors of the compiled CLI: exit 2 with a one-line reason (never a stack trace), and --version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../../helpers/cli.js';

const sb = sandbox('agentctl-usage-errors');
afterAll(() => sb.cleanup());

describe('usage errors exit 2', () => {
  it.each([
    [['bogus'], /unknown command 'bogus'/],
    [['get', '-o', 'xml'], /argument 'xml' is invalid/],
    [['--log-level', 'loud', 'get'], /argument 'loud' is invalid/],
    [['describe'], /missing required argument 'name'/],
    [['logs', 'a', '-n', 'abc'], /option '-n, --lines <n>' argument 'abc' is invalid\. not a non-negative integer/],
    [['logs', 'a', '-n', ''], /not a non-negative integer/],
    [['reconcile', '--resync', '1'], /--resync: "1" has no unit \(write it like 500ms, 1s, 2m or 1h\)/],
    [['reconcile', '--once', '--timeout', '30'], /--timeout: "30" has no unit/],
    [['logs', 'a', '--since', '10'], /--since: "10" has no unit/],
  ])('%j', async (args, message) => {
    const r = await sb.run(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--settle 0 needs no unit', async () => {
    const r = await sb.run(['reconcile', '--once', '--settle', '0', '--timeout', '5s']);
    expect(r.stderr).not.toMatch(/no unit/);
    expect(r.exitCode).toBe(0);
  });
});

describe('--version', () => {
  it("prints package.json's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await sb.run([flag]);
      expect(r).toMatchObject({ exitCode: 0, stdout: pkg.version, stderr: '' });
    }
  });
});
