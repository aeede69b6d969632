// Command-line options of the bench and the sizes of a full and a --quick run.
import { parseArgs } from 'node:util';

export type SectionId = 'start' | 'converge' | 'noop' | 'idle' | 'watch' | 'churn' | 'scale' | 'hosts' | 'activity';
export const SECTIONS: readonly SectionId[] = [
  'start',
  'converge',
  'noop',
  'idle',
  'watch',
  'churn',
  'scale',
  'hosts',
  'activity',
];

export interface BenchOptions {
  quick: boolean;
  sections: Set<SectionId>;
  /** Cold-converge sizes, and how many interleaved rounds per size. */
  convergeSizes: number[];
  /** Sequential starts and PM2 are measured up to this size (their targets are at N=1000). */
  baselineMaxN: number;
  rounds: number;
  /** Runs of each command for the process-start figure. */
  startRuns: number;
  pm2: boolean;
  /** Agents in the fleet for no-op reconcile and idle CPU. */
  fleetSize: number;
  noopRuns: number;
  idleSeconds: number;
  /** Agents under the controller for watch latency and churn, and how many changes. */
  watchFleet: number;
  watchChanges: number;
  churnWrites: number;
  scaleSpecs: number;
  /** Hosts over SSH (loopback sshd) and agents on each. */
  hostCount: number;
  agentsPerHost: number;
  /** Claude agents (the stand-in) and plain ones under the controller for the activity section,
   * its idle window, and how many turns are timed. */
  activityClaude: number;
  activityPlain: number;
  activitySeconds: number;
  activityTransitions: number;
  out?: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--only start,converge,noop,idle,watch,churn,scale,hosts,activity] [--rounds N] [--no-pm2] [--out FILE]`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      rounds: { type: 'string' },
      'no-pm2': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const sections = new Set<SectionId>();
  for (const s of (values.only ?? SECTIONS.join(',')).split(',')) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section "${s}"; ${USAGE}`);
    sections.add(s as SectionId);
  }
  const quick = values.quick === true;
  const rounds = values.rounds === undefined ? (quick ? 1 : 2) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer; ${USAGE}`);
  return {
    quick,
    sections,
    convergeSizes: quick ? [50, 100, 200] : [200, 500, 1000, 2000, 5000],
    baselineMaxN: 1000,
    rounds,
    startRuns: quick ? 10 : 20,
    pm2: values['no-pm2'] !== true,
    fleetSize: quick ? 200 : 1000,
    noopRuns: quick ? 3 : 5,
    idleSeconds: quick ? 10 : 60,
    watchFleet: quick ? 100 : 1000,
    watchChanges: quick ? 20 : 50,
    churnWrites: 100,
    scaleSpecs: quick ? 2000 : 10_000,
    hostCount: quick ? 3 : 10,
    agentsPerHost: quick ? 20 : 100,
    activityClaude: quick ? 20 : 200,
    activityPlain: quick ? 80 : 800,
    activitySeconds: quick ? 10 : 60,
    activityTransitions: quick ? 20 : 100,
    ...(values.out ? { out: values.out } : {}),
  };
}
