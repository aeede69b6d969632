// deploy/git-sync: the sync script against a local bare repository; its systemd units need no sandboxing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, agentYaml } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

const SYNC = join(ROOT, 'deploy', 'git-sync', 'agentctl-git-sync');
let dir: string;

const git = (cwd: string, ...args: string[]) =>
  execa('git', args, {
    cwd,
    env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-deploy-'));
});
afterEach(() => removeTree(dir));

describe('git-sync script', () => {
  it('checks out each revision and swaps the live link atomically; refuses an invalid revision with VALIDATE=1', async () => {
    const bare = join(dir, 'specs.git');
    const work = join(dir, 'work');
    const root = join(dir, 'sync');
    await execa('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    await execa('git', ['clone', '--quiet', bare, work]);
    await git(work, 'checkout', '--quiet', '-b', 'main');
    mkdirSync(join(work, 'specs'));
    writeFileSync(join(work, 'specs', 'a.yaml'), agentYaml('a', ['sleep', '1']));
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'one');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const rev1 = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();

    const env = { REPO: bare, ROOT: root, VALIDATE: '1', AGENTCTL: `node ${CLI}`, PATH: process.env.PATH ?? '' };
    const r1 = await execa('bash', [SYNC], { env, reject: false });
    expect(r1.exitCode).toBe(0);
    expect(readlinkSync(join(root, 'live'))).toBe(`revs/${rev1}/specs`);
    expect(readFileSync(join(root, 'live', 'a.yaml'), 'utf8')).toContain('name: a');

    // Same revision again: nothing to do, link unchanged.
    expect((await execa('bash', [SYNC], { env, reject: false })).exitCode).toBe(0);
    expect(readlinkSync(join(root, 'live'))).toBe(`revs/${rev1}/specs`);

    writeFileSync(join(work, 'specs', 'b.yaml'), agentYaml('b', ['sleep', '1']));
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'two');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const rev2 = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    expect((await execa('bash', [SYNC], { env, reject: false })).exitCode).toBe(0);
    expect(readlinkSync(join(root, 'live'))).toBe(`revs/${rev2}/specs`);
    expect(existsSync(join(root, 'live', 'b.yaml'))).toBe(true);
    expect(existsSync(join(root, 'revs', rev1))).toBe(true); // kept for rollback

    writeFileSync(
      join(work, 'specs', 'c.yaml'),
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: c}\nspec: {comand: [x]}\n',
    );
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'broken');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const r3 = await execa('bash', [SYNC], { env, reject: false });
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toMatch(/c\.yaml:4:\d+: spec\.comand: unknown field/);
    expect(readlinkSync(join(root, 'live'))).toBe(`revs/${rev2}/specs`);
  });
});

describe('git-sync VALIDATE=1 with AGENTCTL unset', () => {
  it("uses the checkout's agentctl (none on PATH), and tells a command that cannot run from invalid specs", async () => {
    const bare = join(dir, 'specs.git');
    const work = join(dir, 'work');
    await execa('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    await execa('git', ['clone', '--quiet', bare, work]);
    await git(work, 'checkout', '--quiet', '-b', 'main');
    mkdirSync(join(work, 'specs'));
    writeFileSync(join(work, 'specs', 'a.yaml'), agentYaml('a', ['sleep', '1']));
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'one');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const rev = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    // A PATH with git, node and the shell tools but no agentctl, as the README's command runs it.
    const path = (process.env.PATH ?? '')
      .split(':')
      .filter((p) => !existsSync(join(p, 'agentctl')))
      .join(':');
    const env = { REPO: bare, ROOT: join(dir, 'sync'), VALIDATE: '1', PATH: path, HOME: dir };
    const r = await execa('bash', [SYNC], { env, extendEnv: false, reject: false });
    expect(r.stderr).toBe('1 agent(s) in 1 file(s): valid');
    expect(r.exitCode).toBe(0);
    expect(readlinkSync(join(dir, 'sync', 'live'))).toBe(`revs/${rev}/specs`);

    writeFileSync(join(work, 'specs', 'b.yaml'), agentYaml('b', ['sleep', '1']));
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'two');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const broken = await execa('bash', [SYNC], {
      env: { ...env, AGENTCTL: 'no-such-agentctl' },
      extendEnv: false,
      reject: false,
    });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/cannot run `no-such-agentctl validate` \(exit 127\)/);
    expect(broken.stderr).not.toMatch(/invalid specs/);
    expect(readlinkSync(join(dir, 'sync', 'live'))).toBe(`revs/${rev}/specs`);
  });
});

describe('git-sync units', () => {
  it('carry no sandboxing a user manager cannot give, and no network-online.target', async () => {
    for (const f of ['agentctl-git-sync.service', 'agentctl-git-sync.timer']) {
      const settings = readFileSync(join(ROOT, 'deploy', 'git-sync', f), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n');
      for (const bad of ['PrivateTmp', 'Protect', 'network-online'])
        expect(settings, `${f}: ${bad}`).not.toContain(bad);
    }
    const verify = await execa(
      'systemd-analyze',
      ['verify', join(ROOT, 'deploy', 'git-sync', 'agentctl-git-sync.timer')],
      { reject: false },
    );
    expect(verify.stderr).not.toMatch(/Unknown key|Failed to parse/);
  });
});
