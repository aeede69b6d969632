// logs --since and --timestamps with a real controller sampling its output clock, against real tmux.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

/** `<n> <epoch ms when written>` every 0.2 s. */
const stamper = ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "$i $(date +%s%3N)"; sleep 0.2; done'];
const parse = (l: string): { stamp: string; n: number; at: number } => {
  const m = /^(\S+) +(\d+) (\d+)$/.exec(l);
  expect(m, `unexpected line ${JSON.stringify(l)}`).not.toBeNull();
  return { stamp: m![1]!, n: Number(m![2]), at: Number(m![3]) };
};

describe('the output clock', () => {
  it('--since shows every line written since then, not the whole pane; --timestamps never precede a line', async () => {
    fx.sb.write('a.yaml', agentYaml('a', stamper));
    // Resyncs every 300 ms: each one samples where the output ends.
    ctl = await startController(fx.sb, ['--resync', '300ms']);
    await waitFor(async () => existsSync(join(fx.sb.state, 'logs', 'clock', 'a.jsonl')));
    await new Promise((r) => setTimeout(r, 6000));
    const r = await fx.sb.run(['logs', 'a', '--since', '2s', '--timestamps']);
    // The command's own "2 s ago" was no later than this.
    const t0 = Date.now() - 2000;
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n').map(parse);
    expect(lines.every((l, i) => i === 0 || l.n === lines[i - 1]!.n + 1)).toBe(true);
    // Every line written after t0 is there: the pane, read afterwards, has none it lacks.
    const all = (await fx.sb.run(['logs', 'a', '-n', '1000'])).stdout.split('\n').map((l) => parse(`- ${l}`));
    const last = lines.at(-1)!.n;
    const shown = new Set(lines.map((l) => l.n));
    expect(all.filter((l) => l.at > t0 && l.n <= last).every((l) => shown.has(l.n))).toBe(true);
    // Not the whole pane: the first lines (written ~6 s before) are left out.
    expect(lines[0]!.n).toBeGreaterThan(5);
    for (const l of lines) {
      expect(l.stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // Stamps are to the second: a line is never stamped before the second it was written in.
      expect(Date.parse(l.stamp)).toBeGreaterThanOrEqual(Math.floor(l.at / 1000) * 1000);
    }
  });

  it('--since older than anything recorded says so on stderr and shows the last lines', async () => {
    fx.sb.write('a.yaml', agentYaml('a', stamper));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    // Started 2.5 s ago, and no controller ever sampled it: nothing says which lines are newer than 1 s.
    await new Promise((res) => setTimeout(res, 2500));
    const r = await fx.sb.run(['logs', 'a', '--since', '1s', '-n', '2']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      'agentctl: a: no output times are recorded yet (the controller records them while it runs): showing the last 2 lines',
    );
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect((await fx.sb.run(['logs', 'a', '--since', 'soon'])).exitCode).toBe(2);
  });
});
