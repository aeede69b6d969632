// Hostile args, env, workdir and file names of a remote agent run nothing there; secrets reach it, but no argv or output.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { corpusWith } from '../../helpers/injection-corpus.js';
import { allArgv } from '../../helpers/procs.js';
import { hostYaml, killRemoteTmux, remoteAgentYaml, remoteSessions } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';

const env = useSshd();
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let a: TestHost;
let sb: Sandbox;
const token = `tok-${randomBytes(8).toString('hex')}`;
const password = `pw-${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  a = await env.pool.host('gpu1');
  sb = sandbox(socket);
});
afterAll(async () => {
  if (a) await killRemoteTmux(a, socket);
  sb?.cleanup();
});

describe('a remote agent made of hostile words', () => {
  it('gets them literally, runs nothing else there, and no secret shows in an argv on either side', async () => {
    const canary = join(a.home, 'pwned');
    const words = corpusWith(canary);
    const hostile = `$(touch ${canary})\n\`touch ${canary}\`; touch ${canary} '"`;
    const workdir = `~/w $(touch ${canary}) \`touch ${canary}\` 'q' "d" ; | &`;
    const files = { [`it's $(touch ${canary}).txt`]: 'one', ['a `touch x` "c"/d;e.txt']: 'two' };
    const envFile = join(sb.dir, 'secret.env');
    writeFileSync(envFile, `API_TOKEN=${token}\n`, { mode: 0o600 });
    sb.write('hosts.yaml', hostYaml('gpu1', a));
    const script =
      'printf "%s\\0" "$@" > args.bin; printf "%s" "$HOSTILE" > env.txt; printf "%s %s" "$API_TOKEN" "$DB_PASSWORD" > secrets.txt; exec sleep 1000';
    sb.write(
      'inj.yaml',
      remoteAgentYaml('inj', 'gpu1', ['sh', '-c', script, 'sh', ...words], {
        workdir,
        env: { HOSTILE: hostile, DB_PASSWORD: password },
        envFiles: [envFile],
        files,
      }),
    );

    // Every argv on this machine (the controller's side and the host user's) while it starts.
    const seen: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const p of allArgv())
          if (p.argv.some((w) => w.includes(token) || w.includes(password))) seen.push(`${p.uid}: ${p.argv.join(' ')}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const once = await sb.run(['reconcile', '--once', '--timeout', '60s']);
    watching = false;
    await watch;
    expect(once.exitCode).toBe(0);

    const dir = join(a.home, workdir.slice(2));
    await waitFor(async () => existsSync(join(dir, 'secrets.txt')));
    expect(readFileSync(join(dir, 'args.bin'), 'utf8').split('\0').slice(0, -1)).toEqual(words);
    expect(readFileSync(join(dir, 'env.txt'), 'utf8')).toBe(hostile);
    expect(readFileSync(join(dir, 'secrets.txt'), 'utf8')).toBe(`${token} ${password}`);
    for (const [rel, content] of Object.entries(files)) expect(readFileSync(join(dir, rel), 'utf8')).toBe(content);
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(seen).toEqual([]);
    // Launch files (which held the secrets) are emptied by the shell the moment it has read them.
    const run = join(a.home, '.local/state/agentctl/run');
    const launches = readdirSync(run).flatMap((d) =>
      readdirSync(join(run, d))
        .filter((f) => f.endsWith('.launch'))
        .map((f) => join(run, d, f)),
    );
    expect(launches.length).toBeGreaterThan(0);
    for (const f of launches) expect(readFileSync(f, 'utf8'), f).toBe('');
    const pid = (await remoteSessions(a, socket)).get('inj')!.pid;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);

    const outputs = [
      once,
      await sb.run(['get', '-o', 'json']),
      await sb.run(['describe', 'inj']),
      await sb.run(['diff']),
      await sb.run(['get', 'hosts', '-o', 'yaml']),
    ];
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain(token);
      expect(o.stdout + o.stderr).not.toContain(password);
    }
  });
});
