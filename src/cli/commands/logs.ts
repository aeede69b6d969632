// agentctl logs: an agent's recent output, followed if asked.
import type { GlobalOptions } from '../context.js';
import { agentRuntime } from '../agent-runtime.js';
import { ExitError } from '../exit.js';
import type { Runtime } from '../../runtime/types.js';

/** The lines of `next` that come after the longest suffix of `prev` it starts with. */
export function newLines(prev: string[], next: string[]): string[] {
  for (let k = Math.min(prev.length, next.length); k > 0; k--) {
    let match = true;
    for (let i = 0; i < k; i++) {
      if (prev[prev.length - k + i] !== next[i]) {
        match = false;
        break;
      }
    }
    if (match) return next.slice(k);
  }
  return next;
}

export async function logs(g: GlobalOptions, name: string, opts: Record<string, unknown>): Promise<void> {
  const { rt, close } = await agentRuntime(g, name);
  try {
    await show(rt, name, opts);
  } finally {
    await close();
  }
}

async function show(rt: Runtime, name: string, opts: Record<string, unknown>): Promise<void> {
  const n = Number(opts.lines ?? 50);
  let text: string;
  try {
    text = await rt.logs(name, n);
  } catch (err) {
    throw new ExitError(1, (err as Error).message);
  }
  process.stdout.write(text);
  if (!opts.follow) return;
  let seen = text.replace(/\n$/, '').split('\n');
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  process.once('SIGTERM', () => (stop = true));
  while (!stop) {
    await new Promise((r) => setTimeout(r, 1000));
    let next: string[];
    try {
      next = (await rt.logs(name, Math.max(n, 1000))).replace(/\n$/, '').split('\n');
    } catch {
      continue; // restarting: the next incarnation's output follows
    }
    const fresh = newLines(seen, next);
    if (fresh.length > 0) process.stdout.write(`${fresh.join('\n')}\n`);
    seen = next;
  }
}
