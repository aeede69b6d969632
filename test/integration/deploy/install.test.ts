// The README's install story, followed on this machine: agentctl on PATH from a checkout
// (npm link's global install of the folder, into a private prefix), and a specs repository's CI
// installing a given version from a git URL (here a file:// clone) as a devDependency. npm builds
// a git dependency on install (its prepare script, with its devDependencies): 2.5 minutes alone
// here, 14 beside three busy sessions, and past 20 inside the parallel suite on a fresh CI
// machine. So `npm test` runs this file alone, after the others (package.json).
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'agentctl-install-'));
afterAll(() => removeTree(dir));

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** npm with its own cache of packages (offline first) but a private prefix and no user config. */
const npmEnv = (prefix: string): Record<string, string> => ({
  PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
  HOME: process.env.HOME ?? '/root',
  npm_config_prefix: prefix,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
});

describe('install', () => {
  it('from a checkout: `npm install -g .` (what npm link does) puts agentctl on PATH', async () => {
    const prefix = join(dir, 'global');
    const env = npmEnv(prefix);
    await execa('npm', ['install', '-g', ROOT], { env, extendEnv: false, cwd: ROOT });
    // Run from elsewhere, found on PATH by its bare name.
    const r = await execa('agentctl', ['--version'], { env, extendEnv: false, cwd: dir });
    expect(r.stdout).toBe(version);
    const v = await execa('agentctl', ['validate', '--specs', join(ROOT, 'specs')], {
      env,
      extendEnv: false,
      cwd: dir,
    });
    expect(v.stdout).toMatch(/agent\(s\) in \d+ file\(s\): valid$/);
  }, 600_000);

  it("a specs repository's CI: a git URL as a devDependency, then npx agentctl", async () => {
    // A clone stands for the published repository; its HEAD for the tag a user pins.
    const clone = join(dir, 'agentctl.git');
    await execa('git', ['clone', '--quiet', '--bare', ROOT, clone]);
    const sha = (await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    const repo = join(dir, 'agent-specs');
    mkdirSync(join(repo, 'specs'), { recursive: true });
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'agent-specs', private: true }));
    writeFileSync(
      join(repo, 'specs', 'a.yaml'),
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: a}\nspec: {command: [sleep, "60"], workdir: /tmp}\n',
    );
    const env = npmEnv(join(dir, 'unused-prefix'));
    await execa('npm', ['install', '--save-dev', `git+file://${clone}#${sha}`], { env, extendEnv: false, cwd: repo });
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.agentctl).toBe(`git+file://${clone}#${sha}`);
    // What the CI examples then run (`npm ci` installs the same again: a second build, not repeated here).
    const r = await execa('npx', ['agentctl', 'validate', '--specs', 'specs'], { env, extendEnv: false, cwd: repo });
    expect(r.stdout).toBe('1 agent(s) in 1 file(s): valid');
    expect((await execa('npx', ['agentctl', '--version'], { env, extendEnv: false, cwd: repo })).stdout).toBe(version);
  }, 1_200_000);
});
