// tmux argv builders and parsers, plus a real tmux check that hostile argv reaches the program literally.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chain,
  duplicateSession,
  isNoServer,
  LIST_FORMAT,
  parseSessions,
  SERVER_SETUP,
  sourceLine,
  startCommands,
  tmuxArg,
  tmuxDirectory,
  tmuxQuote,
} from '../../src/runtime/tmux/commands.js';
import { testTmux, type TestTmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/cli.js';

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
    expect(chain([['kill-session', '-t', '=a'], ['kill-session', '-t', 'b;']])).toEqual(['kill-session', '-t', '=a', ';', 'kill-session', '-t', 'b\\;']);
    expect(chain([['start-server']])).toEqual(['start-server']);
  });

  it('tmuxDirectory doubles # so a start directory is not a format', () => {
    expect(tmuxDirectory('/w/#{session_name}/##')).toBe('/w/##{session_name}/####');
  });
});

describe('tmuxQuote / sourceLine: the configuration language sees one literal word per argument', () => {
  it.each([
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
    ['$(touch x); #{session_name} ~ {a}', "'$(touch x); #{session_name} ~ {a}'"],
    ['a\nb', "'a\nb'"],
  ])('%j → %j', (word, quoted) => {
    expect(tmuxQuote(word)).toBe(quoted);
  });

  it('joins commands with " ; " and quotes every argument but the command name', () => {
    expect(sourceLine([['new-session', '-d', '-s', 'a'], ['set-option', '-t', '=a:', '@x', "v'"]])).toBe(
      "new-session '-d' '-s' 'a' ; set-option '-t' '=a:' '@x' 'v'\\'''",
    );
  });

  it('startCommands runs argv after -- under the exit wrapper, and marks the session', () => {
    const cmds = startCommands(
      { request: { name: 'a', argv: ['prog', '--flag'], workdir: '/w/#x', env: { K: 'v=1' }, secrets: [], hash: 'h'.repeat(64) }, token: 'tok', exitFile: '/s/a.tok.exit' },
      'owner:1',
    );
    const [create, ...marks] = cmds;
    expect(create!.slice(0, 2)).toEqual(['new-session', '-d']);
    expect(create!.slice(create!.indexOf('-s'), create!.indexOf('-s') + 2)).toEqual(['-s', 'a']);
    expect(create!.slice(create!.indexOf('-c'), create!.indexOf('-c') + 2)).toEqual(['-c', '/w/##x']);
    expect(create!.slice(create!.indexOf('-e'), create!.indexOf('-e') + 2)).toEqual(['-e', 'K=v=1']);
    const rest = create!.slice(create!.indexOf('--') + 1);
    expect(rest[0]).toBe('/bin/sh');
    expect(rest[1]).toBe('-c');
    expect(rest.slice(3)).toEqual(['/s/a.tok.exit', 'prog', '--flag']);
    expect(marks).toEqual([
      ['set-option', '-t', '=a:', '@agentctl-hash', 'h'.repeat(64)],
      ['set-option', '-t', '=a:', '@agentctl-owner', 'owner:1'],
    ]);
    // The start token rides in the window name (no third set-option).
    expect(create!.slice(create!.indexOf('-n'), create!.indexOf('-n') + 2)).toEqual(['-n', 'tok']);
  });
});

