// The Claude Code preset (with a stand-in `claude` that records its argv), workspace files and envFiles.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

let tmux: TestTmux;
let sb: Sandbox;
let env: Record<string, string>;

beforeEach(() => {
  tmux = testTmux();
  sb = sandbox(tmux.socket);
  // A stand-in claude on PATH and a private HOME (for ~/.claude/projects transcripts).
  const bin = join(sb.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'claude'),
    '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$PWD/argv.tmp"; mv argv.tmp argv.txt\nexec sleep 3600\n',
  );
  chmodSync(join(bin, 'claude'), 0o755);
  mkdirSync(join(sb.dir, 'home'));
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(sb.dir, 'home') };
});

afterEach(async () => {
  await tmux.kill();
  sb.cleanup();
});

function claudeSpec(name: string, claude: Record<string, unknown>): string {
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: ${name}}\nspec:\n  workdir: ${join(sb.dir, 'w', name)}\n  claude: ${JSON.stringify(claude)}\n`;
}

// The preset's argv as the agent got it, after agentctl's own settings layer (`--settings FILE`, first,
// tested with the activity tests), which must name a file that exists.
const argvOf = async (name: string): Promise<string[]> => {
  const argv = await waitFor(async () => {
    const f = join(sb.dir, 'w', name, 'argv.txt');
    return existsSync(f) && readFileSync(f, 'utf8').trim().split('\n');
  });
  if (argv[0] !== '--settings') return argv;
  expect(existsSync(argv[1] ?? '')).toBe(true);
  return argv.length > 2 ? argv.slice(2) : [''];
};

describe('claude preset', () => {
  it('builds the argv for each session mode, and diff/describe show the command line', async () => {
    // An earlier transcript for `con-old`'s workdir: continue-or-new must add --continue there.
    const oldWd = join(sb.dir, 'w', 'con-old');
    const projects = join(sb.dir, 'home', '.claude', 'projects', oldWd.replaceAll('/', '-'));
    mkdirSync(projects, { recursive: true });
    writeFileSync(join(projects, 'abc.jsonl'), '{"type":"summary"}\n');
    sb.write(
      'claude.yaml',
      [
        claudeSpec('fresh', { model: 'opus', session: 'new', flags: ['--dangerously-skip-permissions'] }),
        claudeSpec('cont', { session: 'continue' }),
        claudeSpec('res', { session: 'resume', resumeId: 'sess-123', channels: ['plugin:a', 'plugin:b'] }),
        claudeSpec('con-new', { session: 'continue-or-new' }),
        claudeSpec('con-old', { session: 'continue-or-new', model: 'sonnet' }),
      ].join('---\n'),
    );

    const d = await sb.run(['diff', '-o', 'json'], env);
    expect(d.exitCode).toBe(1);
    const commands = Object.fromEntries(
      JSON.parse(d.stdout).actions.map((a: { agent: string; command: string[] }) => [a.agent, a.command]),
    );
    expect(commands['con-old']).toEqual(['claude', '--model', 'sonnet', '--continue']);

    const r = await sb.run(['reconcile', '--once', '--settle', '0'], env);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await argvOf('fresh')).toEqual(['--model', 'opus', '--dangerously-skip-permissions']);
    expect(await argvOf('cont')).toEqual(['--continue']);
    expect(await argvOf('res')).toEqual(['--resume', 'sess-123', '--channels', 'plugin:a', 'plugin:b']);
    expect(await argvOf('con-new')).toEqual(['']);
    expect(await argvOf('con-old')).toEqual(['--model', 'sonnet', '--continue']);

    const desc = await sb.run(['describe', 'res'], env);
    expect(desc.stdout).toMatch(/Command:\s+claude --resume sess-123 --channels plugin:a plugin:b/);
  });

  it('resume without a resumeId validates and continues the last conversation, as the older tool did', async () => {
    // A stale transcript for `aged`: continue-or-new with a 30-minute limit must start anew.
    const agedWd = join(sb.dir, 'w', 'aged');
    const projects = join(sb.dir, 'home', '.claude', 'projects', agedWd.replaceAll('/', '-'));
    mkdirSync(projects, { recursive: true });
    writeFileSync(join(projects, 'old.jsonl'), '{"type":"summary"}\n');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(join(projects, 'old.jsonl'), hourAgo, hourAgo);
    sb.write(
      'c.yaml',
      [
        claudeSpec('noid', { session: 'resume' }),
        claudeSpec('aged', { session: 'continue-or-new', continueMaxAgeMinutes: 30, addDirs: ['~/shared'] }),
      ].join('---\n'),
    );
    const v = await sb.run(['validate'], env);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    const d = await sb.run(['diff', '-o', 'json'], env);
    const commands = Object.fromEntries(
      JSON.parse(d.stdout).actions.map((a: { agent: string; command: string[] }) => [a.agent, a.command]),
    );
    expect(commands['noid']).toEqual(['claude', '--continue']);
    expect(commands['aged']).toEqual(['claude', '--add-dir', join(sb.dir, 'home', 'shared')]);
  });
});

describe('workspace files and envFiles', () => {
  it('writes files into the workdir before start, and a change to one rolls the agent', async () => {
    const wd = join(sb.dir, 'w', 'f');
    const spec = (content: string) =>
      agentYaml('f', ['sh', '-c', 'cat CLAUDE.md > seen.txt; exec sleep 3600'], {
        workdir: wd,
        files: { 'CLAUDE.md': content, 'conf/.mcp.json': '{}' },
      });
    sb.write('f.yaml', spec('# v1\n'));
    expect((await sb.run(['reconcile', '--once', '--settle', '0'])).exitCode).toBe(0);
    expect(readFileSync(join(wd, 'CLAUDE.md'), 'utf8')).toBe('# v1\n');
    expect(readFileSync(join(wd, 'conf', '.mcp.json'), 'utf8')).toBe('{}');
    await waitFor(
      async () => existsSync(join(wd, 'seen.txt')) && readFileSync(join(wd, 'seen.txt'), 'utf8') === '# v1\n',
    );
    const pid0 = (await tmux.sessions()).get('f')!.pid;

    sb.write('f.yaml', spec('# v2\n'));
    const d = await sb.run(['diff']);
    expect(d.exitCode).toBe(1);
    expect(d.stdout).toMatch(/recreate\s+f\s+SpecChanged/);
    expect((await sb.run(['reconcile', '--once', '--settle', '0'])).exitCode).toBe(0);
    expect((await tmux.sessions()).get('f')!.pid).not.toBe(pid0);
    await waitFor(async () => readFileSync(join(wd, 'seen.txt'), 'utf8') === '# v2\n');
  });

  it('refuses files that climb out of the workdir or are absolute', async () => {
    sb.write('x.yaml', agentYaml('x', ['true'], { files: { '../escape': 'no', '/etc/passwd2': 'no' } }));
    const r = await sb.run(['validate']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/spec\.files\["\.\.\/escape"\]: file path must not contain "\.\."/);
    expect(r.stdout).toMatch(/spec\.files\["\/etc\/passwd2"\]: file path must be relative to the workdir/);
  });

  it('a missing envFile fails that agent alone, with a clear error', async () => {
    sb.write('ok.yaml', agentYaml('ok', ['sleep', '3600']));
    sb.write('nosecret.yaml', agentYaml('nosecret', ['sleep', '3600'], { envFiles: [join(sb.dir, 'missing.env')] }));
    const r = await sb.run(['reconcile', '--once', '--timeout', '8s']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/nosecret: not converged: .*envFile .*missing\.env cannot be read \(ENOENT\)/);
    expect((await tmux.sessions()).has('ok')).toBe(true);
    expect((await tmux.sessions()).has('nosecret')).toBe(false);
  });
});
