// The remote prologue, run by a local `sh -c` as a login shell would run it: env and cwd from stdin, argv literal.
import { execa } from 'execa';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteCommand, splitMarks, stdinHeader, RemoteCommandError } from '../../../src/exec/remote-command.js';
import { corpusWith } from '../../helpers/injection-corpus.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'agentctl-remote-cmd-'));
afterAll(() => removeTree(dir));

/** Runs the command line as sshd would: `$SHELL -c LINE`, stdin = header + input. */
async function viaLoginShell(
  file: string,
  args: string[],
  o: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
) {
  const r = await execa('sh', ['-c', remoteCommand(file, args, o.env !== undefined)], {
    input: stdinHeader(o) + (o.input ?? ''),
    reject: false,
    stripFinalNewline: false,
    env: { HOME: '/home/remote', PATH: process.env.PATH, LEAK: 'login-only' },
    extendEnv: false,
  });
  return { code: r.exitCode, stdout: String(r.stdout), ...splitMarks(String(r.stderr)) };
}

describe('stdinHeader', () => {
  it.each([
    [{}, '\n'],
    [{ cwd: '/tmp' }, 'cd -- /tmp\n\n'],
    [{ env: { A: 'x y', B: undefined } }, "export A='x y'\nunset B\n\n"],
    [{ env: { A: 'l1\nl2' } }, `export A=l1"$nl"l2\n\n`],
    [{ env: { A: '' } }, "export A=''\n\n"],
  ])('%j', (o, header) => {
    expect(stdinHeader(o)).toBe(header);
  });

  it.each([['A B'], ['1A'], ['A;touch x'], ['']])('refuses the variable name %j', (key) => {
    expect(() => stdinHeader({ env: { [key]: 'v' } })).toThrow(RemoteCommandError);
  });
});

describe('the prologue', () => {
  it('passes every corpus word as one literal argument and runs nothing', async () => {
    const words = corpusWith(join(dir, 'pwned'));
    const r = await viaLoginShell('printf', ['%s\\0', ...words], { cwd: dir });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
    expect(r.ready).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sets env and cwd from stdin and hands the rest of stdin to the program byte for byte', async () => {
    const input = '\n\nfirst line after header\n' + 'x'.repeat(70_000) + '\nünï\0 end';
    const env = { SECRET_TOKEN: "s3cr'et\n$(touch x)", PLAIN: 'p' };
    const r = await viaLoginShell('sh', ['-c', 'printf "%s|%s|%s|" "$SECRET_TOKEN" "$PLAIN" "$(pwd)"; cat'], {
      env,
      cwd: dir,
      input,
    });
    expect(r.stdout).toBe(`${env.SECRET_TOKEN}|p|${dir}|${input}`);
    expect(r.code).toBe(0);
  });

  it('with env, clears everything but the remote base; without, keeps the login environment', async () => {
    const cleared = await viaLoginShell('sh', ['-c', 'printf "%s,%s,%s" "${LEAK-unset}" "$HOME" "$X"'], {
      env: { X: '1' },
    });
    expect(cleared.stdout).toBe('unset,/home/remote,1');
    const kept = await viaLoginShell('sh', ['-c', 'printf "%s" "${LEAK-unset}"']);
    expect(kept.stdout).toBe('login-only');
  });

  it('marks a program that is not on PATH and a directory it cannot enter', async () => {
    const missing = await viaLoginShell('no-such-program-agentctl', []);
    expect([missing.code, missing.notFound, missing.ready]).toEqual([127, true, true]);
    const noDir = await viaLoginShell('true', [], { cwd: join(dir, 'absent') });
    expect([noDir.code, noDir.noCwd]).toEqual([127, true]);
  });

  it('reports the program’s own exit code and stderr without the marks', async () => {
    const r = await viaLoginShell('sh', ['-c', 'echo oops >&2; exit 42']);
    expect([r.code, r.stderr]).toEqual([42, 'oops\n']);
  });
});
