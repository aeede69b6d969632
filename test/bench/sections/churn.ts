// Section 5: a burst of writes to one spec (100 within a second) under the running controller:
// how many times the agent is recreated, and whether it ends on the last version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControllerProc } from '../controller-proc.js';
import type { BenchContext } from '../context.js';
import { printTable, progress } from '../report.js';
import { agentYaml, specPath, writeAtomic } from '../spec-files.js';
import { ms, round } from '../stats.js';
import type { Fleet } from '../variants/agentctl-once.js';

interface RecordView {
  specHash?: string;
  appliedSpec?: { env?: Record<string, string> };
}

export async function churn(ctx: BenchContext, fleet: Fleet, c: ControllerProc): Promise<void> {
  const { opts } = ctx;
  const name = fleet.names[fleet.names.length - 1]!;
  const writes = opts.churnWrites;
  progress(`churn: ${writes} writes to ${name} within 1 s`);
  const from = c.mark();
  const t0 = performance.now();
  let prevWrite = t0;
  let maxGapMs = 0;
  for (let i = 0; i < writes; i++) {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - prevWrite);
    prevWrite = now;
    writeAtomic(specPath(fleet.ws.specs, name), agentYaml(name, { env: { CHURN: String(i) } }));
    const next = t0 + ((i + 1) * 1000) / writes;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  const burstMs = performance.now() - t0;
  // Settled: 3 s without a line about this agent (at most 30 s).
  const about = (): number =>
    c
      .linesSince(from)
      .filter((r) => r.line.agent === name)
      .at(-1)?.at ?? t0;
  while (performance.now() - Math.max(about(), t0 + burstMs) < 3000 && performance.now() - t0 < 30_000) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = c.linesSince(from).filter((r) => r.line.agent === name);
  const recreates = lines.filter((r) => r.line.action === 'recreate');
  const reloads = c
    .linesSince(from)
    .filter((r) => r.line.msg === 'specs changed')
    .map((r) => Math.round(r.at - t0));
  const rec = JSON.parse(readFileSync(join(fleet.ws.state, 'registry', `${name}.json`), 'utf8')) as RecordView;
  const live = (await fleet.tmux.sessions()).get(name);
  const last = String(writes - 1);
  const final = rec.appliedSpec?.env?.CHURN === last && live === rec.specHash;
  const lastMs = recreates.length > 0 ? recreates.at(-1)!.at - t0 : Number.NaN;
  ctx.results.churn = {
    agent: name,
    writes,
    burstMs: round(burstMs),
    maxGapMs: round(maxGapMs),
    reloadsAtMs: reloads,
    recreates: recreates.length,
    recreateAtMs: recreates.map((r) => round(r.at - t0)),
    endsOnLastVersion: final,
  };
  printTable(
    `5. Churn: ${writes} writes to one spec in ${ms(burstMs)}`,
    ['measure', 'value'],
    [
      ['longest gap between two writes', ms(maxGapMs)],
      ['spec reloads at (ms after the first write)', reloads.join(', ') || '-'],
      ['recreates', String(recreates.length)],
      ['recreates at (ms after the first write)', recreates.map((r) => Math.round(r.at - t0)).join(', ') || '-'],
      ['last recreate after the first write', ms(lastMs)],
      [`ends on the last version (CHURN=${last}, live hash = record)`, final ? 'yes' : 'NO'],
    ],
  );
  // Not a target of issue 16: kept as a check that a burst ends on the last version.
  if (!final) process.stdout.write(`  churn: the agent did NOT end on the last version\n`);
}
