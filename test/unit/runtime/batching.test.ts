import { describe, expect, it } from 'vitest';
import { batching, chunkWaiters } from '../../../src/runtime/batching.js';
import type { BatchResult, Runtime, StartRequest } from '../../../src/runtime/types.js';

describe('chunkWaiters', () => {
  it.each([
    [[1, 1, 1, 1, 1], 2, [[1, 1], [1, 1], [1]]],
    [[3, 1, 1], 2, [[3], [1, 1]]],
    [[1], 50, [[1]]],
    [[], 5, []],
    [[2, 2, 2], 4, [[2, 2], [2]]],
  ])('%j by %i', (counts, size, want) => {
    const got = chunkWaiters(
      counts.map((count) => ({ count })),
      size,
    ).map((c) => c.map((w) => w.count));
    expect(got).toEqual(want);
  });
});

/** A runtime that records the starts it got, answering each batch after `delayMs`. */
function recordingRuntime(delayMs: number): { rt: Runtime; calls: string[][]; inFlightMax: () => number } {
  const calls: string[][] = [];
  let inFlight = 0;
  let max = 0;
  const rt = {
    name: 'tmux',
    async start(reqs: StartRequest[]): Promise<BatchResult> {
      calls.push(reqs.map((r) => r.name));
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight--;
      return new Map(reqs.map((r) => [r.name, { handle: `h-${r.name}` }]));
    },
  } as unknown as Runtime;
  return { rt, calls, inFlightMax: () => max };
}

const req = (name: string): StartRequest => ({
  name,
  argv: ['true'],
  workdir: '/tmp',
  env: {},
  secrets: [],
  hash: 'h',
});

describe('batching', () => {
  it('cuts a large batch into chunks, at most two in flight, and answers every submitter', async () => {
    const { rt, calls, inFlightMax } = recordingRuntime(20);
    const b = batching(rt, 3, 25, { chunks: 4, minChunk: 2 });
    const names = Array.from({ length: 12 }, (_, i) => `a${i}`);
    const got = await Promise.all(names.map((n) => b.start([req(n)])));
    expect(calls).toHaveLength(4);
    expect(calls.flat().sort()).toEqual([...names].sort());
    expect(inFlightMax()).toBe(2);
    got.forEach((r, i) => expect(r.get(names[i]!)?.handle).toBe(`h-${names[i]}`));
  });

  it('keeps a small batch in one call', async () => {
    const { rt, calls } = recordingRuntime(1);
    const b = batching(rt);
    await Promise.all(['a', 'b', 'c'].map((n) => b.start([req(n)])));
    expect(calls).toEqual([['a', 'b', 'c']]);
  });
});
