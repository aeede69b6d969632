// Agent lifecycle against real tmux and the real controller: exits, restart policies, backoff, health, dependsOn.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { freePort, startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  if (ctl) await ctl.stop('SIGKILL');
  ctl = undefined;
});

/** What tmux and the sandbox look like now (printed when a timing-sensitive wait fails). */
function diagnose(name: string): string {
  const run = (file: string, args: string[]): string => {
    const r = spawnSync(file, args, { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim();
  };
  return [
    `panes: ${run('tmux', ['-L', fx.tmux.socket, 'list-panes', '-a', '-F', '#{session_name} pid=#{pane_pid} dead=#{pane_dead} status=#{pane_dead_status}'])}`,
    `capture: ${run('tmux', ['-L', fx.tmux.socket, 'capture-pane', '-p', '-t', `=${name}:`]).replace(/\n+/g, ' | ')}`,
    `sandbox: ${run('ls', ['-la', fx.sb.dir]).replace(/\n/g, ' | ')}`,
    `exits: ${run('ls', ['-la', join(fx.sb.state, 'run', 'tmux')]).replace(/\n/g, ' | ')}`,
  ].join('\n');
}

/** waitFor that prints diagnose() before failing. */
async function waitOrDiagnose<T>(
  name: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  try {
    return await waitFor(fn, timeoutMs, 100);
  } catch (err) {
    console.log(diagnose(name));
    throw err;
  }
}

interface Item {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  lastExit: string | null;
  conditions: { type: string; status: string; reason: string }[];
}

async function item(name: string): Promise<Item> {
  const r = await fx.sb.run(['get', name, '-o', 'json']);
  return JSON.parse(r.stdout).items[0] as Item;
}

interface Ev {
  time: string;
  reason: string;
  message: string;
}

function events(name: string): Ev[] {
  return JSON.parse(readFileSync(join(fx.sb.state, 'registry', `${name}.json`), 'utf8')).events as Ev[];
}

describe('lifecycle', () => {
  it('an agent that exits 1 at once under OnFailure crash-loops with growing delays, one start per delay', async () => {
    const starts = join(fx.sb.dir, 'starts.log');
    fx.sb.write(
      'crash.yaml',
      agentYaml('crash', ['sh', '-c', `date +%s%N >> ${starts}; exit 1`], {
        restartPolicy: 'OnFailure',
        backoff: { initialSeconds: 1, maxSeconds: 8 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '30s']);
    await waitOrDiagnose('crash', async () => readFileSync(starts, 'utf8').trim().split('\n').length >= 4, 20_000);
    const i = await item('crash');
    expect(i.phase).toBe('CrashLoopBackOff');
    expect(i.lastExit).toMatch(/exited with code 1/);
    const t = readFileSync(starts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l) / 1e6);
    expect(t.length).toBeGreaterThanOrEqual(4);
    const gaps = t.slice(1).map((v, k) => v - t[k]!);
    // Delays 1 s, 2 s, 4 s: each gap at least its delay (never more than one start per delay).
    gaps.slice(0, 3).forEach((g, k) => expect(g).toBeGreaterThanOrEqual(1000 * 2 ** k - 50));
    const backoffs = events('crash')
      .filter((e) => /restarting in/.test(e.message))
      .map((e) => Number(/restarting in (\d+)s/.exec(e.message)![1]));
    expect(backoffs.slice(0, 3)).toEqual([1, 2, 4]);
    expect(i.conditions.find((c) => c.type === 'Degraded')?.status).toBe('True');
  });

  it('Never ends Failed with the exit code; exit 0 under OnFailure ends Succeeded', async () => {
    fx.sb.write('never.yaml', agentYaml('never', ['sh', '-c', 'exit 7'], { restartPolicy: 'Never' }));
    fx.sb.write('done.yaml', agentYaml('done', ['sh', '-c', 'echo finished; exit 0'], { restartPolicy: 'OnFailure' }));
    const r = await fx.sb.run(['reconcile', '--once', '--timeout', '20s']);
    // Failed is not converged; Succeeded is.
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/never: not converged: Failed/);
    const never = await item('never');
    expect(never.phase).toBe('Failed');
    expect(never.lastExit).toMatch(/exited with code 7/);
    expect(never.restarts).toBe(0);
    const done = await item('done');
    expect(done.phase).toBe('Succeeded');
    expect((await fx.sb.run(['logs', 'done'])).stdout).toContain('finished');
    // A second pass changes nothing: no restart of either.
    await fx.sb.run(['reconcile', '--once', '--timeout', '10s']);
    expect((await item('never')).restarts).toBe(0);
    expect((await item('done')).restarts).toBe(0);
  });

  it('a health check that starts failing restarts the agent after the threshold', async () => {
    const flag = join(fx.sb.dir, 'healthy');
    writeFileSync(flag, 'ok');
    fx.sb.write(
      'h.yaml',
      agentYaml('h', ['sleep', '3600'], {
        healthCheck: { exec: ['test', '-f', flag], periodSeconds: 0.3, failureThreshold: 2, timeoutSeconds: 2 },
        // A health restart waits one backoff delay after the last start, as every restart does.
        backoff: { initialSeconds: 1 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '30s']);
    const s0 = await waitFor(async () => {
      const s = await fx.tmux.sessions();
      return s.has('h') && s;
    });
    await waitFor(async () => (await item('h')).ready, 10_000, 100);
    writeFileSync(join(fx.sb.dir, 'x'), '');
    const { rmSync } = await import('node:fs');
    rmSync(flag);
    await waitFor(
      async () => {
        const s = await fx.tmux.sessions();
        return s.get('h') && s.get('h')!.pid !== s0.get('h')!.pid;
      },
      10_000,
      100,
    );
    const i = await item('h');
    // At least one restart (it keeps failing, so more may follow before we look).
    expect(i.restarts).toBeGreaterThanOrEqual(1);
    expect(events('h').some((e) => e.reason === 'Restarted' && /Unhealthy/.test(e.message))).toBe(true);
    expect(events('h').filter((e) => e.reason === 'Unhealthy').length).toBeGreaterThanOrEqual(1);
  });

  it('an http health check makes an agent Ready once its URL answers; one that never answers is named', async () => {
    const port = await freePort();
    const dead = await freePort();
    fx.sb.write(
      'web.yaml',
      [
        agentYaml('web', ['python3', '-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
          workdir: fx.sb.dir,
          healthCheck: { http: `http://127.0.0.1:${port}/`, periodSeconds: 0.5 },
        }),
        agentYaml('mute', ['sleep', '3600'], {
          healthCheck: {
            http: `http://127.0.0.1:${dead}/health`,
            periodSeconds: 0.5,
            timeoutSeconds: 1,
            failureThreshold: 100,
          },
        }),
      ].join('---\n'),
    );
    const r = await fx.sb.run(['reconcile', '--once', '--timeout', '6s']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/mute: not converged: Running .*health check failing: ECONNREFUSED/);
    expect(r.stdout).not.toMatch(/web: not converged/);
    expect((await item('web')).ready).toBe(true);
    expect((await item('mute')).conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False' });
  });

  it('dependsOn starts a chain in order, and reconcile --once waits for it', async () => {
    const order = join(fx.sb.dir, 'order.log');
    // c -> b -> a: a must be Ready (its health check passes) before b starts, and so on.
    const hc = (n: string) => ({ exec: ['grep', '-q', n, order], periodSeconds: 0.2, initialDelaySeconds: 0 });
    fx.sb.write(
      'chain.yaml',
      [
        agentYaml('c', ['sh', '-c', `echo c >> ${order}; exec sleep 3600`], { dependsOn: ['b'], healthCheck: hc('c') }),
        agentYaml('a', ['sh', '-c', `echo a >> ${order}; exec sleep 3600`], { healthCheck: hc('a') }),
        agentYaml('b', ['sh', '-c', `echo b >> ${order}; exec sleep 3600`], { dependsOn: ['a'], healthCheck: hc('b') }),
      ].join('---\n'),
    );
    const r = await fx.sb.run(['reconcile', '--once', '--timeout', '30s']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(order, 'utf8').trim().split('\n')).toEqual(['a', 'b', 'c']);
    for (const n of ['a', 'b', 'c']) expect((await item(n)).ready).toBe(true);
    // Stopping both: the dependent stops first.
    fx.sb.write(
      'chain.yaml',
      [
        agentYaml('c', ['sh', '-c', `echo c >> ${order}; exec sleep 3600`], {
          dependsOn: ['b'],
          healthCheck: hc('c'),
          state: 'Stopped',
        }),
        agentYaml('a', ['sh', '-c', `echo a >> ${order}; exec sleep 3600`], { healthCheck: hc('a'), state: 'Stopped' }),
        agentYaml('b', ['sh', '-c', `echo b >> ${order}; exec sleep 3600`], {
          dependsOn: ['a'],
          healthCheck: hc('b'),
          state: 'Stopped',
        }),
      ].join('---\n'),
    );
    const r2 = await fx.sb.run(['reconcile', '--once', '--timeout', '30s']);
    expect(r2.exitCode, r2.stdout + r2.stderr).toBe(0);
    const stopAt = (n: string) =>
      Date.parse(
        events(n)
          .filter((e) => e.reason === 'Stopped')
          .at(-1)!.time,
      );
    expect(stopAt('c')).toBeLessThanOrEqual(stopAt('b'));
    expect(stopAt('b')).toBeLessThanOrEqual(stopAt('a'));
    expect((await fx.tmux.sessions()).size).toBe(0);
  });

  it('a controller restarted in the middle of a backoff keeps the same schedule', async () => {
    const starts = join(fx.sb.dir, 'starts.log');
    fx.sb.write(
      'crash.yaml',
      agentYaml('crash', ['sh', '-c', `date +%s%N >> ${starts}; exit 1`], {
        restartPolicy: 'Always',
        backoff: { initialSeconds: 2, maxSeconds: 60 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '30s']);
    // Starts at t0, t0+2, t0+2+4: stop the controller during the 4 s wait.
    await waitOrDiagnose('crash', async () => readFileSync(starts, 'utf8').trim().split('\n').length >= 2, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    await ctl.stop('SIGTERM');
    ctl = undefined;
    const before = events('crash')
      .filter((e) => /restarting in/.test(e.message))
      .at(-1)!;
    expect(before.message).toMatch(/restarting in \d+s \(restart 2 in a row\)/);
    ctl = await startController(fx.sb, ['--resync', '30s']);
    await waitFor(async () => readFileSync(starts, 'utf8').trim().split('\n').length >= 3, 15_000, 100);
    const t = readFileSync(starts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l) / 1e6);
    // The third start still waited the full 4 s after the second exit, not a fresh 2 s.
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(4000 - 100);
    expect(events('crash').filter((e) => e.reason === 'Exited').length).toBeGreaterThanOrEqual(2);
  });
});
