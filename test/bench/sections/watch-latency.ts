// Section 3: from a spec written (atomic rename) to its session running with the new hash, with
// the controller watching a folder of running agents. Even changes edit an agent's env (recreate),
// odd ones add a new agent (create).
import type { ControllerProc } from '../controller-proc.js';
import type { BenchContext } from '../context.js';
import { waitIdle } from '../proc-stats.js';
import { printTable, progress } from '../report.js';
import { agentName, agentYaml, specPath, writeAtomic } from '../spec-files.js';
import { latencyRow, median, ms, percentile, round } from '../stats.js';
import { mark } from '../targets.js';
import type { Fleet } from '../variants/agentctl-once.js';

export interface WatchSample {
  agent: string;
  kind: 'change' | 'new';
  /** Rename to the controller's action line for that agent (received by the bench). */
  latencyMs: number;
  /** Rename to the controller's "specs changed" line: debounce plus reloading the folder. */
  reloadedMs: number;
  /** The action line's own durationMs: that agent's reconcile, start included. */
  actionMs: number;
  /** The session was then seen with a hash other than before (a fresh list-sessions). */
  verified: boolean;
}

export async function watchLatency(ctx: BenchContext, fleet: Fleet, c: ControllerProc): Promise<void> {
  const { opts, verdicts } = ctx;
  progress(`watch latency: ${opts.watchChanges} spec writes with ${fleet.names.length} agents under the controller`);
  const samples: WatchSample[] = [];
  for (let i = 0; i < opts.watchChanges; i++) {
    ctx.cleanup.check();
    const kind = i % 2 === 0 ? 'change' : 'new';
    const name = kind === 'change' ? fleet.names[i % fleet.names.length]! : agentName('n', i);
    const before = (await fleet.tmux.sessions()).get(name);
    const from = c.mark();
    const t0 = performance.now();
    writeAtomic(
      specPath(fleet.ws.specs, name),
      agentYaml(name, kind === 'change' ? { env: { BENCH_REV: String(i) } } : {}),
    );
    const got = await c.waitFor(
      (l) => l.agent === name && (l.action === 'create' || l.action === 'recreate'),
      15_000,
      from,
    );
    const latencyMs = got.at - t0;
    const reloaded = c.linesSince(from).find((r) => r.line.msg === 'specs changed' && r.at <= got.at);
    const after = (await fleet.tmux.sessions()).get(name);
    samples.push({
      agent: name,
      kind,
      latencyMs: round(latencyMs),
      reloadedMs: reloaded ? round(reloaded.at - t0) : Number.NaN,
      actionMs: got.line.durationMs ?? Number.NaN,
      verified: after !== undefined && after !== '' && after !== before,
    });
    // A pause longer than the watcher's debounce keeps one change from riding on the previous one.
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 100));
    await waitIdle(c.pid, 300, 10, 10_000);
  }
  const lat = samples.map((s) => s.latencyMs);
  const by = (k: WatchSample['kind']): number[] => samples.filter((s) => s.kind === k).map((s) => s.latencyMs);
  const unverified = samples.filter((s) => !s.verified).length;
  const p50 = percentile(lat, 50);
  const p99 = percentile(lat, 99);
  ctx.results.watch = { n: fleet.names.length, samples, p50, p90: percentile(lat, 90), p99, unverified };
  printTable(
    `3. Watch latency, ${fleet.names.length} agents under the controller`,
    ['writes', 'count', 'p50', 'p90', 'p99', 'min', 'max'],
    [
      latencyRow('all', lat),
      latencyRow('changed spec (recreate)', by('change')),
      latencyRow('new spec (create)', by('new')),
      latencyRow(
        '  of which: rename -> "specs changed" logged',
        samples.map((x) => x.reloadedMs).filter(Number.isFinite),
      ),
      latencyRow("  of which: the action's own durationMs", samples.map((x) => x.actionMs).filter(Number.isFinite)),
    ],
    [
      `latency = atomic rename of the spec file -> the controller's JSON action line for that agent (logged once tmux confirmed the start, marks included); each then checked with list-sessions: ${unverified} not seen with a new hash.`,
      `median ${ms(median(lat))}.`,
    ],
  );
  const trows = [
    verdicts.check(
      'watch-p50',
      `watch latency p50, ${fleet.names.length} agents`,
      '≤ 100 ms',
      ms(p50),
      p50 <= 100 && unverified === 0,
    ),
    verdicts.check(
      'watch-p99',
      `watch latency p99, ${fleet.names.length} agents`,
      '≤ 200 ms',
      ms(p99),
      p99 <= 200 && unverified === 0,
    ),
  ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
  printTable('3. Watch latency targets', ['figure', 'target', 'measured', 'verdict'], trows);
}
