// agentctl logs / attach: an agent's recent output, followed if asked, or the terminal attached to it.
import { createContext, createWorld, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';

async function runtimeFor(g: GlobalOptions, name: string) {
  const ctx = createContext(g);
  const w = createWorld(ctx);
  // The agent's own record says where it runs; the whole specs folder is read only without one.
  let rtName = (await w.registry.load(name))?.runtime;
  if (!rtName) {
    await w.reloadSpecs();
    rtName = w.specs.agents.get(name)?.spec.runtime;
  }
  if (!rtName) throw new ExitError(1, `unknown agent: ${name}`);
  if (!w.hasRuntime(rtName)) throw new ExitError(2, `the ${rtName} runtime is not available on this machine`);
  return { name: rtName, rt: w.runtime(rtName) };
}

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
  const { rt } = await runtimeFor(g, name);
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

export async function attach(g: GlobalOptions, name: string): Promise<void> {
  const { name: rtName, rt } = await runtimeFor(g, name);
  // Only tmux attaches a terminal; the Slurm runtime explains what to do instead.
  if (rtName === 'tmux' && !process.stdin.isTTY) throw new ExitError(2, 'attach needs a terminal (stdin is not a TTY)');
  let code: number;
  try {
    code = await rt.attach(name);
  } catch (err) {
    throw new ExitError(1, (err as Error).message);
  }
  if (code !== 0) throw new ExitError(code);
}
