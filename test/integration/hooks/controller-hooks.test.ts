// Hooks through the real controller and tmux: order and environment, once per transition, a
// failing preStart that blocks the start and is retried, timeouts that kill, URL hooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { agentYaml, sandbox, type Sandbox } from '../../helpers/cli.js';
import { freePort } from '../../helpers/controller.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

let tmux: TestTmux;
let sb: Sandbox;
let log: string;
let servers: Server[];

beforeEach(() => {
  tmux = testTmux();
  sb = sandbox(tmux.socket);
  log = join(sb.dir, 'hooklog');
  mkdirSync(log);
  servers = [];
});

afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await tmux.kill();
  sb.cleanup();
});

interface Event {
  type: string;
  reason: string;
  message: string;
}

function events(name: string): Event[] {
  const rec = JSON.parse(readFileSync(join(sb.state, 'registry', `${name}.json`), 'utf8')) as { events: Event[] };
  return rec.events;
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

/** A zombie counts as gone: PID 1 of a container may never reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
}

describe('hooks through the controller', () => {
  it('run in order with the documented environment, once per transition', async () => {
    const wd = join(sb.dir, 'wd');
    const order = join(log, 'order');
    const spec = (state: string): string =>
      agentYaml('h', ['sleep', '3600'], {
        state,
        workdir: wd,
        env: { AGENT_VAR: 'from-spec' },
        hooks: {
          preStart: [
            `env > ${log}/preStart.env; echo preStart-1 >> ${order}`,
            { exec: ['sh', '-c', 'echo preStart-2 >> "$0"', order] },
          ],
          postStart: [`echo "postStart $AGENTCTL_HOOK" >> ${order}`],
          preStop: [{ shell: `echo preStop >> ${order}`, timeoutSeconds: 5 }],
          postStop: [`echo postStop >> ${order}`],
        },
      });
    sb.write('h.yaml', spec('Running'));
    const first = await sb.run(['reconcile', '--once', '--settle', '0']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(lines(order)).toEqual(['preStart-1', 'preStart-2', 'postStart postStart']);
    const env = readFileSync(join(log, 'preStart.env'), 'utf8');
    expect(env).toContain('AGENTCTL_AGENT=h\n');
    expect(env).toContain('AGENTCTL_HOOK=preStart\n');
    expect(env).toContain(`AGENTCTL_SPEC_FILE=${join(sb.specs, 'h.yaml')}\n`);
    expect(env).toContain(`AGENTCTL_WORKDIR=${wd}\n`);
    expect(env).toContain('AGENT_VAR=from-spec\n');

    // Nothing changed: no transition, no hook.
    expect((await sb.run(['reconcile', '--once', '--settle', '0'])).exitCode).toBe(0);
    expect(lines(order)).toHaveLength(3);

    sb.write('h.yaml', spec('Stopped'));
    // The exit code is not this test's business: --once does not yet settle right after a stop
    // step (it waits for its timeout), so a short timeout keeps the test quick either way.
    await sb.run(['reconcile', '--once', '--settle', '0', '--timeout', '3s']);
    expect((await tmux.sessions()).has('h')).toBe(false);
    expect(lines(order)).toEqual(['preStart-1', 'preStart-2', 'postStart postStart', 'preStop', 'postStop']);
    expect(
      events('h')
        .filter((e) => e.reason === 'HookSucceeded')
        .map((e) => e.message.split(' ')[0]),
    ).toEqual(['preStart', 'preStart', 'postStart', 'preStop', 'postStop']);
  });

  it('a failing preStart blocks the start, is retried with backoff, and the start follows once it passes', async () => {
    const tries = join(log, 'tries');
    const allow = join(sb.dir, 'allow');
    sb.write(
      'p.yaml',
      agentYaml('p', ['sleep', '3600'], {
        hooks: { preStart: [`echo try >> ${tries}; echo not yet; test -f ${allow}`, `echo second >> ${tries}`] },
      }),
    );
    const blocked = await sb.run(['reconcile', '--once', '--settle', '0', '--timeout', '4s']);
    expect(blocked.exitCode).toBe(1);
    expect((await tmux.sessions()).has('p')).toBe(false);
    // Retried within the run (1 s, then 2 s of backoff), never past the failing entry.
    expect(lines(tries).length).toBeGreaterThanOrEqual(2);
    expect(lines(tries).every((l) => l === 'try')).toBe(true);
    const failed = events('p').find((e) => e.reason === 'HookFailed');
    expect(failed?.message).toMatch(/^preStart sh: echo try >> .*: exit code 1 in \d+ms; output: not yet$/);

    writeFileSync(allow, '');
    const started = await sb.run(['reconcile', '--once', '--settle', '0']);
    expect(started.exitCode, started.stderr).toBe(0);
    expect((await tmux.sessions()).has('p')).toBe(true);
    expect(lines(tries).slice(-2)).toEqual(['try', 'second']);
  });

  it('a hook that never ends is killed at its timeout with its children, and the reconcile goes on', async () => {
    const pids = join(log, 'pids');
    sb.write(
      't.yaml',
      agentYaml('t', ['sleep', '3600'], {
        hooks: {
          postStart: [
            {
              shell: `sleep 1000 & echo $! >> ${pids}; sh -c 'sleep 1000 & echo $! >> ${pids}; wait' & wait`,
              timeoutSeconds: 1,
            },
          ],
        },
      }),
    );
    const t0 = Date.now();
    const r = await sb.run(['reconcile', '--once', '--settle', '0']);
    expect(r.exitCode, r.stderr).toBe(0);
    // Far below the hook's own 1000 s: it was killed at its timeout (a wall-clock figure under a few
    // seconds is not asserted: these machines are shared and noisy).
    expect(Date.now() - t0).toBeLessThan(120_000);
    expect((await tmux.sessions()).has('t')).toBe(true);
    expect(events('t').find((e) => e.reason === 'HookFailed')?.message).toMatch(
      /^postStart sh: .*: timed out after 1s; process group killed/,
    );
    const left = lines(pids).map(Number);
    expect(left).toHaveLength(2);
    expect(left.filter(isAlive)).toEqual([]);
  });

  it('a preStart that times out blocks the start', async () => {
    sb.write(
      'b.yaml',
      agentYaml('b', ['sleep', '3600'], { hooks: { preStart: [{ exec: ['sleep', '1000'], timeoutSeconds: 0.5 }] } }),
    );
    const r = await sb.run(['reconcile', '--once', '--settle', '0', '--timeout', '3s']);
    expect(r.exitCode).toBe(1);
    expect((await tmux.sessions()).has('b')).toBe(false);
    expect(events('b').find((e) => e.reason === 'HookFailed')?.message).toMatch(
      /^preStart exec: sleep: timed out after 0.5s/,
    );
  });

  it('URL hooks reach a local server with the JSON body; a dead port costs no more than its timeout', async () => {
    const bodies: { contentType: string | undefined; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const dead = await freePort();
    sb.write(
      'u.yaml',
      agentYaml('u', ['sleep', '3600'], {
        hooks: {
          preStart: [{ url: `http://127.0.0.1:${dead}/never`, timeoutSeconds: 2 }],
          postStart: [{ url: `http://127.0.0.1:${port}/started` }, `touch ${log}/after-url`],
        },
      }),
    );
    const t0 = Date.now();
    const r = await sb.run(['reconcile', '--once', '--settle', '0']);
    expect(r.exitCode, r.stderr).toBe(0);
    // A hung preStart URL would hold the run until the test's own timeout; a few seconds are not
    // asserted (shared, noisy machines).
    expect(Date.now() - t0).toBeLessThan(45_000);
    expect(existsSync(join(log, 'after-url'))).toBe(true);
    const got = await sb.run(['get', 'u', '-o', 'json']);
    const hash = (JSON.parse(got.stdout) as { items: { specHash: string }[] }).items[0]?.specHash;
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.contentType).toBe('application/json');
    expect(bodies[0]?.body).toMatchObject({ agent: 'u', hook: 'postStart', specHash: hash });
    expect(Number.isNaN(Date.parse(String(bodies[0]?.body.time)))).toBe(false);
    const logs = r.stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.find((l) => l.msg === 'url hook failed')).toMatchObject({ agent: 'u', hook: 'preStart', status: null });
    // The events tell what happened: sent, then the real outcome; never a success for the dead port.
    const ev = events('u').map((e) => `${e.reason} ${e.message}`);
    expect(ev).toContainEqual(`HookSent preStart url: 127.0.0.1:${dead}: sent in background`);
    expect(ev.find((e) => e.startsWith('HookFailed preStart url: 127.0.0.1:'))).toBeDefined();
    expect(ev.find((e) => e.startsWith('HookSucceeded preStart'))).toBeUndefined();
    expect(ev.find((e) => e.startsWith(`HookSucceeded postStart url: 127.0.0.1:${port}: ok`))).toBeDefined();
    expect(logs.find((l) => l.msg === 'url hook delivered')).toMatchObject({
      agent: 'u',
      hook: 'postStart',
      status: 200,
    });
  });
});
