// Walltime rollover timing as a table: submit the successor, hand over, or wake up later.
import { describe, expect, it } from 'vitest';
import { HANDOVER_MARGIN_MS, rolloverStep } from '../../../../src/runtime/slurm/rollover.js';
import type { ObservedAgent } from '../../../../src/runtime/types.js';
import type { SlurmSpec } from '../../../../src/spec/schema.js';

const END = 1_800_000_000_000;
const o = (x: Partial<ObservedAgent> = {}): ObservedAgent => ({
  name: 'a',
  runtime: 'slurm',
  handle: '10',
  hash: 'h',
  owner: 'o',
  alive: true,
  state: 'RUNNING',
  endsAt: END,
  ...x,
});
const roll: SlurmSpec = { timeLimit: '2', walltimeRollover: '1m' };

describe('rolloverStep', () => {
  const rows: {
    case: string;
    obs: ObservedAgent;
    slurm: SlurmSpec | undefined;
    now: number;
    want: ReturnType<typeof rolloverStep>;
  }[] = [
    { case: 'no rollover configured', obs: o(), slurm: { timeLimit: '2' }, now: END - 1000, want: null },
    { case: 'no slurm section', obs: o(), slurm: undefined, now: END - 1000, want: null },
    { case: 'time limit unknown', obs: o({ endsAt: undefined }), slurm: roll, now: END, want: null },
    { case: 'still queued', obs: o({ pending: true }), slurm: roll, now: END, want: null },
    { case: 'ended', obs: o({ alive: false }), slurm: roll, now: END, want: null },
    {
      case: 'in an allocation (no time limit of its own)',
      obs: o(),
      slurm: { ...roll, allocation: 'x' },
      now: END,
      want: null,
    },
    {
      case: 'before the rollover window: wake up at its start',
      obs: o(),
      slurm: roll,
      now: END - 120_000,
      want: { action: 'wait', atMs: END - 60_000 },
    },
    {
      case: 'in the window without a successor: submit',
      obs: o(),
      slurm: roll,
      now: END - 60_000,
      want: { action: 'submit' },
    },
    {
      case: 'successor queued, handover not due: wake up then',
      obs: o({ successor: '11' }),
      slurm: roll,
      now: END - 59_000,
      want: { action: 'wait', atMs: END - 2000 - HANDOVER_MARGIN_MS },
    },
    {
      case: 'successor queued, handover due',
      obs: o({ successor: '11' }),
      slurm: roll,
      now: END - 2000 - HANDOVER_MARGIN_MS,
      want: { action: 'handover' },
    },
    {
      case: 'a rollover shorter than grace + margin hands over at once',
      obs: o({ successor: '11' }),
      slurm: { walltimeRollover: '5s' },
      now: END - 5000,
      want: { action: 'handover' },
    },
  ];
  it.each(rows)('$case', ({ obs, slurm, now, want }) => expect(rolloverStep(obs, slurm, 2, now)).toEqual(want));
});
