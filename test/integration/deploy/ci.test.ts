// deploy/ci: each job's commands of the GitHub Actions and GitLab examples, run as written in bash
// (npx and npm stand-ins call this checkout's CLI), where each job is meant to run.
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, ROOT, agentYaml, sandbox, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

/** Each job's commands, and the environment the file sets for it (workflow- and job-level). */
type Jobs = Record<string, { steps: string[]; env: Record<string, string> }>;

function githubJobs(): Jobs {
  type Job = { env?: Record<string, string>; steps: { run?: string; env?: Record<string, string> }[] };
  const doc = parse(readFileSync(join(ROOT, 'deploy', 'ci', 'github-actions.yaml'), 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, Job>;
  };
  return Object.fromEntries(
    Object.entries(doc.jobs).map(([name, j]) => [
      name,
      { steps: j.steps.flatMap((s) => (s.run ? [s.run] : [])), env: { ...doc.env, ...j.env } },
    ]),
  );
}

function gitlabJobs(): Jobs {
  type Job = { script?: string[]; variables?: Record<string, string> };
  const doc = parse(readFileSync(join(ROOT, 'deploy', 'ci', 'gitlab-ci.yml'), 'utf8')) as Record<string, Job>;
  const globalVars = (doc.variables ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(doc).flatMap(([name, j]) =>
      j && Array.isArray(j.script) ? [[name, { steps: j.script, env: { ...globalVars, ...j.variables } }]] : [],
    ),
  );
}

const EXAMPLES: [string, () => Jobs, string][] = [
  ['GitHub Actions', githubJobs, 'GITHUB_SHA'],
  ['GitLab', gitlabJobs, 'CI_COMMIT_SHA'],
];

let sb: Sandbox | undefined;
let tmux: TestTmux | undefined;
let ctl: RunningController | undefined;
afterEach(async () => {
  if (ctl) await ctl.stop();
  await tmux?.kill();
  sb?.cleanup();
  sb = tmux = ctl = undefined;
});

/** `npx agentctl` runs this checkout's CLI, `npm ci` does nothing, and a `tmux` that is called
 * leaves a mark (and fails): the validate job must never need it. */
function shims(dir: string, withTmuxTrap: boolean): string {
  const bin = join(dir, 'shims');
  mkdirSync(bin, { recursive: true });
  const write = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  write(
    'npx',
    `[ "$1" = agentctl ] || { echo "npx $1: not in this test" >&2; exit 99; }\nshift\nexec ${process.execPath} ${CLI} "$@"`,
  );
  write('npm', '[ "$1" = ci ] && exit 0\necho "npm $1: not in this test" >&2; exit 99');
  if (withTmuxTrap) write('tmux', `touch ${join(dir, 'tmux-was-called')}\nexit 1`);
  return bin;
}

/** Runs a job's commands one by one as the CI shell does (bash -e -o pipefail), in the runner's
 * environment plus the job's own; stops at a failure. */
async function runJob(
  job: { steps: string[]; env: Record<string, string> },
  cwd: string,
  env: Record<string, string>,
): Promise<{ exitCode: number; output: string }> {
  let output = '';
  for (const step of job.steps) {
    const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step], {
      cwd,
      env: { ...env, ...job.env },
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 120_000,
    });
    output += `${r.all ?? ''}\n`;
    if (r.exitCode !== 0) return { exitCode: r.exitCode ?? 1, output };
  }
  return { exitCode: 0, output };
}

function checkout(dir: string, specs: Record<string, string>): string {
  const co = join(dir, 'checkout');
  for (const [file, text] of Object.entries(specs)) {
    mkdirSync(join(co, 'specs'), { recursive: true });
    writeFileSync(join(co, 'specs', file), text);
  }
  return co;
}

const baseEnv = (s: Sandbox, bin: string, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  HOME: s.dir,
  AGENTCTL_LOG_FORMAT: 'json',
  ...extra,
});