describe('parseSessions', () => {
  const row = (...f: string[]): string => f.join('\t');
  it('reads every field of list-sessions -F LIST_FORMAT', () => {
    expect(LIST_FORMAT.split('\t')).toHaveLength(9);
    const out = [
      row('a', '$0', '1700000000', 'abc', 'host:1', 'mwur9i3t8b5958', '123', '0', ''),
      row('b', '$1', '1700000001', '', '', 'bash', '', '1', '3'),
      row('c-long-name', '$22', '1700000002', 'h', 'o', 'mwur9i3t000001', '456', '1', ''),
      '',
    ].join('\n');
    expect(parseSessions(out)).toEqual([
      { name: 'a', id: '$0', createdAt: 1_700_000_000_000, hash: 'abc', owner: 'host:1', token: 'mwur9i3t8b5958', pid: 123, dead: false, deadStatus: null },
      { name: 'b', id: '$1', createdAt: 1_700_000_001_000, hash: null, owner: null, token: null, pid: null, dead: true, deadStatus: 3 },
      { name: 'c-long-name', id: '$22', createdAt: 1_700_000_002_000, hash: 'h', owner: 'o', token: 'mwur9i3t000001', pid: 456, dead: true, deadStatus: null },
    ]);
  });

  it.each([
    ['empty output', ''],
    ['a line with too few fields (another format)', 'a: 1 windows (created Mon Jan  1 00:00:00 2024)\n'],
    ['only newlines', '\n\n'],
  ])('skips %s', (_, out) => {
    expect(parseSessions(out)).toEqual([]);
  });

  it('does not take a non-numeric pid or status as a number', () => {
    const [r] = parseSessions(row('a', '$0', 'x', '', '', '', '12a', '0', '-1'));
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

  it('duplicateSession names the session', () => {
    expect(duplicateSession('duplicate session: web-1\n')).toBe('web-1');
    expect(duplicateSession('something else')).toBeNull();
  });
});

describe('real tmux: source-file of a generated start line passes every argument literally', () => {
  let tmux: TestTmux | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await tmux?.kill();
    tmux = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('quotes, ;, $(...), backticks, #{...}, #(...), ~, braces, newline, empty string, backslashes', async () => {
    tmux = testTmux();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-quote-'));
    const marker = (n: string): string => join(dir!, `pwned-${n}`);
    const script = join(dir, 'print-argv.mjs');
    writeFileSync(
      script,
      "import { writeFileSync } from 'node:fs';\n" +
        'writeFileSync(process.argv[2] + ".tmp", JSON.stringify({ argv: process.argv.slice(3), cwd: process.cwd(), weird: process.env.WEIRD }));\n' +
        "(await import('node:fs')).renameSync(process.argv[2] + '.tmp', process.argv[2]);\n" +
        'process.exit(3);\n',
    );
    const out = join(dir, 'argv.json');
    // A workdir whose name is itself hostile: # must not become a format, ' must not end the quote.
    const workdir = join(dir, "w #{session_name} it's ~");
    mkdirSync(workdir);
    const hostile = [
      "'",
      "it's",
      ';',
      'a;',
      'a\\;',
      '; rm -rf ' + marker('rm'),
      `$(touch ${marker('subst')})`,
      `\`touch ${marker('backtick')}\``,
      '#{session_name}',
      `#(touch ${marker('format')})`,
      '~',
      '~/x',
      '{',
      '}',
      '{ a }',
      'line1\nline2',
      '',
      '"',
      '\\',
      '\\n',
      '$HOME',
      '%if #{session_name}',
      '--',
      '-d',
      ' spaced  out ',
      'tab\there',
      'é ü 日本',
    ];
    const exitFile = join(dir, 'a.exit');
    const lines = [
      sourceLine(
        startCommands(
          {
            request: { name: 'quoting', argv: [process.execPath, script, out, ...hostile], workdir, env: { WEIRD: `$(touch ${marker('env')});'#{session_name}` }, secrets: [], hash: 'h1' },
            token: 'mwur9i3tq00tok1',
            exitFile,
          },
          'owner:1',
        ),
      ),
    ];
    const conf = join(dir, 'start.conf');
    writeFileSync(conf, lines.join('\n') + '\n');
    const r = await tmux.run(...chain([...SERVER_SETUP, ['source-file', conf]]));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);

    const got = await waitFor(async () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; cwd: string; weird: string }));
    expect(got.argv).toEqual(hostile);
    expect(got.cwd).toBe(workdir);
    expect(got.weird).toBe(`$(touch ${marker('env')});'#{session_name}`);
    for (const m of ['rm', 'subst', 'backtick', 'format', 'env']) expect(existsSync(marker(m)), m).toBe(false);

    // The marks landed, and the wrapper recorded the exit status (3) in the exit file.
    const rows = parseSessions((await tmux.run('list-sessions', '-F', LIST_FORMAT)).stdout);
    expect(rows.map((s) => [s.name, s.hash, s.owner, s.token])).toEqual([['quoting', 'h1', 'owner:1', 'mwur9i3tq00tok1']]);
    expect(await waitFor(async () => existsSync(exitFile) && readFileSync(exitFile, 'utf8'))).toBe('3\n');
  });

  it('argv via chain(): a trailing ";" in an argument stays in the argument', async () => {
    tmux = testTmux();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-chain-'));
    const out = join(dir, 'argv.json');
    const script = join(dir, 'p.mjs');
    writeFileSync(script, "import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n");
    const args = ['a;', ';', 'a\\;', 'x; kill-server', '{', '#{session_name}'];
    const r = await tmux.run(...chain([...SERVER_SETUP, ['new-session', '-d', '-s', 'c', '--', process.execPath, script, out, ...args], ['set-option', '-t', '=c:', '@agentctl-hash', 'ok;']]));
    expect(r.exitCode).toBe(0);
    const got = await waitFor(async () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as string[]));
    expect(got).toEqual(args);
    expect((await tmux.run('show-options', '-v', '-t', '=c:', '@agentctl-hash')).stdout.trim()).toBe('ok;');
  });
});
