// spec.workspace against real git and a real tmux: a worktree per agent, setup once, kept, pruned only when clean.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

let tmux: TestTmux;
let sb: Sandbox;
let repo: string;
let env: Record<string, string>;

const gitIn = async (dir: string, ...args: string[]) => {
  const r = await execa('git', ['-C', dir, ...args], { reject: false });
  return { code: r.exitCode ?? 1, out: String(r.stdout).trim(), err: String(r.stderr).trim() };
};

beforeEach(async () => {
  tmux = testTmux();
  sb = sandbox(tmux.socket);
  repo = join(sb.dir, 'repo');
  mkdirSync(repo);
  await gitIn(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README'), 'hello\n');
  writeFileSync(join(repo, '.gitignore'), '.env\nnode_modules/\n');
  await gitIn(repo, 'add', '.');
  await gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
  // Untracked and ignored: only `copy` brings it into a worktree.
  writeFileSync(join(repo, '.env'), 'FROM_REPO=1\n');
  mkdirSync(join(sb.dir, 'home'));
  env = { HOME: join(sb.dir, 'home') };
});

afterEach(async () => {
  await tmux.kill();
  sb.cleanup();
});

const wd = (name: string) => join(sb.dir, 'w', name);

function spec(name: string, workspace: Record<string, unknown>, command = ['sleep', '3600'], extra = {}): string {
  const s = { command, workdir: wd(name), workspace, ...extra };
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: ${name}}\nspec: ${JSON.stringify(s)}\n`;
}

/** Setup counts its runs in the worktree; the agent records where it runs and on which branch. */
const SETUP = [['sh', '-c', 'mkdir -p node_modules; echo run >> node_modules/setup-runs']];
const AGENT = ['sh', '-c', 'pwd > where; git branch --show-current > branch; exec sleep 3600'];

const once = (timeout = '20s') => sb.run(['reconcile', '--once', '--timeout', timeout, '--allow-mass-prune'], env);
const describeOf = async (name: string) => (await sb.run(['describe', name], env)).stdout;

describe('workspace.git', () => {
  it('makes one worktree per agent on its branch, sets it up once, and keeps it across recreates', async () => {
    sb.write('a.yaml', spec('alpha', { git: { repo, ref: 'main' }, setup: SETUP, copy: ['.env'] }, AGENT));
    sb.write('b.yaml', spec('beta', { git: { repo, ref: 'main' }, setup: SETUP }, AGENT));
    expect((await once()).exitCode).toBe(0);
    for (const name of ['alpha', 'beta']) {
      await waitFor(async () => existsSync(join(wd(name), 'branch')));
      expect(readFileSync(join(wd(name), 'where'), 'utf8').trim()).toBe(wd(name));
      expect(readFileSync(join(wd(name), 'branch'), 'utf8').trim()).toBe(`agent/${name}`);
      expect(readFileSync(join(wd(name), 'node_modules', 'setup-runs'), 'utf8')).toBe('run\n');
    }
    expect(readFileSync(join(wd('alpha'), '.env'), 'utf8')).toBe('FROM_REPO=1\n');
    expect(existsSync(join(wd('beta'), '.env'))).toBe(false);
    const list = (await gitIn(repo, 'worktree', 'list')).out;
    expect(list).toContain('[agent/alpha]');
    expect(list).toContain('[agent/beta]');

    // A work file of the agent, then a changed command: a recreate in the same worktree, no setup.
    writeFileSync(join(wd('alpha'), 'notes.txt'), 'mine\n');
    sb.write('a.yaml', spec('alpha', { git: { repo, ref: 'main' }, setup: SETUP, copy: ['.env'] }, [...AGENT, 'x']));
    expect((await once()).exitCode).toBe(0);
    expect(await describeOf('alpha')).toContain('Recreated');
    expect(readFileSync(join(wd('alpha'), 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(wd('alpha'), 'node_modules', 'setup-runs'), 'utf8')).toBe('run\n');
  });

  it('on prune removes a clean worktree (its branch stays) and keeps a dirty one, saying what is uncommitted', async () => {
    sb.write('a.yaml', spec('clean', { git: { repo }, setup: SETUP }));
    sb.write('b.yaml', spec('dirty', { git: { repo } }));
    expect((await once()).exitCode).toBe(0);
    // setup's node_modules is ignored: not a change. The dirty agent has one modified, one new file.
    writeFileSync(join(wd('dirty'), 'README'), 'changed\n');
    writeFileSync(join(wd('dirty'), 'new file.txt'), 'x\n');
    sb.remove('a.yaml');
    sb.remove('b.yaml');
    await once();
    expect(existsSync(wd('clean'))).toBe(false);
    expect((await gitIn(repo, 'branch', '--list', 'agent/clean')).out).toContain('agent/clean');
    expect(readFileSync(join(wd('dirty'), 'new file.txt'), 'utf8')).toBe('x\n');
    const d = await describeOf('dirty');
    expect(d).toContain('WorkspaceKept');
    expect(d).toContain('1 modified, 1 untracked');
    expect(d).toContain('new file.txt');
    expect((await tmux.sessions()).has('dirty')).toBe(false);

    // Committed: the next pass removes it and forgets the agent.
    await gitIn(wd('dirty'), 'add', '-A');
    await gitIn(wd('dirty'), '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'work');
    await once();
    expect(existsSync(wd('dirty'))).toBe(false);
    expect((await sb.run(['get', 'dirty'], env)).exitCode).toBe(1);
    expect((await gitIn(repo, 'log', '--oneline', 'agent/dirty')).out).toContain('work');
  });

  it('reports a missing repository, a folder that is no repository, and a branch checked out elsewhere', async () => {
    mkdirSync(join(sb.dir, 'plain'));
    sb.write('a.yaml', spec('missing', { git: { repo: join(sb.dir, 'nope') } }));
    sb.write('b.yaml', spec('plain', { git: { repo: join(sb.dir, 'plain') } }));
    sb.write('c.yaml', spec('taken', { git: { repo, branch: 'main' } }));
    // A folder of the user's where the worktree would go: refused, left alone.
    mkdirSync(wd('occupied'), { recursive: true });
    writeFileSync(join(wd('occupied'), 'keep.txt'), 'keep\n');
    sb.write('d.yaml', spec('occupied', { git: { repo } }));
    expect((await once('4s')).exitCode).toBe(1);
    expect(await describeOf('missing')).toMatch(/workspace\.git\.repo \S+nope does not exist/);
    expect(await describeOf('plain')).toMatch(/workspace\.git\.repo \S+plain is not a git repository/);
    expect(await describeOf('taken')).toMatch(/'main' is already checked out at/);
    expect(await describeOf('occupied')).toMatch(/workdir \S+occupied exists and is not a worktree/);
    expect(readFileSync(join(wd('occupied'), 'keep.txt'), 'utf8')).toBe('keep\n');
    expect((await tmux.sessions()).size).toBe(0);
  });

  it('a failing or hanging setup is an event with its output, retried; nothing starts until it passes', async () => {
    const flag = join(sb.dir, 'setup-may-pass');
    const failing = [['sh', '-c', `echo "installing..."; echo "E: no network" >&2; test -e ${flag}`]];
    sb.write('a.yaml', spec('fails', { git: { repo }, setup: failing }));
    sb.write('b.yaml', spec('hangs', { git: { repo }, setup: [['sleep', '30']], setupTimeoutSeconds: 1 }));
    const t0 = Date.now();
    expect((await once('5s')).exitCode).toBe(1);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const fails = await describeOf('fails');
    expect(fails).toContain('workspace.setup[0] (sh -c');
    expect(fails).toContain('failed with exit code 1');
    expect(fails).toContain('E: no network');
    expect(await describeOf('hangs')).toContain('workspace.setup[0] (sleep 30) timed out after 1 s and was killed');
    expect((await tmux.sessions()).size).toBe(0);
    // Retried: once setup can pass, the agent starts in the same worktree.
    writeFileSync(flag, '');
    sb.remove('b.yaml');
    expect((await once()).exitCode).toBe(0);
    expect((await tmux.sessions()).has('fails')).toBe(true);
    expect(existsSync(wd('hangs')), await describeOf('hangs')).toBe(false);
  });

  it('refuses two agents that would share a worktree, naming both files', async () => {
    const shared = { command: ['true'], workdir: wd('same'), workspace: { git: { repo } } };
    sb.write(
      'a.yaml',
      `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: one}\nspec: ${JSON.stringify(shared)}\n`,
    );
    sb.write(
      'b.yaml',
      `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: two}\nspec: ${JSON.stringify(shared)}\n`,
    );
    const r = await sb.run(['validate'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      /a\.yaml:4:\d+: spec\.workdir: worktree .* also the workspace of two at .*b\.yaml/,
    );
    expect(r.stdout + r.stderr).toMatch(/b\.yaml:4:\d+: spec\.workdir: .* of one at .*a\.yaml/);
  });

  it('clones a repository given by URL once per host and branches from the fetched ref', async () => {
    await gitIn(repo, 'checkout', '-q', '-b', 'dev');
    writeFileSync(join(repo, 'DEV'), 'dev\n');
    await gitIn(repo, 'add', 'DEV');
    await gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'dev');
    await gitIn(repo, 'checkout', '-q', 'main');
    const url = `file://${repo}`;
    sb.write('a.yaml', spec('u1', { git: { repo: url, ref: 'dev' } }));
    sb.write('b.yaml', spec('u2', { git: { repo: url } }));
    expect((await once()).exitCode).toBe(0);
    expect(readFileSync(join(wd('u1'), 'DEV'), 'utf8')).toBe('dev\n');
    expect(existsSync(join(wd('u2'), 'DEV'))).toBe(false);
    const clones = join(sb.dir, 'home', '.cache', 'agentctl', 'repos');
    const dirs = (await execa('ls', [clones])).stdout.trim().split('\n');
    expect(dirs).toHaveLength(1);
    expect((await gitIn(join(clones, dirs[0]!), 'worktree', 'list')).out).toContain('[agent/u1]');
  });
});