describe.each(EXAMPLES)('%s example', (_name, jobsOf, shaVariable) => {
  const jobs = jobsOf();

  it('has a validate, a diff and an apply job, and gives them a UTF-8 locale', () => {
    expect(Object.keys(jobs).sort()).toEqual(['apply', 'diff', 'validate']);
    // Runners often have no locale; tmux in the C locale mangles its listings (every agent then
    // looks foreign and diff says `create`).
    for (const j of ['diff', 'apply']) expect(jobs[j]!.env.LANG).toBe('C.UTF-8');
  });

  it('validate: passes valid specs and fails an invalid one, without ever calling tmux', async () => {
    sb = sandbox('agentctl-unused');
    const bin = shims(sb.dir, true);
    const co = checkout(sb.dir, { 'a.yaml': agentYaml('a', ['sleep', '60']) });
    const ok = await runJob(jobs.validate!, co, baseEnv(sb, bin));
    expect(ok.output).toContain('1 agent(s) in 1 file(s): valid');
    expect(ok.exitCode).toBe(0);
    writeFileSync(
      join(co, 'specs', 'b.yaml'),
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: b}\nspec: {comand: [x]}\n',
    );
    const bad = await runJob(jobs.validate!, co, baseEnv(sb, bin));
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toMatch(/b\.yaml:4:\d+: spec\.comand: unknown field/);
    expect(existsSync(join(sb.dir, 'tmux-was-called'))).toBe(false);
  });

  it('diff: on the host, shows what the change does to the running agents (not `create` for all)', async () => {
    tmux = testTmux();
    sb = sandbox(tmux.socket);
    const s = sb;
    s.write('a.yaml', agentYaml('a', ['sleep', '600']));
    s.write('b.yaml', agentYaml('b', ['sleep', '600']));
    expect((await s.run(['reconcile', '--once', '--timeout', '30s'])).exitCode).toBe(0);

    const co = checkout(s.dir, {
      'a.yaml': agentYaml('a', ['sleep', '600']),
      'b.yaml': agentYaml('b', ['sleep', '700']),
      'c.yaml': agentYaml('c', ['sleep', '600']),
    });
    const env = baseEnv(s, shims(s.dir, false), {
      AGENTCTL_STATE: s.state,
      AGENTCTL_TMUX_SOCKET: tmux.socket,
      AGENTCTL_HOST: 'testhost',
    });
    const r = await runJob(jobs.diff!, co, env);
    expect(r.exitCode).toBe(0);
    const diff = JSON.parse(readFileSync(join(co, 'diff.json'), 'utf8')) as {
      actions: { agent: string; action: string }[];
    };
    expect(Object.fromEntries(diff.actions.map((a) => [a.agent, a.action]))).toEqual({
      a: 'none',
      b: 'recreate',
      c: 'create',
    });
    expect(r.output).toContain('2 change(s) pending, 1 in sync');
  });

  it('apply: waits for the git-sync link to reach the commit, then for the running controller to converge it', async () => {
    tmux = testTmux();
    sb = sandbox(tmux.socket);
    const s = sb;
    const sha = 'c0ffee'.padEnd(40, '0');
    const rev = join(s.dir, 'agentctl', 'sync', 'revs', sha, 'specs');
    mkdirSync(rev, { recursive: true });
    writeFileSync(join(rev, 'a.yaml'), agentYaml('a', ['sleep', '600']));
    symlinkSync(`revs/${sha}/specs`, join(s.dir, 'agentctl', 'sync', 'live'));
    // The service: a controller watching the link, as deploy/systemd runs it.
    ctl = await startController(s, ['--resync', '1s'], { AGENTCTL_SPECS: join(s.dir, 'agentctl', 'sync', 'live') });

    const co = checkout(s.dir, { 'a.yaml': agentYaml('a', ['sleep', '600']) });
    const env = baseEnv(s, shims(s.dir, false), {
      AGENTCTL_STATE: s.state,
      AGENTCTL_TMUX_SOCKET: tmux.socket,
      AGENTCTL_HOST: 'testhost',
      [shaVariable]: sha,
    });
    const ok = await runJob(jobs.apply!, co, env);
    expect(ok.output).toMatch(/1\/1 agent\(s\) converged by the running controller/);
    expect(ok.exitCode).toBe(0);

    // An agent that cannot become Ready: the job fails, says where to look, and shows the fleet.
    // (The examples wait 300s; here 3s.)
    writeFileSync(join(rev, 'bad.yaml'), agentYaml('bad', ['false']));
    const steps = jobs.apply!.steps.map((step) => step.replace('--timeout 300s', '--timeout 3s'));
    expect(steps.join('\n')).toContain('--timeout 3s');
    const bad = await runJob({ ...jobs.apply!, steps }, co, env);
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toMatch(/bad: not converged/);
    expect(bad.output).toContain('agentctl describe NAME');
    expect(bad.output).toMatch(/^bad\s+tmux\s+Running\s+/m);
  });
});

describe('git-sync sidecar (compose)', () => {
  const file = join(ROOT, 'deploy', 'git-sync', 'git-sync-sidecar.yaml');

  it('runs as the uid and gid it is given, and refuses to guess them', async () => {
    sb = sandbox('agentctl-unused');
    const copy = join(sb.dir, 'compose.yaml');
    cpSync(file, copy);
    const env = { PATH: process.env.PATH ?? '', HOME: '/home/someone' };
    const given = await execa('docker-compose', ['-f', copy, 'config'], {
      env: { ...env, AGENTCTL_UID: '1234', AGENTCTL_GID: '5678', UID: '1000' },
      extendEnv: false,
      reject: false,
    });
    expect(given.exitCode).toBe(0);
    expect((parse(given.stdout) as { services: { 'git-sync': { user: string } } }).services['git-sync'].user).toBe(
      '1234:5678',
    );
    const missing = await execa('docker-compose', ['-f', copy, 'config'], { env, extendEnv: false, reject: false });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('set AGENTCTL_UID to your uid (id -u)');
  });
});
