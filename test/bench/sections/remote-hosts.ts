// Section 7: Hosts over SSH on loopback sshd (issue 12): cold converge, ssh processes, a no-op, and what a hung host adds.
//
// In process (the controller's own pieces, as `reconcile --once` builds them), so every ssh
// process is counted exactly: masters, clients (one per command), controls (`ssh -O`).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convergeOnce } from '../../../controllers/agent/pipeline.js';
import type { HostRuntimes } from '../../../controllers/agent/hosts/host-runtimes.js';
import { agentDeps } from '../../../src/cli/agent-deps.js';
import { createContext } from '../../../src/cli/context.js';
import { hostYaml, killRemoteTmux, remoteAgentYaml } from '../../helpers/remote.js';
import { SshdPool, type TestHost } from '../../helpers/sshd.js';
import type { BenchContext } from '../context.js';
import { printTable, progress } from '../report.js';
import { ms, round } from '../stats.js';
import { mark } from '../targets.js';
import { removeTree } from '../../helpers/remove-tree.js';

interface Run {
  wallMs: number;
  converged: number;
  agents: number;
  ssh: { masters: number; clients: number; controls: number };
  /** Epoch ms of the last start on each host (from the registry). */
  lastStart: Map<string, number>;
  started: number;
}

export async function remoteHosts(ctx: BenchContext): Promise<void> {
  const { opts, verdicts } = ctx;
  const nHosts = opts.hostCount;
  const perHost = opts.agentsPerHost;
  progress(`remote hosts: ${nHosts} loopback sshd × ${perHost} agents`);
  const pool = await SshdPool.create();
  const dropPool = ctx.cleanup.add('sshd pool', () => pool.cleanup());
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-bench-hosts-'));
  const dropDir = ctx.cleanup.add(`folder ${dir}`, () => removeTree(dir));
  const socket = `agentctl-bench-${process.pid}`;
  const specs = join(dir, 'specs');
  const hosts: TestHost[] = [];
  try {
    for (let i = 0; i < nHosts; i++) hosts.push(await pool.host(`h${i}`));
    const write = (sleep: string): void => {
      mkdirSync(specs, { recursive: true });
      writeFileSync(join(specs, 'hosts.yaml'), hosts.map((h) => hostYaml(h.name, h)).join('---\n'));
      for (const h of hosts) {
        const docs = Array.from({ length: perHost }, (_, j) =>
          remoteAgentYaml(`${h.name}-a${j}`, h.name, ['sleep', sleep]),
        );
        writeFileSync(join(specs, `${h.name}.yaml`), docs.join('---\n'));
      }
    };
    const once = async (hungHost?: string): Promise<Run> => {
      const c = createContext({
        specs,
        state: join(dir, 'state'),
        tmuxSocket: socket,
        host: 'bench',
        logLevel: 'silent',
        logFormat: 'json',
      });
      const d = agentDeps(c, { settleMs: 0 });
      const t0 = Date.now();
      const report = await convergeOnce(d, { deadlineMs: t0 + 120_000 });
      const wallMs = Date.now() - t0;
      const ssh = (d.hosts as HostRuntimes).sshStats();
      const lastStart = new Map<string, number>();
      let started = 0;
      for (const r of d.records.all()) {
        if (r.host === undefined || r.host === hungHost || r.startedAt === null || r.startedAt < t0) continue;
        started++;
        lastStart.set(r.host, Math.max(lastStart.get(r.host) ?? 0, r.startedAt - t0));
      }
      await d.hosts?.close();
      return {
        wallMs,
        converged: report.outcomes.filter((o) => o.converged).length,
        agents: report.outcomes.length,
        ssh,
        lastStart,
        started,
      };
    };

    write('1000');
    const cold = await once();
    const noop = await once();
    // A spec change everywhere, without and then with one host hung (SIGSTOP): the last start on
    // the healthy hosts, counted from the start of the converge.
    write('1001');
    const base = await once();
    const hung = hosts.at(-1)!;
    write('1002');
    hung.hang();
    let withHung: Run;
    try {
      withHung = await once(hung.name);
    } finally {
      hung.resume();
    }
    const healthy = (r: Run): number =>
      Math.max(0, ...[...r.lastStart].filter(([h]) => h !== hung.name).map(([, t]) => t));
    const perHostClients = (r: Run): number => round(r.ssh.clients / nHosts, 1);
    const added = healthy(withHung) - healthy(base);
    ctx.results.hosts = { nHosts, perHost, cold, noop, base, withHung, addedByHungMs: added };
    printTable(
      `7. Hosts over SSH: ${nHosts} hosts × ${perHost} agents on loopback sshd`,
      ['measure', 'value'],
      [
        ['cold converge: wall', ms(cold.wallMs)],
        ['  converged', `${cold.converged}/${cold.agents}`],
        ['  ssh masters / clients / controls', `${cold.ssh.masters} / ${cold.ssh.clients} / ${cold.ssh.controls}`],
        ['  ssh clients per host', String(perHostClients(cold))],
        ['no-op converge: wall', ms(noop.wallMs)],
        ['  ssh masters / clients / controls', `${noop.ssh.masters} / ${noop.ssh.clients} / ${noop.ssh.controls}`],
        ['spec change on every host: last start on the healthy hosts', ms(healthy(base))],
        [`  same with ${hung.name} hung (SIGSTOP)`, ms(healthy(withHung))],
        ['  what the hung host added', ms(added)],
        ['  --once wall without / with the hung host', `${ms(base.wallMs)} / ${ms(withHung.wallMs)}`],
      ],
    );
    const rows = [
      verdicts.check(
        'hosts-masters',
        'cold converge: ssh masters',
        `= ${nHosts} (one per host)`,
        String(cold.ssh.masters),
        cold.ssh.masters === nHosts,
      ),
      verdicts.check(
        'hosts-noop-clients',
        'no-op: ssh clients',
        `≤ ${nHosts} (one per host)`,
        String(noop.ssh.clients),
        noop.ssh.clients <= nHosts,
      ),
      verdicts.check('hosts-hung', 'a hung host adds to the others', '≤ 250 ms (noise)', ms(added), added <= 250),
    ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
    printTable('7. Hosts targets', ['figure', 'target', 'measured', 'verdict'], rows);
  } finally {
    await Promise.all(hosts.map((h) => killRemoteTmux(h, socket)));
    await dropDir();
    await dropPool();
  }
}
