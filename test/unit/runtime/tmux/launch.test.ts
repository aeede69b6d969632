// The launch of a tmux agent (pure): marks, the launch file, the session line.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INNER, launchScript, serverSetupLines, sessionLine } from '../../../../src/runtime/tmux/launch.js';
import { shQuote } from '../../../../src/exec/shell-quote.js';
import { mark, markOwner, parseMark } from '../../../../src/runtime/tmux/marks.js';
import { removeTree } from '../../../helpers/remove-tree.js';

const HASH = 'b'.repeat(64);

describe('marks', () => {
  it.each([
    ['host:0123456789', 'host:0123456789'],
    ['my host:abc', 'my_host:abc'],
    ["h'o$t:1", 'h_o_t:1'],
    ['gpu-1.lab@x:ff', 'gpu-1.lab@x:ff'],
  ])('owner %j is written as %j and read back', (owner, written) => {
    expect(markOwner(owner)).toBe(written);
    expect(parseMark(`/bin/sh -c "x" ${mark(owner, HASH)} "y" /a /b`)).toEqual({ owner: written, hash: HASH });
  });

  it.each([
    ['no mark', '/bin/sh -c "sleep 1"'],
    ['a hash that is not 64 hex digits', `/bin/sh agentctl:o:${'b'.repeat(63)} x`],
    ['a mark glued to another word', `/bin/sh xagentctl:o:${HASH} x`],
    ['quoted (not a bare word)', `/bin/sh "agentctl:o:${HASH}x"`],
  ])('%s: no mark', (_, cmd) => {
    expect(parseMark(cmd)).toBeNull();
  });
});

describe('launchScript', () => {
  // The script goes on stdin: a 100 KB value twice would pass the kernel's limit for one argument.
  const run = (script: string): string =>
    execFileSync('/bin/sh', ['-s'], {
      input: `${script}\nprintf '%s\\0' "$@"; printf 'ENV=%s\\0' "$V"\n`,
      encoding: 'utf8',
    });
  it.each([
    ['multi-line with indentation', 'import time\nfor i in range(3):\n    print(i)\n'],
    ['# lines and backslash-newline', '# comment\nx = 1 \\\n  + 2\n#{session_name}'],
    ['quotes of both kinds', `it's "quoted" ''`],
    ['shell syntax', '$(touch /tmp/x) `id` ; | & > < * ? [a] ~ {a,b}'],
    ['unicode', 'é ü 日本 🚀'],
    ['empty', ''],
    ['100 KB', 'x'.repeat(100_000)],
  ])('sh reads %s back byte for byte', (_, value) => {
    const script = launchScript({ env: { V: value }, workdir: '/', argv: ['prog', value, 'b'] });
    expect(run(script).split('\0')).toEqual(['prog', value, 'b', `ENV=${value}`, '']);
  });

  it('drops keys that are not variable names, and fails the launch when the workdir is missing', () => {
    const script = launchScript({ env: { GOOD: '1', 'BAD-KEY': '2' }, workdir: '/nonexistent/dir', argv: ['p'] });
    expect(script).not.toContain('BAD-KEY');
    expect(() => execFileSync('/bin/sh', ['-c', `. /dev/stdin`], { input: script, stdio: 'pipe' })).toThrow();
  });

  it('shQuote closes and reopens around a quote', () => {
    expect(shQuote("a'b")).toBe("'a'\\''b'");
  });
});

describe('sessionLine and server setup', () => {
  it('names the session and window, carries the mark, and no value of the agent', () => {
    const line = sessionLine({
      name: 'a',
      token: 'tok123',
      owner: 'h:1',
      hash: HASH,
      launchFile: '/s/a.tok.launch',
      exitFile: '/s/a.tok.exit',
    });
    expect(line.startsWith("new-session '-d' '-s' 'a' '-n' 'tok123'")).toBe(true);
    expect(line).toContain(`'agentctl:h:1:${HASH}'`);
    expect(line).toContain("'/s/a.tok.launch' '/s/a.tok.exit'");
  });

  it('the closed-session hook quotes the name for sh and keeps a # in the folder literal', () => {
    const [, , hook] = serverSetupLines('/st#ate/run');
    expect(hook).toContain('#{q:hook_session_name}.closed');
    expect(hook).toContain('/st##ate/run/');
  });
});

describe('the wrapper (INNER, as the session runs it)', () => {
  const wrap = (argv: string[]): { stderr: string; status: number | null; exitFile: string; launchLeft: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'agentctl-launch-'));
    try {
      const launch = join(dir, 'a.tok.launch');
      const exit = join(dir, 'a.tok.exit');
      writeFileSync(launch, launchScript({ env: { PATH: '/usr/bin:/bin' }, workdir: dir, argv }), { mode: 0o600 });
      const r = spawnSync('/bin/sh', ['-c', INNER, 'agentctl', `agentctl:h:1:${HASH}`, launch, exit], {
        encoding: 'utf8',
        env: { TMUX: '/tmp/x,1,0', TMUX_PANE: '%1', HOME: dir },
      });
      return {
        stderr: r.stderr,
        status: r.status,
        exitFile: readFileSync(exit, 'utf8'),
        launchLeft: readFileSync(launch, 'utf8'),
      };
    } finally {
      removeTree(dir);
    }
  };

  it.each([
    ['an absolute path', '/no/such/binary'],
    ['a name not on PATH', 'no-such-program-agentctl'],
  ])('a missing program (%s) is one clean line, without the mark or the state dir', (_, prog) => {
    const r = wrap([prog, 'arg']);
    expect(r.stderr).toBe(`agentctl: cannot start ${prog}: not found\n`);
    expect(r.status).toBe(127);
    expect(r.exitFile).toBe('127\n');
  });

  it('a program that runs keeps its own stderr and exit status; the launch file is emptied at once', () => {
    const r = wrap(['sh', '-c', 'echo oops >&2; exit 3']);
    expect(r.stderr).toBe('oops\n');
    expect(r.exitFile).toBe('3\n');
    expect(r.launchLeft).toBe('');
  });

  it("tmux's own variables do not reach the agent", () => {
    const r = wrap(['sh', '-c', 'echo "[${TMUX-unset}][${TMUX_PANE-unset}]" >&2']);
    expect(r.stderr).toBe('[unset][unset]\n');
  });

  it('sh errors name agentctl, not the mark', () => {
    const r = wrap(['/']);
    expect(r.stderr).toMatch(/^agentctl: \d+: \/: Permission denied\n$/);
    expect(r.stderr).not.toContain(HASH);
  });
});
