// tmux argv builders and parsers (pure), plus a real tmux check that chained arguments arrive intact.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CAPTURE_MARK,
  chain,
  duplicateSession,
  isNoServer,
  isServerGone,
  LIST_FORMAT,
  parseEnvironmentNames,
  parseSessions,
  splitCaptures,
  tmuxArg,
  tmuxQuote,
} from '../../../../src/runtime/tmux/commands.js';
import { testTmux, type TestTmux } from '../../../helpers/tmux.js';
import { waitFor } from '../../../helpers/cli.js';
import { removeTree } from '../../../helpers/remove-tree.js';

const HASH = 'a'.repeat(64);

describe('tmuxArg: an argument never ends a command', () => {
  it.each([
    ['plain', 'plain'],
    ['a;', 'a\\;'],
    [';', '\\;'],
    ['a;b', 'a;b'],
    ['a\\;', 'a\\\\;'],
    ['', ''],
    ['; rm -rf /', '; rm -rf /'],
  ])('%j → %j', (arg, out) => {
    expect(tmuxArg(arg)).toBe(out);
  });

  it('chain puts a bare ";" only between commands', () => {
    expect(
      chain([
        ['kill-session', '-t', '=a'],
        ['kill-session', '-t', 'b;'],
      ]),
    ).toEqual(['kill-session', '-t', '=a', ';', 'kill-session', '-t', 'b\\;']);
    expect(chain([['start-server']])).toEqual(['start-server']);
  });
});

describe('tmuxQuote: the configuration language sees one literal word', () => {
  it.each([
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
    ['$(touch x); #{session_name} ~ {a}', "'$(touch x); #{session_name} ~ {a}'"],
  ])('%j → %j', (word, quoted) => {
    expect(tmuxQuote(word)).toBe(quoted);
  });
});

describe('parseSessions', () => {
  const row = (...f: string[]): string => f.join('\t');
  const cmd = (mark: string): string => `/bin/sh -c "s=\\$1; shift" ${mark} "f=\\$1" /s/a.launch /s/a.exit`;
  it('reads every field of list-sessions -F LIST_FORMAT, marks from the start command first', () => {
    expect(LIST_FORMAT.split('\t')).toHaveLength(10);
    const out = [
      row('a', '$0', '1700000000', '', '', 'mwur9i3t8b5958', '123', '0', '', cmd(`agentctl:host:1:${HASH}`)),
      row('b', '$1', '1700000001', '', '', 'bash', '', '1', '3', 'bash'),
      row(
        'legacy',
        '$22',
        '1700000002',
        'h',
        'o',
        'mwur9i3t000001',
        '456',
        '1',
        '',
        '/bin/sh -c "trap : TERM INT" /x/legacy.exit sleep 9',
      ),
      '',
    ].join('\n');
    expect(parseSessions(out)).toEqual([
      {
        name: 'a',
        id: '$0',
        createdAt: 1_700_000_000_000,
        hash: HASH,
        owner: 'host:1',
        token: 'mwur9i3t8b5958',
        pid: 123,
        dead: false,
        deadStatus: null,
      },
      {
        name: 'b',
        id: '$1',
        createdAt: 1_700_000_001_000,
        hash: null,
        owner: null,
        token: null,
        pid: null,
        dead: true,
        deadStatus: 3,
      },
      {
        name: 'legacy',
        id: '$22',
        createdAt: 1_700_000_002_000,
        hash: 'h',
        owner: 'o',
        token: 'mwur9i3t000001',
        pid: 456,
        dead: true,
        deadStatus: null,
      },
    ]);
  });

  it('a start command with a tab in it (a foreign session) still parses', () => {
    const [r] = parseSessions(row('x', '$0', '1', '', '', 'w', '1', '0', '', 'echo\ta\tb'));
    expect(r).toMatchObject({ name: 'x', owner: null, hash: null });
  });

  it.each([
    ['empty output', ''],
    ['a line with too few fields (another format)', 'a: 1 windows (created Mon Jan  1 00:00:00 2024)\n'],
    ['only newlines', '\n\n'],
  ])('skips %s', (_, out) => {
    expect(parseSessions(out)).toEqual([]);
  });

  it('does not take a non-numeric pid or status as a number', () => {
    const [r] = parseSessions(row('a', '$0', 'x', '', '', '', '12a', '0', '-1', ''));
    expect(r).toMatchObject({ pid: null, deadStatus: null, createdAt: 0 });
  });
});

