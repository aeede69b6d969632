// 50 stand-in Claude agents auto-accepted by one `reconcile --once`: every pane read of a tick goes out as
// ONE tmux client (counted by a tmux wrapper on PATH), never one per agent.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgentYaml, fakeEvents, useClaudeSandbox } from '../../helpers/claude-agents.js';

const fx = useClaudeSandbox();
const N = 50;

function realTmux(): string {
  const found = (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'tmux'))
    .find((p) => existsSync(p));
  if (!found) throw new Error('tmux is not on PATH');
  return found;
}

/** A `tmux` that logs how many capture-pane commands each invocation carries, then runs the real one. */
function countingTmux(dir: string, log: string): string {
  mkdirSync(dir, { recursive: true });
  const script = `#!/bin/sh\nn=0\nfor a in "$@"; do [ "$a" = capture-pane ] && n=$((n+1)); done\necho "$n" >> '${log}'\nexec '${realTmux()}' "$@"\n`;
  writeFileSync(join(dir, 'tmux'), script);
  chmodSync(join(dir, 'tmux'), 0o755);
  return dir;
}

describe('auto-accept at fleet scale', () => {
  it(`${N} agents: every prompt answered, panes read in one tmux client per tick`, async () => {
    const names = Array.from({ length: N }, (_, i) => `claude-${String(i).padStart(2, '0')}`);
    for (const n of names) {
      fx.sb.write(
        `${n}.yaml`,
        fakeAgentYaml(fx.sb, n, {
          claude: { autoAccept: true, flags: ['--dangerously-skip-permissions'] },
          // Slow first screens: every agent is still starting up when the last one is followed.
          env: { FAKE_CLAUDE_PROMPTS: 'trust', FAKE_CLAUDE_STARTUP_MS: '3000' },
          // A start-up timeout now goes through the backoff, which --once reports as not converged:
          // 50 Node start-ups at a load of 20 took over the default 90 s here.
          startup: { timeoutSeconds: 140 },
        }),
      );
    }
    const log = join(fx.sb.dir, 'tmux-calls.log');
    const bin = countingTmux(join(fx.sb.dir, 'bin'), log);
    const t0 = performance.now();
    const r = await fx.sb.run(
      ['reconcile', '--once', '--timeout', '150s'],
      { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, AGENTCTL_LOG_LEVEL: 'debug' },
      200_000,
    );
    const ms = Math.round(performance.now() - t0);
    expect(r.stdout).toContain(`${N}/${N} agent(s) converged`);
    expect(r.exitCode).toBe(0);
    for (const n of names) {
      const ev = fakeEvents(fx.sb, n);
      expect(
        ev.filter((e) => e.event === 'answer').map((e) => e.name),
        n,
      ).toEqual(['trust', 'bypass']);
      expect(
        ev.filter((e) => e.event === 'refused' || e.event === 'exit'),
        n,
      ).toEqual([]);
    }

    const calls = readFileSync(log, 'utf8').trim().split('\n').map(Number);
    const captures = calls.filter((c) => c > 0);
    const stats = r.stderr
      .split('\n')
      .filter((l) => l.includes('"session reads"'))
      .map(
        (l) => JSON.parse(l) as { ticks: number; captureCalls: number; panesCaptured: number; maxPanesPerCall: number },
      )[0]!;
    console.log(
      `[fleet-50] ${N} agents auto-accepted in ${ms} ms: ${calls.length} tmux clients in all; ${stats.ticks} ticks, ${captures.length} capture clients reading ${stats.panesCaptured} panes (up to ${Math.max(...captures)} per client)`,
    );
    // Every capture the hub made was one tmux client, at most one per tick, each reading many panes.
    expect(captures.length).toBe(stats.captureCalls);
    expect(stats.captureCalls).toBeLessThanOrEqual(stats.ticks);
    expect(captures.reduce((a, b) => a + b, 0)).toBe(stats.panesCaptured);
    expect(Math.max(...captures)).toBe(N);
  }, 240_000);
});
