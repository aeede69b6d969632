// agentctl attach: attaches the terminal to an agent (tmux; other runtimes explain what to do instead).
import type { GlobalOptions } from '../context.js';
import { agentRuntime } from '../agent-runtime.js';
import { ExitError } from '../exit.js';

export async function attach(g: GlobalOptions, name: string): Promise<void> {
  const { key, rt, close } = await agentRuntime(g, name);
  let code: number;
  try {
    // Only tmux attaches a terminal (here, or over `ssh -t` on a Host); Slurm explains what to do instead.
    if (key.split('@')[0] === 'tmux' && !process.stdin.isTTY) throw new ExitError(2, 'attach needs a terminal (stdin is not a TTY)');
    try {
      code = await rt.attach(name);
    } catch (err) {
      throw new ExitError(1, (err as Error).message);
    }
  } finally {
    await close();
  }
  if (code !== 0) throw new ExitError(code);
}