describe('tmux stderr helpers', () => {
  it.each([
    ['no server running on /tmp/tmux-0/x', true],
    ['error connecting to /tmp/tmux-0/x (No such file or directory)', true],
    ['duplicate session: a', false],
  ])('isNoServer(%j) = %s', (stderr, yes) => {
    expect(isNoServer(stderr)).toBe(yes);
  });

  it.each([
    ['server exited unexpectedly\n', true],
    ['no server running on /tmp/tmux-0/x', false],
    ['duplicate session: a', false],
  ])('isServerGone(%j) = %s', (stderr, yes) => {
    expect(isServerGone(stderr)).toBe(yes);
  });

  it('duplicateSession names the session', () => {
    expect(duplicateSession('duplicate session: web-1\n')).toBe('web-1');
    expect(duplicateSession('something else')).toBeNull();
  });
});

describe('splitCaptures', () => {
  it('splits marker-separated screens, keeping blank lines inside a screen', () => {
    const out = `${CAPTURE_MARK}a\nline 1\n\nline 3\n${CAPTURE_MARK}b\n${CAPTURE_MARK}c\nonly\n`;
    expect(splitCaptures(out)).toEqual(
      new Map([
        ['a', 'line 1\n\nline 3\n'],
        ['b', ''],
        ['c', 'only\n'],
      ]),
    );
  });
  it('ignores anything before the first marker', () => {
    expect(splitCaptures('noise\n')).toEqual(new Map());
  });
});

describe('real tmux: chained arguments', () => {
  let tmux: TestTmux | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await tmux?.kill();
    tmux = undefined;
    if (dir) removeTree(dir);
    dir = undefined;
  });

  it('a trailing ";" in an argument stays in the argument', async () => {
    tmux = testTmux();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-chain-'));
    const out = join(dir, 'argv.json');
    const script = join(dir, 'p.mjs');
    writeFileSync(
      script,
      "import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n",
    );
    const args = ['a;', ';', 'a\\;', 'x; kill-server', '{', '#{session_name}'];
    const r = await tmux.run(
      ...chain([
        ['start-server'],
        ['set-option', '-g', 'remain-on-exit', 'on'],
        ['new-session', '-d', '-s', 'c', '--', process.execPath, script, out, ...args],
        ['set-option', '-t', '=c:', '@x', 'ok;'],
      ]),
    );
    expect(r.exitCode).toBe(0);
    const got = await waitFor(async () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as string[]));
    expect(got).toEqual(args);
    expect((await tmux.run('show-options', '-v', '-t', '=c:', '@x')).stdout.trim()).toBe('ok;');
  });
});

describe('parseEnvironmentNames: what show-environment -g holds', () => {
  it.each([
    ['', []],
    ['HOME=/root\nPATH=/usr/bin\n', ['HOME', 'PATH']],
    // "-NAME" marks a variable removed from the environment: nothing to clear.
    ['-DISPLAY\nSSH_AUTH_SOCK=/tmp/x\n', ['SSH_AUTH_SOCK']],
    // A value spanning lines is printed raw: a continuation line that is no NAME= is skipped; one
    // that looks like NAME= yields an extra name, harmless (unsetting an absent variable succeeds).
    ['A=1\nline two=of A\nB=\n', ['A', 'B']],
    ['M=a\nFAKE=b\n', ['M', 'FAKE']],
    ['1BAD=x\n_OK=y', ['_OK']],
  ])('%j', (out, names) => {
    expect(parseEnvironmentNames(out)).toEqual(names);
  });
});
