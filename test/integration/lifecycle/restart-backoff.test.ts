// Health restarts through the one backoff, and backoff.maxRetries, against real tmux and the real controller.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  if (ctl) await ctl.stop('SIGKILL');
  ctl = undefined;
});

interface Item {
  phase: string;
  restarts: number;
  conditions: { type: string; status: string; reason: string; message: string }[];
}

async function item(name: string): Promise<Item> {
  const r = await fx.sb.run(['get', name, '-o', 'json']);
  return JSON.parse(r.stdout).items[0] as Item;
}

const events = (name: string): { reason: string; message: string }[] =>
  JSON.parse(readFileSync(join(fx.sb.state, 'registry', `${name}.json`), 'utf8')).events;

/** Epoch ms of each start of the agent, as the agent itself wrote them. */
const startTimes = (file: string): number[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l) / 1e6)
    : [];

const logged = (file: string, then: string): string[] => ['sh', '-c', `date +%s%N >> ${file}; ${then}`];

describe('every restart goes through the one backoff', () => {
  it('an always-failing check (period 1 s, threshold 1) costs one start per delay: 0, 10, 30 s', async () => {
    const starts = join(fx.sb.dir, 'starts.log');
    fx.sb.write(
      'flap.yaml',
      agentYaml('flap', logged(starts, 'exec sleep 600'), {
        healthCheck: { exec: ['false'], periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 2 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '30s']);
    // The third start is due 30 s after the first (delays 10 s, then 20 s); the fourth at 70 s.
    await waitFor(async () => startTimes(starts).length >= 3, 45_000, 200);
    const t = startTimes(starts);
    const i = await item('flap');
    process.stdout.write(
      `failing check: ${t.length} starts, ${i.restarts} restarts at ${t.map((v) => ((v - t[0]!) / 1000).toFixed(1)).join(', ')} s\n`,
    );
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(10_000 - 100);
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(20_000 - 100);
    expect(i.restarts).toBe(2);
    const restarted = events('flap').filter((e) => e.reason === 'Restarted');
    expect(
      restarted.map((e) => /Unhealthy: health check failed .* \(restart (\d) in a row\)/.exec(e.message)?.[1]),
    ).toEqual([undefined, '1', '2'].slice(3 - restarted.length));
  }, 60_000);

  it('backoff.maxRetries: a crash loop ends Failed (RetryLimit) and stays so until agentctl restart', async () => {
    const starts = join(fx.sb.dir, 'starts.log');
    fx.sb.write(
      'crash.yaml',
      agentYaml('crash', logged(starts, 'exit 1'), {
        restartPolicy: 'Always',
        backoff: { initialSeconds: 0.5, maxSeconds: 1, maxRetries: 2 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '30s']);
    await waitFor(async () => (await item('crash')).phase === 'Failed', 20_000, 200);
    // The first start and two retries, then no more.
    expect(startTimes(starts)).toHaveLength(3);
    const i = await item('crash');
    expect(i.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'RetryLimit' });
    expect(events('crash').some((e) => e.reason === 'RetryLimit' && /maxRetries \(2\)/.test(e.message))).toBe(true);
    // agentctl restart starts the count over: one start and two retries again, then Failed again.
    expect((await fx.sb.run(['restart', 'crash'])).exitCode).toBe(0);
    await waitFor(async () => startTimes(starts).length >= 4, 10_000, 100);
    await waitFor(async () => (await item('crash')).phase === 'Failed', 20_000, 200);
    expect(startTimes(starts)).toHaveLength(6);
  }, 90_000);

  it('backoff.maxRetries: a failing health check ends the live agent Failed; a spec change starts it again', async () => {
    const starts = join(fx.sb.dir, 'starts.log');
    const spec = (tag: string) =>
      agentYaml('sick', logged(starts, `exec sleep 600 # ${tag}`), {
        healthCheck: { exec: ['false'], periodSeconds: 0.2, failureThreshold: 1, timeoutSeconds: 2 },
        backoff: { initialSeconds: 0.5, maxSeconds: 1, maxRetries: 1 },
      });
    fx.sb.write('sick.yaml', spec('one'));
    ctl = await startController(fx.sb, ['--resync', '30s']);
    await waitFor(async () => (await item('sick')).phase === 'Failed', 20_000, 200);
    expect(startTimes(starts)).toHaveLength(2);
    // Stopped, not restarted: no session is left.
    await waitFor(async () => !(await fx.tmux.sessions()).has('sick'), 5000, 100);
    expect(events('sick').some((e) => e.reason === 'RetryLimit')).toBe(true);
    fx.sb.write('sick.yaml', spec('two'));
    await waitFor(async () => startTimes(starts).length >= 3, 10_000, 100);
    await waitFor(async () => (await item('sick')).phase === 'Failed', 20_000, 200);
    expect(startTimes(starts)).toHaveLength(4);
  }, 60_000);
});
